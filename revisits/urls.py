from django.urls import path

from . import views

app_name = "revisits"
urlpatterns = [
    path("revisits/<int:reflection_id>/<int:stage>/", views.revisit, name="revisit"),
    path("reminders/", views.reminder_settings, name="settings"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
