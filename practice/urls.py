from django.urls import path

from . import views

app_name = "practice"
urlpatterns = [
    path("practice/<int:activity_id>/", views.scenario_page, name="scenario"),
    path("practice/<int:activity_id>/start/", views.scenario_start, name="start"),
    path("practice/<int:activity_id>/choose/", views.scenario_choose, name="choose"),
    path("practice/runs/<int:run_id>/", views.run_detail, name="run"),
    path("practice/runs/<int:run_id>/share/", views.run_share_toggle, name="share"),
]
