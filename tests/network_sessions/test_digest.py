"""The weekly digest: each bridge-builder hears which of their teams went quiet."""

import datetime

import pytest
import time_machine

from network_sessions.mail import deliveries_scan, digests_create
from network_sessions.models import DigestDelivery
from network_sessions.selectors import teams_needing_attention
from network_sessions.tasks import create_weekly_digests
from research_cycle.models import CycleStage
from research_cycle.services import cycle_start, log_entry_create
from tests import factories

from .conftest import brussels

pytestmark = pytest.mark.django_db

MONDAY = brussels(2025, 11, 17, 7, 0)


@pytest.fixture
def teams(network):
    """The bridge-builder's school has a team that logged 30 days ago (quiet), a
    second school of theirs a team that logged yesterday (fine), and a third a
    team that never logged (quiet)."""
    bridge_builder = network.people["bridge_builder"]
    busy_school = factories.SchoolFactory(partnership=network.partnership, name="Sint-Guido")
    new_school = factories.SchoolFactory(partnership=network.partnership, name="De Wimpel")
    for school in (busy_school, new_school):
        factories.RoleMembershipFactory(
            user=bridge_builder,
            role="bridge_builder",
            school=school,
            institution=network.institution,
            school_year=network.school_year,
        )
    busy = factories.ResearchTeamFactory(
        school=busy_school, school_year=network.school_year, theme="Feedback"
    )
    # A team that never logged: the oversight rule counts from when it was made.
    with time_machine.travel(MONDAY - datetime.timedelta(days=60), tick=False):
        factories.ResearchTeamFactory(
            school=new_school, school_year=network.school_year, theme="Rust in de klas"
        )
    stage = CycleStage.objects.order_by("order").first()
    coach = network.people["coach"]
    with time_machine.travel(MONDAY, tick=False):
        for team, days_ago in ((network.team, 30), (busy, 1)):
            cycle = cycle_start(team=team, user=coach)
            log_entry_create(
                cycle=cycle,
                author=coach,
                stage=stage,
                occurred_on=MONDAY.date() - datetime.timedelta(days=days_ago),
                summary="Gesprek met de leerlingen",
            )
    return network


def test_teams_without_a_log_entry_in_21_days_need_attention(teams):
    with time_machine.travel(MONDAY, tick=False):
        quiet = teams_needing_attention(teams.people["bridge_builder"])
    assert [(t.school.name, t.theme) for t in quiet] == [
        ("Basisschool De Regenboog", "Leesmotivatie"),
        ("De Wimpel", "Rust in de klas"),
    ]
    assert quiet[0].last_logged_on == datetime.date(2025, 10, 18)
    assert quiet[1].last_logged_on is None


def test_the_threshold_is_a_setting(teams, settings):
    settings.LEERBRUG_INACTIVITY_DAYS = 45
    with time_machine.travel(MONDAY, tick=False):
        quiet = teams_needing_attention(teams.people["bridge_builder"])
    assert [t.theme for t in quiet] == ["Rust in de klas"]


def test_other_peoples_teams_are_not_in_my_digest(teams):
    with time_machine.travel(MONDAY, tick=False):
        assert teams_needing_attention(teams.people["outsider"]) == []


def test_the_weekly_digest_is_mailed_once_per_bridge_builder_per_week(teams, mailoutbox):
    with time_machine.travel(MONDAY, tick=False):
        create_weekly_digests()
        create_weekly_digests()  # beat fired twice (or two beats): still one mail
        deliveries_scan()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["bb@school.test"]
    assert message.subject == "Deze week: 2 teams vragen je aandacht"
    assert "Basisschool De Regenboog: Leesmotivatie (laatste notitie 18 oktober 2025)" in (
        message.body
    )
    assert "De Wimpel: Rust in de klas (nog geen notities)" in message.body
    assert "Sint-Guido" not in message.body
    with time_machine.travel(MONDAY + datetime.timedelta(days=7), tick=False):
        digests_create()
        deliveries_scan()
    assert len(mailoutbox) == 2
    assert DigestDelivery.objects.filter(sent_at__isnull=False).count() == 2


def test_no_digest_when_every_team_is_active(network, mailoutbox):
    with time_machine.travel(MONDAY, tick=False):
        stage = CycleStage.objects.order_by("order").first()
        cycle = cycle_start(team=network.team, user=network.people["coach"])
        log_entry_create(
            cycle=cycle,
            author=network.people["coach"],
            stage=stage,
            occurred_on=MONDAY.date(),
            summary="Vandaag gestart",
        )
        create_weekly_digests()
    assert mailoutbox == []
    assert DigestDelivery.objects.get().skipped_at is not None


def test_a_team_stuck_in_one_stage_is_in_the_digest_with_the_reason(teams, settings):
    from network_sessions.selectors import teams_needing_attention as digest_teams

    settings.LEERBRUG_STAGE_STUCK_DAYS = 20
    with time_machine.travel(MONDAY + datetime.timedelta(days=40), tick=False):
        quiet = digest_teams(teams.people["bridge_builder"])
    stuck = [t for t in quiet if t.theme == "Feedback"]
    assert stuck and stuck[0].attention.stuck
