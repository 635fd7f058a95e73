from django.urls import path

from . import views

app_name = "continuum"

urlpatterns = [
    path("people/<int:pk>/", views.person_path, name="person"),
    path("cohorts/", views.cohort_list, name="cohorts"),
]
