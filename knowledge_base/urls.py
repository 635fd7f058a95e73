from django.urls import path
from django.views.decorators.http import require_safe

from . import api, feeds, oai, review_views, study_views, views

app_name = "knowledge_base"

urlpatterns = [
    # The public library and what harvesters read.
    path("studies/", views.study_list, name="study_list"),
    path("studies/feed/", require_safe(feeds.NewStudiesFeed()), name="study_feed"),
    path("api/studies/", api.study_list, name="api_study_list"),
    path("api/studies/<slug:slug>/", api.study_detail, name="api_study_detail"),
    path("api/openapi.json", api.openapi, name="api_openapi"),
    path("oai", oai.oai, name="oai"),
    # Staff: the review workflow. Before the public <slug> patterns, so "manage" is
    # never read as a study's address (services also refuse such slugs).
    path("studies/manage/", review_views.study_manage_list, name="study_manage_list"),
    path("studies/manage/new/", review_views.study_create_by_hand, name="study_create_by_hand"),
    path("studies/manage/<int:pk>/", review_views.study_manage, name="study_manage"),
    path("studies/manage/<int:pk>/edit/", review_views.study_edit, name="study_edit"),
    path("studies/manage/<int:pk>/submit/", review_views.study_submit, name="study_submit"),
    path(
        "studies/manage/<int:pk>/request-changes/",
        review_views.study_request_changes,
        name="study_request_changes",
    ),
    path("studies/manage/<int:pk>/publish/", review_views.study_publish, name="study_publish"),
    path("studies/manage/<int:pk>/withdraw/", review_views.study_withdraw, name="study_withdraw"),
    path(
        "studies/manage/<int:pk>/authors/", review_views.study_author_add, name="study_author_add"
    ),
    path(
        "studies/manage/<int:pk>/authors/<int:author_pk>/remove/",
        review_views.study_author_remove,
        name="study_author_remove",
    ),
    path(
        "studies/manage/<int:pk>/authors/<int:author_pk>/request/",
        review_views.study_author_request,
        name="study_author_request",
    ),
    path(
        "studies/manage/<int:pk>/authors/<int:author_pk>/answer/",
        review_views.study_author_answer,
        name="study_author_answer",
    ),
    path(
        "studies/manage/<int:pk>/files/", review_views.study_file_upload, name="study_file_upload"
    ),
    path(
        "studies/manage/<int:pk>/files/copy/", review_views.study_file_copy, name="study_file_copy"
    ),
    path(
        "studies/manage/<int:pk>/files/<int:file_pk>/",
        review_views.study_file_staff,
        name="study_file_staff",
    ),
    path(
        "studies/manage/<int:pk>/files/<int:file_pk>/remove/",
        review_views.study_file_remove,
        name="study_file_remove",
    ),
    path("studies/consent/<token:token>/", review_views.author_consent, name="author_consent"),
    path(
        "teams/<int:team_pk>/studies/new/",
        review_views.study_create_from_cycle,
        name="study_create_from_cycle",
    ),
    # Public: the study page, its files and citations.
    path("studies/<slug:slug>/", study_views.study_detail, name="study_detail"),
    path("studies/<slug:slug>/files/<int:pk>/", study_views.study_file, name="study_file"),
    path(
        "studies/<slug:slug>/cite.ris",
        study_views.study_citation,
        {"fmt": "ris"},
        name="study_citation_ris",
    ),
    path(
        "studies/<slug:slug>/cite.bib",
        study_views.study_citation,
        {"fmt": "bib"},
        name="study_citation_bib",
    ),
]
