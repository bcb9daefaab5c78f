from django.urls import path

from . import views

app_name = "practice"
scenario = "courses/<slug:course>/<slug:slug>/practice/<slug:key>/"
urlpatterns = [
    path(scenario, views.scenario_page, name="scenario"),
    path(f"{scenario}start/", views.scenario_start, name="start"),
    path(f"{scenario}choose/", views.scenario_choose, name="choose"),
    path("practice/runs/<int:run_id>/", views.run_detail, name="run"),
]
