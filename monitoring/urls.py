from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("schools/<int:pk>/", views.school_results, name="school"),
    path("schools/<int:pk>/results.csv", views.school_results, {"fmt": "csv"}, name="school_csv"),
    path(
        "schools/<int:pk>/results.json", views.school_results, {"fmt": "json"}, name="school_json"
    ),
    path("schools/<int:pk>/rounds/new/", views.round_create, name="round_create"),
    path("communities/<int:pk>/", views.community_results, name="community"),
    path(
        "communities/<int:pk>/results.csv",
        views.community_results,
        {"fmt": "csv"},
        name="community_csv",
    ),
    path(
        "communities/<int:pk>/results.json",
        views.community_results,
        {"fmt": "json"},
        name="community_json",
    ),
    path("network/<int:pk>/", views.network_results, name="network"),
    path("network/<int:pk>/results.csv", views.network_results, {"fmt": "csv"}, name="network_csv"),
    path(
        "network/<int:pk>/results.json",
        views.network_results,
        {"fmt": "json"},
        name="network_json",
    ),
    path("answer/<token:token>/", views.answer, name="answer"),
]
