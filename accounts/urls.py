from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import SignInForm

urlpatterns = [
    path("", views.account, name="account"),
    path("data.json", views.data_download, name="account_data"),
    path("records/", views.records_sharing, name="account_records"),
    path("delete/", views.account_delete, name="account_delete"),
    path("reading-time/", views.reading_time, name="account_reading_time"),
    path("signup/", views.signup, name="signup"),
    path("staff/learners/", views.learners_console, name="learners_console"),
    path("staff/learners/<int:user_id>/delete/", views.learner_remove, name="learner_remove"),
    path("login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("", include("django.contrib.auth.urls")),
]
