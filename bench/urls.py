"""The real URLconf plus one route that only `make bench` serves (see bench.views)."""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

from . import views

urlpatterns = [
    path("bench/bare/", views.bare, name="bench-bare"),
    path("bench/floor/", views.floor, name="bench-floor"),
    *site_urlpatterns,
]
