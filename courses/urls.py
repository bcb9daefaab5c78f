from django.urls import path

from . import console, views

app_name = "courses"
urlpatterns = [
    path("", views.home, name="home"),
    path("courses/<slug:course>/", views.course_detail, name="course"),
    path("courses/<slug:course>/<slug:slug>/", views.module_detail, name="module"),
    path("modules/<slug:slug>/", views.old_module_url, name="old-module"),
    path("modules/<slug:slug>/complete/", views.old_complete_url, name="old-complete"),
    path("console/content/", console.content_upload, name="console-content"),
    path("console/content/<str:token>/", console.content_preview, name="console-content-preview"),
    path("console/content/<str:token>/publish/", console.content_publish, name="console-content-publish"),
    path("console/content/<str:token>/<str:name>", console.content_preview_page, name="console-content-page"),
]
