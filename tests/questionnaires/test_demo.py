import pytest
from django.core.management import call_command

from knowledge_base.models import Study
from questionnaires.models import Questionnaire, Response, ResultsSnapshot
from questionnaires.selectors import results

pytestmark = pytest.mark.django_db


def test_the_demo_team_has_a_pupils_questionnaire_in_two_rounds_and_a_bilingual_one(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    pupils = Questionnaire.objects.get(perspective="pupils")
    before, after = pupils.rounds.order_by("number")
    assert Response.objects.filter(round__questionnaire=pupils).count() == 60
    assert before.closed_on and after.is_open
    _summaries, figures = results(pupils, [before, after])
    means = [fig.mean for fig in figures[0].per_round]
    assert means[0] < means[1]  # the action helped, as the demo tells it
    parents = Questionnaire.objects.get(perspective="parents")
    assert parents.all_languages == ["nl", "fr"]
    assert parents.questions.first().text_in("fr") == "Mon enfant aime lire à la maison."
    assert pupils.team.school.name == parents.team.school.name
    # The team's study draft shows both rounds' figures; no open answer is approved.
    draft = Study.objects.get(team=pupils.team, status=Study.Status.DRAFT)
    snapshots = ResultsSnapshot.objects.filter(study=draft).order_by("round__number")
    assert [s.round_name for s in snapshots] == ["Ronde 1 (voor)", "Ronde 2 (na)"]
    assert [s.responses for s in snapshots] == [32, 28]
    assert not snapshots[0].quotes.filter(approved_at__isnull=False).exists()
