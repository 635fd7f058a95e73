from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("schools/<slug:slug>/", views.public_detail, name="public_detail"),
    path("schools/<slug:slug>/public-page/", views.publicity_edit, name="publicity_edit"),
]
