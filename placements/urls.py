from django.urls import path

from . import views

app_name = "placements"

urlpatterns = [
    path("", views.home, name="home"),
    path("schools/<int:school_id>/capacity/", views.capacity, name="capacity"),
    path("periods/<int:period_id>/preferences/", views.preferences, name="preferences"),
    path("periods/<int:period_id>/allocation/", views.allocation, name="allocation"),
    path(
        "periods/<int:period_id>/allocation/apply/",
        views.allocation_apply,
        name="allocation_apply",
    ),
    path(
        "periods/<int:period_id>/allocation/confirm/",
        views.allocation_confirm,
        name="allocation_confirm",
    ),
    path("periods/<int:period_id>/place/", views.place, name="place"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/unassign/", views.unassign, name="unassign"),
    path("<int:pk>/state/", views.transition, name="transition"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
