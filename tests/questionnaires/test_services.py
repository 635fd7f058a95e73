"""The builder, the consent gate and storing answers, through the services."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from questionnaires import services
from questionnaires.models import Answer, Question, Response, UsedNonce

from .conftest import confirm, nonce

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 2)


def test_a_questionnaire_gets_its_questions_in_order_with_texts_per_language(network):
    questionnaire = services.questionnaire_create(
        team=network.team,
        user=network.people["research_teacher"],
        title="Ouders over huiswerk",
        perspective="parents",
        languages=["ar", "fr"],
        title_translations={"fr": "Les parents et les devoirs", "ar": "الآباء والواجبات"},
    )
    first = services.question_add(
        questionnaire=questionnaire,
        kind=Question.Kind.SCALE,
        text={"nl": "Huiswerk helpt mijn kind.", "fr": "Les devoirs aident mon enfant."},
        options=[{"nl": "Oneens", "fr": "Pas d'accord"}, {"nl": "Eens", "fr": "D'accord"}],
    )
    second = services.question_add(
        questionnaire=questionnaire, kind=Question.Kind.OPEN, text={"nl": "Tips?"}, required=False
    )
    assert questionnaire.languages == ["fr", "ar"]  # in the site's order
    assert questionnaire.all_languages == ["nl", "fr", "ar"]
    assert list(questionnaire.questions.all()) == [first, second]
    assert first.text_in("fr") == "Les devoirs aident mon enfant."
    assert first.options_in("ar") == ["Oneens", "Eens"]  # Dutch where a language lacks a text
    assert questionnaire.title_in("ar") == "الآباء والواجبات"


@pytest.mark.parametrize(
    ("kind", "options", "field"),
    [
        (Question.Kind.SCALE, [{"nl": "Eén"}], "options"),
        (Question.Kind.SCALE, [{"nl": str(n)} for n in range(8)], "options"),
        (Question.Kind.SINGLE, [{"nl": "Enige"}], "options"),
        (Question.Kind.OPEN, [{"nl": "Ja"}, {"nl": "Nee"}], "options"),
    ],
)
def test_a_question_with_impossible_options_is_refused(questionnaire, kind, options, field):
    with pytest.raises(ValidationError) as error:
        services.question_add(
            questionnaire=questionnaire, kind=kind, text={"nl": "Vraag"}, options=options
        )
    assert field in error.value.message_dict
    assert questionnaire.questions.count() == 4


def test_a_question_needs_its_dutch_text(questionnaire):
    with pytest.raises(ValidationError) as error:
        services.question_add(questionnaire=questionnaire, kind="open", text={"fr": "Question"})
    assert "text" in error.value.message_dict


def test_unknown_languages_are_refused(network):
    with pytest.raises(ValidationError):
        services.questionnaire_create(
            team=network.team,
            user=network.people["coach"],
            title="X",
            perspective="parents",
            languages=["xx"],
        )


def test_no_opening_without_the_consent_step(questionnaire):
    with pytest.raises(ValidationError, match="toestemmingsstap"):
        services.round_open(
            questionnaire=questionnaire, closes_on=TODAY + datetime.timedelta(days=7), today=TODAY
        )
    assert not questionnaire.rounds.exists()


def test_consent_for_pupils_needs_the_date_and_the_letter(questionnaire, network):
    with pytest.raises(ValidationError) as error:
        services.consent_confirm(
            questionnaire=questionnaire,
            user=network.people["coach"],
            asks_no_names=False,
            today=TODAY,
            now=timezone.now(),
        )
    assert set(error.value.message_dict) == {
        "asks_no_names",
        "parents_informed_on",
        "consent_letter",
    }
    questionnaire.refresh_from_db()
    assert not questionnaire.consent_confirmed


def test_parents_cannot_have_been_informed_in_the_future(questionnaire, network):
    with pytest.raises(ValidationError) as error:
        services.consent_confirm(
            questionnaire=questionnaire,
            user=network.people["coach"],
            asks_no_names=True,
            parents_informed_on=TODAY + datetime.timedelta(days=1),
            consent_letter="template_fr",
            today=TODAY,
            now=timezone.now(),
        )
    assert "parents_informed_on" in error.value.message_dict


def test_consent_for_colleagues_only_asks_for_no_names(network):
    questionnaire = services.questionnaire_create(
        team=network.team, user=network.people["coach"], title="Team", perspective="colleagues"
    )
    services.consent_confirm(
        questionnaire=questionnaire,
        user=network.people["coach"],
        asks_no_names=True,
        today=TODAY,
        now=timezone.now(),
    )
    assert questionnaire.consent_confirmed and questionnaire.parents_informed_on is None


def test_consent_stores_the_date_and_letter_and_then_the_questionnaire_opens(
    questionnaire, network
):
    confirm(questionnaire, network.people["coach"])
    questionnaire.refresh_from_db()
    assert questionnaire.consent_letter == "template_nl"
    assert questionnaire.parents_informed_on is not None
    assert questionnaire.consent_confirmed_by == network.people["coach"]
    round_ = services.round_open(
        questionnaire=questionnaire, closes_on=TODAY + datetime.timedelta(days=7), today=TODAY
    )
    assert round_.number == 1 and round_.is_open_on(TODAY)
    assert len(round_.token) >= 16


def test_a_second_round_opens_after_the_first_closed_and_questions_are_then_frozen(
    questionnaire, network
):
    confirm(questionnaire, network.people["coach"])
    first = services.round_open(
        questionnaire=questionnaire, closes_on=TODAY + datetime.timedelta(days=7), today=TODAY
    )
    with pytest.raises(ValidationError, match="open ronde"):
        services.round_open(
            questionnaire=questionnaire, closes_on=TODAY + datetime.timedelta(days=7), today=TODAY
        )
    services.round_close(round_=first, today=TODAY)
    second = services.round_open(
        questionnaire=questionnaire,
        closes_on=TODAY + datetime.timedelta(days=7),
        label="na",
        today=TODAY,
    )
    assert second.number == 2 and second.token != first.token
    with pytest.raises(ValidationError, match="niet meer veranderen"):
        services.question_add(questionnaire=questionnaire, kind="open", text={"nl": "Nog één"})
    with pytest.raises(ValidationError):
        services.question_delete(question=questionnaire.questions.first())


def test_a_closing_date_in_the_past_is_refused(questionnaire, network):
    confirm(questionnaire, network.people["coach"])
    with pytest.raises(ValidationError) as error:
        services.round_open(
            questionnaire=questionnaire, closes_on=TODAY - datetime.timedelta(days=1), today=TODAY
        )
    assert "closes_on" in error.value.message_dict


def _answers(questionnaire, overrides=None):
    scale, single, multiple, open_ = questionnaire.questions.all()
    answers = {scale.pk: 3, single.pk: 2, multiple.pk: [1, 3], open_.pk: "Meer strips"}
    answers.update({q.pk: v for q, v in (overrides or {}).items()})
    return answers


def test_stored_answers_carry_no_identifier(opened):
    today = opened.opened_on
    response = services.response_submit(
        round_=opened, answers=_answers(opened.questionnaire), nonce=nonce(), today=today
    )
    # The response is a random UUID and a day; nothing else is stored about the sender.
    assert {f.name for f in Response._meta.concrete_fields} == {"id", "round", "submitted_on"}
    assert {f.name for f in Answer._meta.concrete_fields} == {
        "id",
        "response",
        "question",
        "round",
        "value",
        "text",
        "hidden",
    }
    assert response.id.version == 4
    assert isinstance(Response.objects.get().submitted_on, datetime.date)
    assert not isinstance(Response.objects.get().submitted_on, datetime.datetime)
    assert sorted(Answer.objects.exclude(value=None).values_list("value", flat=True)) == [
        1,
        2,
        3,
        3,
    ]
    assert Answer.objects.get(value=None).text == "Meer strips"


def test_a_replayed_nonce_stores_nothing_twice(opened):
    used = nonce()
    answers = _answers(opened.questionnaire)
    services.response_submit(round_=opened, answers=answers, nonce=used, today=opened.opened_on)
    with pytest.raises(services.Replayed):
        services.response_submit(round_=opened, answers=answers, nonce=used, today=opened.opened_on)
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 5


@pytest.mark.parametrize(
    "bad",
    [
        {"scale": None},  # required
        {"scale": 4},  # outside the scale
        {"scale": 0},
        {"single": [1, 2]},  # one only
        {"open": "x" * 100_000},
    ],
)
def test_bad_answers_store_nothing(opened, bad):
    scale, single, _multiple, open_ = opened.questionnaire.questions.all()
    by_name = {"scale": scale, "single": single, "open": open_}
    answers = _answers(opened.questionnaire, {by_name[k]: v for k, v in bad.items()})
    with pytest.raises(ValidationError):
        services.response_submit(
            round_=opened, answers=answers, nonce=nonce(), today=opened.opened_on
        )
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_a_closed_round_takes_no_answers(opened):
    services.round_close(round_=opened, today=opened.opened_on)
    with pytest.raises(ValidationError, match="gesloten"):
        services.response_submit(
            round_=opened,
            answers=_answers(opened.questionnaire),
            nonce=nonce(),
            today=opened.opened_on,
        )
    after_closing = opened.closes_on + datetime.timedelta(days=1)
    opened.closed_on = None
    assert not opened.is_open_on(after_closing)


@pytest.mark.postgres
def test_a_round_closed_after_the_form_read_it_takes_no_answers(opened):
    """The form read the round while it was open; the coach closed it before the
    answers came: nothing is stored, and the nonce stays unused (the one-statement
    submit checks the round in the database)."""
    as_read = opened.__class__.objects.get(pk=opened.pk)
    services.round_close(round_=opened, today=opened.opened_on)
    with pytest.raises(services.Closed, match="gesloten"):
        services.response_submit(
            round_=as_read,
            answers=_answers(opened.questionnaire),
            nonce=nonce(),
            today=opened.opened_on,
        )
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not UsedNonce.objects.exists()


def test_an_open_answer_is_stored_exactly_as_typed(opened):
    typed = 'Zeg "ja" – één \\ keer; مرحبا {a,b} NULL'
    _scale, _single, _multiple, open_ = opened.questionnaire.questions.all()
    answers = _answers(opened.questionnaire, {open_: typed})
    services.response_submit(round_=opened, answers=answers, nonce=nonce(), today=opened.opened_on)
    assert Answer.objects.get(question=open_).text == typed
    assert Answer.objects.filter(value=None).count() == 1
