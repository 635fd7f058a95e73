"""Answers are deleted a set time after the cycle completes (12 months unless the
network set otherwise), with one notice to the coach a month before; the figures
stay."""

import datetime

import pytest
import time_machine

from questionnaires.models import Answer, Response, RetentionPolicy, Round, UsedNonce
from questionnaires.retention import add_months, retention_run
from questionnaires.selectors import results
from questionnaires.tasks import apply_retention

from .conftest import add_responses

pytestmark = pytest.mark.django_db

COMPLETED = datetime.datetime(2026, 6, 30, 12, tzinfo=datetime.UTC)


@pytest.fixture
def finished(network, opened):
    """Seven answers in a round of a cycle that completed on 30 June 2026."""
    add_responses(opened, 7, scale=3, text="Meer strips")
    UsedNonce.objects.create(nonce="used-once", round=opened)
    cycle = opened.questionnaire.cycle
    assert cycle is not None, "the questionnaire belongs to the team's cycle"
    cycle.completed_at = COMPLETED
    cycle.save()
    return opened


@pytest.fixture
def cycle(network):
    from research_cycle.services import cycle_start

    return cycle_start(team=network.team, user=network.people["coach"])


@pytest.fixture
def opened(cycle, opened):  # the round of a questionnaire made during the cycle
    return opened


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(COMPLETED, 12).date() == datetime.date(2027, 6, 30)
    moment = datetime.datetime(2027, 3, 31, tzinfo=datetime.UTC)
    assert add_months(moment, -1).date() == datetime.date(2027, 2, 28)


def test_nothing_happens_while_the_cycle_runs_or_long_before(finished, mailoutbox):
    with time_machine.travel(COMPLETED + datetime.timedelta(days=300)):
        assert retention_run() == {"noticed": 0, "deleted": 0}
    assert Answer.objects.exists() and mailoutbox == []


def test_the_coach_gets_one_notice_a_month_before(finished, network, mailoutbox):
    with time_machine.travel(datetime.datetime(2027, 5, 31, 4, tzinfo=datetime.UTC)):
        assert retention_run()["noticed"] == 1
        apply_retention.delay()  # the beat task, again the next day: no second mail
    with time_machine.travel(datetime.datetime(2027, 6, 1, 4, tzinfo=datetime.UTC)):
        retention_run()
    assert [m.to for m in mailoutbox] == [["coach@school.test"]]
    assert "Lezen in de klas" in mailoutbox[0].subject
    assert Answer.objects.exists()


def test_after_twelve_months_answers_go_and_figures_stay(finished, network, mailoutbox):
    before, _ = results(finished.questionnaire, [finished])
    with time_machine.travel(datetime.datetime(2027, 7, 1, 4, tzinfo=datetime.UTC)):
        retention_run()
    assert not Answer.objects.exists() and not Response.objects.exists()
    assert not UsedNonce.objects.exists()
    round_ = Round.objects.get()
    assert round_.answers_deleted_on == datetime.date(2027, 7, 1)
    summaries, figures = results(round_.questionnaire, [round_])
    assert summaries[0].responses == 7
    assert figures[0].per_round[0].mean == 3.0
    assert [o.count for o in figures[0].per_round[0].options] == [0, 0, 7]
    assert figures[3].open_answers == []


def test_the_network_sets_its_own_period(finished, network):
    RetentionPolicy.objects.create(partnership=network.partnership, months=3)
    with time_machine.travel(datetime.datetime(2026, 10, 1, 4, tzinfo=datetime.UTC)):
        retention_run()
    assert not Answer.objects.exists()


def test_the_public_link_is_gone_with_the_answers(client, finished):
    with time_machine.travel(datetime.datetime(2027, 7, 2, tzinfo=datetime.UTC)):
        retention_run()
    assert client.get(f"/q/{finished.token}/").status_code == 404
