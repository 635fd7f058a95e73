from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:pk>/", views.open_notification, name="open"),
    path("notifications/read/", views.mark_all_read, name="mark_all_read"),
    path("accounts/preferences/", views.preferences, name="preferences"),
    path("accounts/preferences/mail/<token:token>/", views.preference_link, name="preference_link"),
]
