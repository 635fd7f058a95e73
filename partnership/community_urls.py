from django.urls import path

from . import community_views

app_name = "communities"

urlpatterns = [
    path("compose/", community_views.compose_communities, name="compose"),
]
