from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.home, name="home"),
    path("modules/<slug:slug>/", views.module_detail, name="module"),
    path("modules/<slug:slug>/complete/", views.module_mark_complete, name="complete"),
]
