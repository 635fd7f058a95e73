"""Two overseers assigning a mentor to the same starter at the same moment: one
plan, one current mentor, the other in the history (PostgreSQL, real threads)."""

import datetime

import pytest

from induction.models import InductionPlan, MentorAssignment
from induction.services import mentor_assign
from tests.network_sessions.test_exactly_once_postgres import run_at_once

from .conftest import membership

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_assignments_at_once_leave_one_plan_and_one_current_mentor(network):
    starter = membership(network, "starting_teacher")
    mentors = iter([network.people["mentor"], network.people["coach"]])
    on = datetime.date(2025, 9, 3)

    def assign():
        return mentor_assign(starter=starter, mentor=next(mentors), assigned_by=None, on=on)

    run_at_once(assign, 2)
    assert InductionPlan.objects.count() == 1
    assert MentorAssignment.objects.filter(assigned_until__isnull=True).count() == 1
    assert MentorAssignment.objects.count() == 2
    assert InductionPlan.objects.get().check_ins.count() == 14
