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
    # A planner's fields: the same views, naming the field.
    path("api/reflections/<int:activity_id>/<slug:field>/", api.reflection_api, name="api"),
    path("reflections/<int:activity_id>/<slug:field>/", views.reflection_submit, name="submit"),
    path("reflections/<int:activity_id>/<slug:field>/history/", views.reflection_history, name="history"),
    path(
        "reflections/<int:activity_id>/<slug:field>/history/<int:version_id>/restore/",
        views.reflection_version_restore,
        name="restore",
    ),
    path("planners/<int:activity_id>/", views.planner, name="planner"),
    path("reflections/shared/<int:reflection_id>/", views.reflection_share_toggle, name="share"),
    path("journal/", views.journal, name="journal"),
    re_path(r"^journal\.(?P<fmt>md|json)$", views.journal_download, name="journal-download"),
]
