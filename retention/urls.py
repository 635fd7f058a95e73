from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.csv", views.export, name="export"),
    path("schools/<int:pk>/", views.school, name="school"),
    path("schools/<int:pk>/export.csv", views.school_export, name="school_export"),
    path("schools/<int:pk>/confirm/", views.confirm, name="confirm"),
]
