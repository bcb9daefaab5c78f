from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("courses/<slug:course>/<slug:slug>/complete/", views.module_mark_complete, name="complete"),
    path("courses/<slug:course>/<slug:slug>/reading/", views.reading, name="reading"),
]
