from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.home, name="home"),
    path("courses/<slug:course>/", views.course_detail, name="course"),
    path("courses/<slug:course>/<slug:slug>/", views.module_detail, name="module"),
    path("modules/<slug:slug>/", views.old_module_url, name="old-module"),
    path("modules/<slug:slug>/complete/", views.old_complete_url, name="old-complete"),
]
