from django.urls import path

from . import views

app_name = "inspiration"

urlpatterns = [
    path("teams/<int:pk>/inspiration/send/", views.injection_send, name="injection_send"),
]
