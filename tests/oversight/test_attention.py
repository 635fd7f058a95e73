"""The attention rule: inactivity (default 21 days) and a stage held too long
(default 60 days), at the edges."""

import datetime

import pytest
import time_machine

from oversight.attention import assess
from oversight.selectors import team_rows, teams_needing_attention
from tests import factories

from .helpers import complete_cycle, log, start_cycle

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 16)
NOW = "2026-03-16 10:00 +01:00"


def _days_ago(days):
    return TODAY - datetime.timedelta(days=days)


@pytest.mark.parametrize(
    ("days", "flagged"), [(0, False), (20, False), (21, True), (22, True), (200, True)]
)
def test_inactivity_is_flagged_from_the_configured_number_of_days(days, flagged):
    attention = assess(
        last_activity_on=_days_ago(days),
        stage_entered_on=_days_ago(days),
        completed=False,
        on=TODAY,
    )
    assert attention.inactive is flagged
    assert attention.days_since_activity == days


@pytest.mark.parametrize(("days", "stuck"), [(59, False), (60, False), (61, True)])
def test_a_stage_held_longer_than_the_configured_time_is_flagged(days, stuck):
    attention = assess(
        last_activity_on=TODAY, stage_entered_on=_days_ago(days), completed=False, on=TODAY
    )
    assert attention.stuck is stuck
    assert attention.inactive is False
    assert attention.needed is stuck


def test_thresholds_come_from_the_settings(settings):
    settings.LEERBRUG_INACTIVITY_DAYS = 7
    settings.LEERBRUG_STAGE_STUCK_DAYS = 14
    attention = assess(
        last_activity_on=_days_ago(7), stage_entered_on=_days_ago(15), completed=False, on=TODAY
    )
    assert attention.inactive and attention.stuck and attention.weight == 2
    attention = assess(
        last_activity_on=_days_ago(6), stage_entered_on=_days_ago(14), completed=False, on=TODAY
    )
    assert not attention.needed


def test_a_completed_cycle_needs_no_attention():
    attention = assess(
        last_activity_on=_days_ago(100), stage_entered_on=_days_ago(100), completed=True, on=TODAY
    )
    assert not attention.needed
    assert attention.days_in_stage is None


@time_machine.travel(NOW, tick=False)
def test_team_rows_flag_the_right_teams_and_sort_them_first(network):
    coach = network.people["coach"]
    # The home team logged 3 days ago: on track.
    home = start_cycle(network.team, coach, stage_order=3, days_in_stage=10)
    log(home, coach, _days_ago(3))
    # A second team at the same school logged exactly 21 days ago: inactive.
    quiet_team = factories.ResearchTeamFactory(
        school=network.school, school_year=network.school_year, theme="Stil team"
    )
    quiet = start_cycle(quiet_team, coach, stage_order=2, days_in_stage=40)
    log(quiet, coach, _days_ago(21))
    log(quiet, coach, _days_ago(50))
    # A third logs weekly but has been in data collection for 61 days: stuck.
    stuck_team = factories.ResearchTeamFactory(
        school=network.school, school_year=network.school_year, theme="Vast team"
    )
    stuck = start_cycle(stuck_team, coach, stage_order=5, days_in_stage=61)
    log(stuck, coach, _days_ago(2))

    rows = team_rows(network.people["bridge_builder"])
    by_theme = {row.team.theme: row for row in rows}
    assert set(by_theme) == {"Leesmotivatie", "Stil team", "Vast team"}
    assert by_theme["Stil team"].attention.inactive
    assert by_theme["Stil team"].last_entry_on == _days_ago(21)
    assert by_theme["Vast team"].attention.stuck
    assert not by_theme["Vast team"].attention.inactive
    assert not by_theme["Leesmotivatie"].attention.needed
    assert by_theme["Leesmotivatie"].stage.code == "question"
    assert by_theme["Leesmotivatie"].last_entry_author == coach.full_name
    assert rows[-1].team.theme == "Leesmotivatie"
    # The other school's team is not the bridge-builder's.
    assert network.other_team not in [row.team for row in rows]

    flagged = teams_needing_attention(network.people["bridge_builder"])
    assert [row.team.theme for row in flagged] == ["Stil team", "Vast team"]
    assert teams_needing_attention(network.people["coach"]) == []
    assert teams_needing_attention(network.people["outsider"]) == []


@time_machine.travel(NOW, tick=False)
def test_a_team_that_never_logged_counts_from_the_start_of_its_cycle(network):
    start_cycle(network.team, network.people["coach"], days_in_stage=21)
    (row,) = team_rows(network.people["bridge_builder"])
    assert row.last_entry_on is None
    assert row.attention.days_since_activity == 21
    assert row.attention.inactive


@time_machine.travel(NOW, tick=False)
def test_a_completed_team_is_on_track(network):
    coach = network.people["coach"]
    cycle = start_cycle(network.team, coach, days_in_stage=100)
    complete_cycle(cycle, coach)
    (row,) = team_rows(network.people["bridge_builder"])
    assert row.completed and not row.attention.needed
    assert row.state_code == "completed"


@time_machine.travel("2026-11-20 10:00 +01:00", tick=False)
def test_a_past_school_year_is_judged_on_its_last_day(network):
    """Looking back at 2025-2026 in November 2026: days count to 30 June 2026."""
    coach = network.people["coach"]
    cycle = start_cycle(network.team, coach, stage_order=2, days_in_stage=200)
    log(cycle, coach, datetime.date(2026, 6, 20))
    (row,) = team_rows(network.people["bridge_builder"], network.school_year)
    assert row.attention.days_since_activity == 10
    assert not row.attention.inactive
