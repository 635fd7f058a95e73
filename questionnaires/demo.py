"""Demo questionnaires for ``seed_demo``: the demo team asked its pupils before
and after its action (two rounds, about 60 answers) and asks the parents in
Dutch and French; the pupils' figures of both rounds are attached to the team's
study draft. Idempotent: found again by title."""

import datetime
import random
import uuid

from django.utils import timezone

from knowledge_base.models import Study
from knowledge_base.services import study_create_from_cycle

from . import services
from .models import Question, Questionnaire, ResultsSnapshot

PUPILS = "Hoe graag lees jij?"
PARENTS = "Ouders over lezen thuis"
COLLEAGUES = "Collega's over leestijd"


def _answer(round_, questions, rng: random.Random, day: datetime.date, lean: int) -> None:
    answers: dict[int, object] = {}
    for question in questions:
        points = len(question.options)
        if question.kind == Question.Kind.SCALE:
            answers[question.pk] = max(1, min(points, rng.randint(1, points) + lean))
        elif question.kind == Question.Kind.SINGLE:
            answers[question.pk] = rng.randint(1, points)
        elif question.kind == Question.Kind.MULTIPLE:
            answers[question.pk] = sorted(rng.sample(range(1, points + 1), rng.randint(1, 2)))
        elif rng.random() < 0.4:
            answers[question.pk] = rng.choice(
                ["Meer strips in de klas", "Zelf boeken kiezen", "Voorlezen", "Een leeshoek"]
            )
    services.response_submit(round_=round_, answers=answers, nonce=uuid.uuid4().hex, today=day)


def _pupils(team, coach, today) -> None:
    questionnaire = services.questionnaire_create(
        team=team,
        user=coach,
        title=PUPILS,
        perspective="pupils",
        child_friendly=True,
        smileys=True,
    )
    faces = [{"nl": "Helemaal niet"}, {"nl": "Niet zo"}, {"nl": "Gewoon"}, {"nl": "Graag"}]
    faces.append({"nl": "Heel graag"})
    add = services.question_add
    add(questionnaire=questionnaire, kind="scale", text={"nl": "Ik lees graag."}, options=faces)
    add(
        questionnaire=questionnaire,
        kind="scale",
        text={"nl": "Ik lees graag in de klas."},
        options=faces,
    )
    add(
        questionnaire=questionnaire,
        kind="single",
        text={"nl": "Waar lees je het liefst?"},
        options=[{"nl": "Thuis"}, {"nl": "Op school"}, {"nl": "In de bib"}],
    )
    add(
        questionnaire=questionnaire,
        kind="multiple",
        text={"nl": "Wat lees je graag?"},
        options=[
            {"nl": "Strips"},
            {"nl": "Verhalen"},
            {"nl": "Weetjesboeken"},
            {"nl": "Gedichten"},
        ],
        required=False,
    )
    add(
        questionnaire=questionnaire,
        kind="open",
        text={"nl": "Wat zou lezen in de klas leuker maken?"},
        required=False,
    )
    services.consent_confirm(
        questionnaire=questionnaire,
        user=coach,
        asks_no_names=True,
        parents_informed_on=today - datetime.timedelta(days=50),
        consent_letter=Questionnaire.ConsentLetter.TEMPLATE_NL,
        today=today,
        now=timezone.now(),
    )
    questions = list(questionnaire.questions.all())
    rng = random.Random(13)
    before_day = today - datetime.timedelta(days=40)
    before = services.round_open(
        questionnaire=questionnaire,
        closes_on=before_day + datetime.timedelta(days=7),
        label="voor",
        today=before_day,
    )
    for number in range(32):
        _answer(before, questions, rng, before_day + datetime.timedelta(days=number % 5), -1)
    services.round_close(round_=before, today=before_day + datetime.timedelta(days=7))
    after = services.round_open(
        questionnaire=questionnaire,
        closes_on=today + datetime.timedelta(days=10),
        label="na",
        today=today - datetime.timedelta(days=3),
    )
    for number in range(28):
        _answer(after, questions, rng, today - datetime.timedelta(days=number % 3), 1)


def _parents(team, coach, today) -> None:
    questionnaire = services.questionnaire_create(
        team=team,
        user=coach,
        title=PARENTS,
        title_translations={"fr": "Les parents et la lecture à la maison"},
        perspective="parents",
        languages=["fr"],
    )
    services.question_add(
        questionnaire=questionnaire,
        kind="scale",
        text={"nl": "Mijn kind leest thuis graag.", "fr": "Mon enfant aime lire à la maison."},
        options=[
            {"nl": "Oneens", "fr": "Pas d'accord"},
            {"nl": "Neutraal", "fr": "Neutre"},
            {"nl": "Eens", "fr": "D'accord"},
        ],
    )
    services.question_add(
        questionnaire=questionnaire,
        kind="single",
        text={"nl": "Hoe vaak leest u samen?", "fr": "À quelle fréquence lisez-vous ensemble ?"},
        options=[
            {"nl": "Bijna nooit", "fr": "Presque jamais"},
            {"nl": "Wekelijks", "fr": "Chaque semaine"},
            {"nl": "Dagelijks", "fr": "Chaque jour"},
        ],
    )
    services.question_add(
        questionnaire=questionnaire,
        kind="open",
        text={"nl": "Wat kan de school doen?", "fr": "Que peut faire l'école ?"},
        required=False,
    )
    services.consent_confirm(
        questionnaire=questionnaire, user=coach, asks_no_names=True, today=today, now=timezone.now()
    )
    round_ = services.round_open(
        questionnaire=questionnaire, closes_on=today + datetime.timedelta(days=14), today=today
    )
    rng = random.Random(7)
    questions = list(questionnaire.questions.all())
    for _number in range(9):
        _answer(round_, questions, rng, today, 0)


def _colleagues(team, coach) -> None:
    """A draft the team is still building (not opened, no consent step yet)."""
    questionnaire = services.questionnaire_create(
        team=team, user=coach, title=COLLEAGUES, perspective="colleagues"
    )
    services.question_add(
        questionnaire=questionnaire,
        kind="scale",
        text={"nl": "Er is genoeg tijd om vrij te lezen in mijn klas."},
        options=[{"nl": "Oneens"}, {"nl": "Neutraal"}, {"nl": "Eens"}],
    )


def seed(network) -> None:
    team = network.home_team
    coach = team.memberships.filter(role="coach").first().user
    today = timezone.localdate()
    titles = set(team.questionnaires.values_list("title", flat=True))
    # Oldest first: the list shows the newest on top (the draft, then the pupils').
    if PARENTS not in titles:
        _parents(team, coach, today)
    if PUPILS not in titles:
        _pupils(team, coach, today)
    if COLLEAGUES not in titles:
        _colleagues(team, coach)
    _attach_to_study_draft(team, coach)


def _attach_to_study_draft(team, coach) -> None:
    """The team writes up its cycle with the pupils' figures before and after the
    action: a study draft from its cycle (one is made when it has none) with a
    snapshot of each round (aggregates; the open answers wait for the reviewer)."""
    if team.current_cycle is None:
        return
    study = Study.objects.filter(team=team, status=Study.Status.DRAFT).first()
    if study is None:
        study = study_create_from_cycle(cycle=team.current_cycle, user=coach)
    for round_ in team.questionnaires.get(title=PUPILS).rounds.all():
        if not ResultsSnapshot.objects.filter(study=study, round=round_).exists():
            services.results_attach_to_study(round_=round_, study=study, user=coach)
