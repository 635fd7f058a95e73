from django.urls import path

from . import views

app_name = "research_cycle"

urlpatterns = [
    path("teams/<int:pk>/", views.team_workspace, name="team_workspace"),
    path("teams/<int:pk>/cycles/start/", views.cycle_start, name="cycle_start"),
    path("teams/<int:pk>/stage/", views.stage_move, name="stage_move"),
    path(
        "teams/<int:pk>/checklist/<int:item_pk>/",
        views.checklist_toggle,
        name="checklist_toggle",
    ),
    path("teams/<int:pk>/study/<slug:field>/", views.study_field_edit, name="study_field_edit"),
    path(
        "teams/<int:pk>/study/<slug:field>/history/",
        views.study_field_history,
        name="study_field_history",
    ),
    path("teams/<int:pk>/entries/new/", views.entry_create, name="entry_create"),
    path("entries/<int:entry_pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:entry_pk>/delete/", views.entry_delete, name="entry_delete"),
    path("entries/<int:entry_pk>/comments/", views.comment_create, name="comment_create"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/view/", views.attachment_view, name="attachment_view"),
    path("attachments/<int:pk>/preview/", views.attachment_preview, name="attachment_preview"),
]
