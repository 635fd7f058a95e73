from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("accounts/my-data/", views.my_data, name="my_data"),
    path("accounts/my-data/export/", views.export_create, name="export_create"),
    path("accounts/my-data/exports/<int:pk>/", views.export_download, name="export_download"),
    path("accounts/my-data/erase/", views.erasure_create, name="erasure_create"),
    path("teams/<int:pk>/access-log/", views.team_access_log, name="team_access_log"),
]
