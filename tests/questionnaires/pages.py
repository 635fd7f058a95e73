"""A questionnaire with something on every page, for the suite's page-wide guards
(languages, HTML validity): Dutch and English texts, an open round, answers."""

import datetime

from django.utils import timezone

from questionnaires import services

from .conftest import add_responses


def shown_questionnaire(network):
    """An opened pupils' questionnaire in Dutch and English with 6 answers; returns
    its round."""
    coach = network.people["coach"]
    questionnaire = services.questionnaire_create(
        team=network.team,
        user=coach,
        title="Lezen in de klas",
        title_translations={"en": "Reading in class"},
        perspective="pupils",
        languages=["en"],
        smileys=True,
    )
    services.question_add(
        questionnaire=questionnaire,
        kind="scale",
        text={"nl": "Ik lees graag.", "en": "I like reading."},
        options=[{"nl": "Niet", "en": "Not"}, {"nl": "Heel graag", "en": "Very much"}],
    )
    services.question_add(
        questionnaire=questionnaire,
        kind="multiple",
        text={"nl": "Wat lees je?", "en": "What do you read?"},
        options=[{"nl": "Strips", "en": "Comics"}, {"nl": "Romans", "en": "Novels"}],
    )
    services.question_add(
        questionnaire=questionnaire,
        kind="open",
        text={"nl": "Wat helpt?", "en": "What helps?"},
        required=False,
    )
    today = timezone.localdate()
    services.consent_confirm(
        questionnaire=questionnaire,
        user=coach,
        asks_no_names=True,
        parents_informed_on=today,
        consent_letter="template_nl",
        today=today,
        now=timezone.now(),
    )
    round_ = services.round_open(
        questionnaire=questionnaire, closes_on=today + datetime.timedelta(days=9), today=today
    )
    add_responses(round_, 6, scale=2, text="Voorlezen")
    return round_
