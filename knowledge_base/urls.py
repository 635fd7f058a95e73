from django.urls import path

from . import views

app_name = "knowledge_base"

urlpatterns = [
    # Staff: the review workflow. Before the public <slug> patterns, so "manage" is
    # never read as a study's address (services also refuse such slugs).
    path("studies/manage/", views.study_manage_list, name="study_manage_list"),
    path("studies/manage/new/", views.study_create_by_hand, name="study_create_by_hand"),
    path("studies/manage/<int:pk>/", views.study_manage, name="study_manage"),
    path("studies/manage/<int:pk>/edit/", views.study_edit, name="study_edit"),
    path("studies/manage/<int:pk>/submit/", views.study_submit, name="study_submit"),
    path(
        "studies/manage/<int:pk>/request-changes/",
        views.study_request_changes,
        name="study_request_changes",
    ),
    path("studies/manage/<int:pk>/publish/", views.study_publish, name="study_publish"),
    path("studies/manage/<int:pk>/withdraw/", views.study_withdraw, name="study_withdraw"),
    path("studies/manage/<int:pk>/authors/", views.study_author_add, name="study_author_add"),
    path(
        "studies/manage/<int:pk>/authors/<int:author_pk>/remove/",
        views.study_author_remove,
        name="study_author_remove",
    ),
    path(
        "studies/manage/<int:pk>/authors/<int:author_pk>/request/",
        views.study_author_request,
        name="study_author_request",
    ),
    path(
        "studies/manage/<int:pk>/authors/<int:author_pk>/answer/",
        views.study_author_answer,
        name="study_author_answer",
    ),
    path("studies/manage/<int:pk>/files/", views.study_file_upload, name="study_file_upload"),
    path("studies/manage/<int:pk>/files/copy/", views.study_file_copy, name="study_file_copy"),
    path(
        "studies/manage/<int:pk>/files/<int:file_pk>/",
        views.study_file_staff,
        name="study_file_staff",
    ),
    path(
        "studies/manage/<int:pk>/files/<int:file_pk>/remove/",
        views.study_file_remove,
        name="study_file_remove",
    ),
    path("studies/consent/<str:token>/", views.author_consent, name="author_consent"),
    path(
        "teams/<int:team_pk>/studies/new/",
        views.study_create_from_cycle,
        name="study_create_from_cycle",
    ),
    # Public: the study page, its files and citations.
    path("studies/<slug:slug>/", views.study_detail, name="study_detail"),
    path("studies/<slug:slug>/files/<int:pk>/", views.study_file, name="study_file"),
    path(
        "studies/<slug:slug>/cite.ris",
        views.study_citation,
        {"fmt": "ris"},
        name="study_citation_ris",
    ),
    path(
        "studies/<slug:slug>/cite.bib",
        views.study_citation,
        {"fmt": "bib"},
        name="study_citation_bib",
    ),
]
