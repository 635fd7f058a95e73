"""The events of the continuum apps and of oversight: who is notified, who is not."""

import datetime

import pytest
import time_machine

from induction.services import check_in_record, mentor_assign
from internships.models import EvaluatorRole, Moment
from oversight.notifications import attention_scan
from placements import services as placement_services
from research_cycle.models import ResearchTeam
from schools.models import Role, RoleMembership
from tests.network_sessions.conftest import brussels

from .conftest import kinds_of

pytestmark = pytest.mark.django_db


def test_a_confirmed_placement_tells_the_student_and_the_mentor(network, proposed):
    placement_services.placement_confirm(
        placement=proposed, by=network.people["placement_coordinator"]
    )
    assert kinds_of(network.people["student_teacher"]) == ["placement_confirmed"]
    assert kinds_of(network.people["mentor"]) == ["placement_confirmed"]
    assert kinds_of(network.people["placement_coordinator"]) == []  # who confirmed
    assert kinds_of(network.people["outsider"]) == []


def test_a_complete_evaluation_tells_the_student(network, internship, rubric):
    from internships import services

    levels = {c.pk: c.levels.get(rank=2) for c in rubric.criteria.all()}
    for role, person in [
        (EvaluatorRole.MENTOR, "mentor"),
        (EvaluatorRole.BRIDGE_BUILDER, "bridge_builder"),
    ]:
        services.evaluation_save(
            placement=internship,
            moment=Moment.MID_TERM,
            evaluator_role=role,
            author=network.people[person],
            levels=levels,
            summary="",
            submit=True,
        )
    assert kinds_of(network.people["student_teacher"]) == ["internship_evaluated"]
    assert kinds_of(network.people["mentor"]) == []
    assert kinds_of(network.people["outsider"]) == []


def test_a_recorded_check_in_tells_the_starter_not_the_school_leader(network):
    with time_machine.travel(brussels(2025, 11, 12, 10, 0), tick=False):
        starter = RoleMembership.objects.get(
            user=network.people["starting_teacher"], role=Role.STARTING_TEACHER
        )
        mentor_assign(
            starter=starter,
            mentor=network.people["mentor"],
            assigned_by=network.people["school_leader"],
            on=datetime.date(2025, 9, 3),
        )
        first = starter.induction_plan.check_ins.order_by("due_on").first()
        check_in_record(
            check_in=first, held_on=first.due_on, notes="", user=network.people["mentor"]
        )
    assert kinds_of(network.people["starting_teacher"]) == ["check_in_recorded"]
    assert kinds_of(network.people["mentor"]) == []  # who recorded it
    assert kinds_of(network.people["school_leader"]) == []  # the notes are not theirs


def test_a_quiet_team_tells_its_overseers_once_a_week(network):
    # The home team has logged nothing since it was made: after the inactivity
    # limit it needs attention.
    ResearchTeam.objects.update(created_at=brussels(2025, 9, 1, 9, 0))
    with time_machine.travel(brussels(2026, 3, 2, 7, 0), tick=False):
        attention_scan()
        attention_scan()
    with time_machine.travel(brussels(2026, 3, 3, 7, 0), tick=False):
        attention_scan()
    assert kinds_of(network.people["bridge_builder"]) == ["team_needs_attention"]
    assert "team_needs_attention" in kinds_of(network.people["school_leader"])
    assert kinds_of(network.people["coach"]) == []  # a member, not an overseer
    assert kinds_of(network.people["outsider"]) == []
    with time_machine.travel(brussels(2026, 3, 9, 7, 0), tick=False):
        attention_scan()
    assert kinds_of(network.people["bridge_builder"]) == ["team_needs_attention"] * 2
