from django.urls import path

from . import views

app_name = "lti"
urlpatterns = [
    path("lti/login/", views.login_initiation, name="login"),
    path("lti/launch/", views.launch, name="launch"),
    path("lti/deep-link/", views.deep_link, name="deep-link"),
    path("lti/jwks.json", views.jwks, name="jwks"),
]
