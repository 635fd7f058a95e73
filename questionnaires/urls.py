from django.urls import path, register_converter

from . import views

app_name = "questionnaires"


class QrKind:
    """The two formats a QR code is printed from."""

    regex = "png|svg"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(QrKind, "qr_kind")

team = "teams/<int:pk>/questionnaires/"
one = team + "<int:qpk>/"

urlpatterns = [
    # First: the busiest URL of the site when a class answers (config/urls.py).
    path("q/<token:token>/", views.respond, name="respond"),
    path(team, views.questionnaire_list, name="list"),
    path(team + "new/", views.questionnaire_create, name="create"),
    path(one, views.questionnaire_detail, name="detail"),
    path(one + "edit/", views.questionnaire_edit, name="edit"),
    path(one + "preview/", views.preview, name="preview"),
    path(one + "questions/new/", views.question_form, name="question_create"),
    path(one + "questions/<int:question_pk>/", views.question_form, name="question_edit"),
    path(
        one + "questions/<int:question_pk>/delete/", views.question_delete, name="question_delete"
    ),
    path(one + "consent/", views.consent, name="consent"),
    path(one + "consent/letter-<str:language>.txt", views.consent_letter, name="consent_letter"),
    path(one + "rounds/new/", views.round_open, name="round_open"),
    path(one + "rounds/<int:number>/close/", views.round_close, name="round_close"),
    path(one + "rounds/<int:number>/qr.<qr_kind:kind>", views.round_qr, name="round_qr"),
    path(one + "results/", views.results_page, name="results"),
    path(one + "results.csv", views.results_csv, name="results_csv"),
    path(one + "results.xlsx", views.results_xlsx, name="results_xlsx"),
    path(one + "results/to-log/", views.results_to_log, name="results_to_log"),
    path(one + "results/to-study/", views.results_to_study, name="results_to_study"),
    path(
        "questionnaire-results/studies/<int:study_pk>/<int:snapshot_pk>/remove/",
        views.results_detach,
        name="results_detach",
    ),
    path(
        "questionnaire-results/studies/<int:study_pk>/quotes/<int:quote_pk>/approve/",
        views.quote_approve,
        name="quote_approve",
    ),
    path(one + "answers/export/", views.answers_export, name="answers_export"),
    path(one + "answers/<uuid:answer_pk>/hide/", views.answer_hide, name="answer_hide"),
]
