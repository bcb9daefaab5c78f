from django.urls import path

from . import views

app_name = "revisits"
urlpatterns = [
    path("revisits/<int:reflection_id>/<int:stage>/", views.revisit, name="revisit"),
    path("reminders/", views.reminder_settings, name="settings"),
    path("recall/", views.recall, name="recall"),
    path("recall/<int:card_id>/", views.recall_reveal, name="reveal"),
    path("recall/<int:card_id>/rated/", views.recall_rated, name="rated"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
