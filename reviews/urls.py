from django.urls import re_path

from . import views

app_name = "reviews"

#: A school year as it is named (2025-2026); anything else is no address here.
YEAR = r"(?P<year>[0-9]{4}-[0-9]{4})"

urlpatterns = [
    re_path(rf"^{YEAR}/$", views.review_page, name="review"),
    re_path(rf"^{YEAR}/review\.pdf$", views.review_pdf, name="pdf"),
    re_path(rf"^{YEAR}/review\.csv$", views.review_csv, name="csv"),
    re_path(rf"^{YEAR}/self-assessment/$", views.self_assessment, name="self_assessment"),
    re_path(rf"^{YEAR}/needs/$", views.needs_list, name="needs_list"),
    re_path(rf"^{YEAR}/needs/(?P<school_pk>[0-9]{{1,9}})/$", views.needs_edit, name="needs_edit"),
]
