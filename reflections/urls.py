from django.urls import path, re_path

from . import api, views

app_name = "reflections"
urlpatterns = [
    path("api/reflections/<int:activity_id>/", api.reflection_api, name="api"),
    path("reflections/<int:activity_id>/", views.reflection_submit, name="submit"),
    path("reflections/<int:activity_id>/history/", views.reflection_history, name="history"),
    path(
        "reflections/<int:activity_id>/history/<int:version_id>/restore/",
        views.reflection_version_restore,
        name="restore",
    ),
    path("journal/", views.journal, name="journal"),
    re_path(r"^journal\.(?P<fmt>md|json)$", views.journal_download, name="journal-download"),
]
