from django.urls import path

from . import views

app_name = "reflections"
urlpatterns = [
    path("reflections/<int:prompt_id>/", views.reflection_submit, name="submit"),
]
