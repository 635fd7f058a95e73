"""Assigning and replacing mentors, the plan's cadence and check-ins, as the services
do them (the views only call these)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from induction.models import CheckIn, InductionPlan, MentorAssignment
from induction.services import (
    check_in_record,
    default_cadence_weeks,
    mentor_assign,
    mentor_candidates,
    plan_set_cadence,
)
from tests import factories

from .conftest import TODAY, membership

pytestmark = pytest.mark.django_db


def dates(plan):
    return list(plan.check_ins.order_by("due_on").values_list("due_on", flat=True))


def test_the_first_mentor_opens_a_plan_with_check_ins_every_three_weeks_in_year_one(
    network, starter
):
    assignment = mentor_assign(
        starter=starter,
        mentor=network.people["mentor"],
        assigned_by=network.people["school_leader"],
        on=datetime.date(2025, 9, 3),
    )
    plan = assignment.plan
    assert plan.cadence_weeks == 3
    assert dates(plan)[:3] == [
        datetime.date(2025, 9, 24),
        datetime.date(2025, 10, 15),
        datetime.date(2025, 11, 5),
    ]
    assert dates(plan)[-1] <= network.school_year.ends_on
    assert len(dates(plan)) == 14  # until the end of June


def test_the_cadence_is_lower_in_later_years_of_teaching(network):
    earlier = factories.SchoolYearFactory(name="2023-2024")
    changer = membership(network, "career_changer")
    changer.started_teaching_in = earlier
    changer.save()
    assert default_cadence_weeks(changer) == 9
    changer.started_teaching_in = factories.SchoolYearFactory(name="2024-2025")
    assert default_cadence_weeks(changer) == 6


def test_a_replaced_mentor_stays_in_the_history(network, plan, starter):
    mentor_assign(
        starter=starter,
        mentor=network.people["research_teacher"],
        assigned_by=network.people["bridge_builder"],
    )
    history = list(
        MentorAssignment.objects.filter(plan=plan)
        .order_by("assigned_from")
        .values_list("mentor__email", "assigned_from", "assigned_until")
    )
    assert history == [
        ("mentor@school.test", datetime.date(2025, 9, 3), TODAY),
        ("rt@school.test", TODAY, None),
    ]
    assert InductionPlan.objects.count() == 1  # the same plan, its check-ins kept
    assert plan.check_ins.filter(held_on__isnull=False).count() == 2


@pytest.mark.parametrize("who", ["outsider", "starting_teacher", "student_teacher"])
def test_a_mentor_must_be_a_teacher_of_the_school_that_year_and_not_the_starter(
    network, starter, who
):
    with pytest.raises(ValidationError) as error:
        mentor_assign(starter=starter, mentor=network.people[who], assigned_by=None)
    assert "mentor" in error.value.message_dict
    assert not InductionPlan.objects.exists()


def test_a_teacher_of_last_year_is_not_a_mentor_this_year(network, starter):
    person = factories.UserFactory()
    factories.RoleMembershipFactory(
        user=person,
        role="teacher",
        school=network.school,
        school_year=factories.SchoolYearFactory(name="2024-2025"),
    )
    assert person not in mentor_candidates(starter)
    assert network.people["mentor"] in mentor_candidates(starter)
    assert network.people["coach"] in mentor_candidates(starter)  # any teaching role


def test_the_same_mentor_twice_is_refused(network, plan, starter):
    with pytest.raises(ValidationError):
        mentor_assign(starter=starter, mentor=network.people["mentor"], assigned_by=None)
    assert MentorAssignment.objects.count() == 1


def test_only_starters_get_a_mentor(network):
    coach = network.people["coach"].role_memberships.get()
    with pytest.raises(ValidationError):
        mentor_assign(starter=coach, mentor=network.people["mentor"], assigned_by=None)


def test_the_database_keeps_one_current_mentor(network, plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorAssignment.objects.create(
            plan=plan, mentor=network.people["coach"], assigned_from=TODAY
        )


def test_a_new_cadence_plans_the_check_ins_to_come_again_and_keeps_the_rest(network, plan):
    overdue = plan.check_ins.get(due_on=datetime.date(2025, 11, 5))
    later = plan.check_ins.get(due_on=datetime.date(2025, 12, 17))
    check_in_record(check_in=later, held_on=None, notes="Vooraf: lesbezoek", user=None)
    plan_set_cadence(plan=plan, cadence_weeks=6)
    assert plan.cadence_weeks == 6
    assert dates(plan)[:6] == [
        datetime.date(2025, 9, 24),
        datetime.date(2025, 10, 15),
        datetime.date(2025, 11, 5),  # past, not held: stays (and stays overdue)
        datetime.date(2025, 12, 17),  # has notes: stays
        datetime.date(2026, 1, 28),  # six weeks after the last one kept
        datetime.date(2026, 3, 11),
    ]
    assert CheckIn.objects.filter(pk=overdue.pk).exists()


@pytest.mark.parametrize("weeks", [0, 27, -3])
def test_a_cadence_out_of_range_is_refused(plan, weeks):
    before = dates(plan)
    with pytest.raises(ValidationError) as error:
        plan_set_cadence(plan=plan, cadence_weeks=weeks)
    assert "cadence_weeks" in error.value.message_dict
    plan.refresh_from_db()
    assert (plan.cadence_weeks, dates(plan)) == (3, before)


def test_a_check_in_cannot_have_been_held_in_the_future(network, plan):
    check_in = plan.check_ins.get(due_on=datetime.date(2025, 11, 26))
    with pytest.raises(ValidationError) as error:
        check_in_record(
            check_in=check_in,
            held_on=TODAY + datetime.timedelta(days=1),
            notes="x",
            user=network.people["mentor"],
        )
    assert "held_on" in error.value.message_dict
    check_in.refresh_from_db()
    assert (check_in.held_on, check_in.notes) == (None, "")


def test_recording_a_check_in_marks_it_held_with_its_notes(network, plan):
    check_in = plan.check_ins.get(due_on=datetime.date(2025, 11, 5))
    check_in_record(
        check_in=check_in, held_on=TODAY, notes="Ingehaald.", user=network.people["mentor"]
    )
    check_in.refresh_from_db()
    assert check_in.is_done and check_in.notes == "Ingehaald."
    assert not CheckIn.objects.overdue(TODAY).filter(plan=plan).exists()


def test_check_ins_fall_on_school_days(network, starter):
    saturday = datetime.date(2025, 9, 6)
    plan = mentor_assign(
        starter=starter, mentor=network.people["mentor"], assigned_by=None, on=saturday
    ).plan
    assert dates(plan)[:2] == [datetime.date(2025, 9, 29), datetime.date(2025, 10, 20)]
    assert {day.weekday() for day in dates(plan)} == {0}
