from django.urls import path
from django.views.decorators.http import require_safe

from . import api, feeds, oai, views

app_name = "knowledge_base"

urlpatterns = [
    path("studies/", views.study_list, name="study_list"),
    path("studies/feed/", require_safe(feeds.NewStudiesFeed()), name="study_feed"),
    # PLACEHOLDER until the kb-publish branch's study page is merged.
    path("studies/<slug:slug>/", views.study_detail, name="study_detail"),
    path("api/studies/", api.study_list, name="api_study_list"),
    path("api/studies/<slug:slug>/", api.study_detail, name="api_study_detail"),
    path("api/openapi.json", api.openapi, name="api_openapi"),
    path("oai", oai.oai, name="oai"),
]
