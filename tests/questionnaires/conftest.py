import datetime
import uuid

import pytest
from django.utils import timezone

from questionnaires import services
from questionnaires.models import Answer, Question, Response


@pytest.fixture
def questionnaire(network):
    """A pupils' questionnaire of the home team with a scale, a single choice, a
    multiple choice and an open question."""
    coach = network.people["coach"]
    questionnaire = services.questionnaire_create(
        team=network.team, user=coach, title="Lezen in de klas", perspective="pupils"
    )
    services.question_add(
        questionnaire=questionnaire,
        kind=Question.Kind.SCALE,
        text={"nl": "Ik lees graag."},
        options=[{"nl": "Niet"}, {"nl": "Een beetje"}, {"nl": "Heel graag"}],
    )
    services.question_add(
        questionnaire=questionnaire,
        kind=Question.Kind.SINGLE,
        text={"nl": "Waar lees je het liefst?"},
        options=[{"nl": "Thuis"}, {"nl": "Op school"}],
    )
    services.question_add(
        questionnaire=questionnaire,
        kind=Question.Kind.MULTIPLE,
        text={"nl": "Wat lees je?"},
        options=[{"nl": "Strips"}, {"nl": "Romans"}, {"nl": "Weetjes"}],
        required=False,
    )
    services.question_add(
        questionnaire=questionnaire,
        kind=Question.Kind.OPEN,
        text={"nl": "Wat zou lezen leuker maken?"},
        required=False,
    )
    return questionnaire


def confirm(questionnaire, coach):
    today = timezone.localdate()
    return services.consent_confirm(
        questionnaire=questionnaire,
        user=coach,
        asks_no_names=True,
        parents_informed_on=today - datetime.timedelta(days=7),
        consent_letter="template_nl",
        today=today,
        now=timezone.now(),
    )


@pytest.fixture
def opened(questionnaire, network):
    """The questionnaire, consent confirmed, with its first round open."""
    confirm(questionnaire, network.people["coach"])
    today = timezone.localdate()
    return services.round_open(
        questionnaire=questionnaire, closes_on=today + datetime.timedelta(days=14), today=today
    )


def add_responses(round_, count, *, scale=3, text=""):
    """``count`` responses straight into the tables (what the form would store)."""
    questions = list(round_.questionnaire.questions.all())
    responses = [Response(round=round_, submitted_on=round_.opened_on) for _ in range(count)]
    Response.objects.bulk_create(responses)
    answers = []
    for response in responses:
        for question in questions:
            if question.kind == Question.Kind.OPEN:
                if text:
                    answers.append(
                        Answer(response=response, question=question, round=round_, text=text)
                    )
            else:
                value = scale if question.kind == Question.Kind.SCALE else 1
                answers.append(
                    Answer(response=response, question=question, round=round_, value=value)
                )
    Answer.objects.bulk_create(answers, batch_size=2000)
    return responses


def nonce() -> str:
    return uuid.uuid4().hex
