from django.urls import path

from . import views

app_name = "cohorts"
urlpatterns = [
    path("cohorts/", views.mine, name="mine"),
    path("cohorts/<int:cohort_id>/", views.dashboard, name="dashboard"),
    path("cohorts/<int:cohort_id>/progress.csv", views.dashboard_download, name="csv"),
    path("cohorts/<int:cohort_id>/learners/<int:user_id>/", views.learner_detail, name="learner"),
    path("cohorts/<int:cohort_id>/feedback/<int:reflection_id>/", views.feedback, name="feedback"),
    path("join/<str:token>/", views.join, name="join"),
    path("console/", views.console, name="console"),
    path("console/cohorts/new/", views.cohort_new, name="new"),
    path("console/cohorts/<int:cohort_id>/", views.manage, name="manage"),
    path("console/cohorts/<int:cohort_id>/invites/", views.invite_new, name="invite"),
    path("console/cohorts/<int:cohort_id>/invites/<int:invite_id>/withdraw/", views.invite_withdraw, name="withdraw"),
    path("console/cohorts/<int:cohort_id>/facilitators/", views.facilitators_add, name="facilitators"),
]
