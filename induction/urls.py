from django.urls import path

from . import views

app_name = "induction"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("schools/<int:pk>/", views.school_detail, name="school"),
    path("starters/<int:pk>/mentor/", views.assign_mentor, name="assign_mentor"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/cadence/", views.plan_cadence, name="cadence"),
    path("check-ins/<int:pk>/", views.check_in_record, name="check_in"),
]
