from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("courses.urls")),
    path("", include("progress.urls")),
    path("", include("reflections.urls")),
    path("", include("practice.urls")),
    path("", include("cohorts.urls")),
    path("", include("revisits.urls")),
    path("", include("lti.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]
