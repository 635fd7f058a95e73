from django.urls import path

from . import views

app_name = "network_sessions"

urlpatterns = [
    path("sessions/", views.session_list, name="list"),
    path("sessions/month/", views.session_month, name="month"),
    path("sessions/new/", views.session_create, name="create"),
    path("sessions/calendar/", views.calendar_settings, name="calendar"),
    path("sessions/calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("sessions/<int:pk>/", views.session_detail, name="detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="edit"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="cancel"),
    path("sessions/<int:pk>/cancel/confirm/", views.session_cancel_confirm, name="cancel_confirm"),
    path("sessions/<int:pk>/answer/", views.session_respond, name="respond"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="attendance"),
    path("sessions/<int:pk>/calendar.ics", views.session_ics, name="ics"),
    path("calendar/<token:token>.ics", views.calendar_feed, name="feed"),
]
