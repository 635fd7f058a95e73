from django.urls import path

from . import views

app_name = "internships"

urlpatterns = [
    path("", views.internship_list, name="list"),
    path("<int:pk>/", views.internship_detail, name="detail"),
    path("<int:pk>/log/new/", views.entry_create, name="entry_create"),
    path("<int:pk>/log/<int:entry_pk>/edit/", views.entry_edit, name="entry_edit"),
    path("<int:pk>/log/<int:entry_pk>/delete/", views.entry_delete, name="entry_delete"),
    path("<int:pk>/log/confirm/", views.hours_confirm, name="hours_confirm"),
    path(
        "<int:pk>/evaluations/<slug:moment>/response/",
        views.evaluation_respond,
        name="evaluation_respond",
    ),
    path(
        "<int:pk>/evaluations/<slug:moment>/<slug:role>/",
        views.evaluation_edit,
        name="evaluation_edit",
    ),
    path("mentors/", views.mentor_register, name="mentor_register"),
    path("mentors/<int:mentor_pk>/", views.mentor_detail, name="mentor_detail"),
    path("mentors/<int:mentor_pk>/training/", views.training_add, name="training_add"),
]
