"""Capacity, preferences, placements and their states through the services: the
domain's rules hold and bad input leaves nothing half-written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from placements import services
from placements.models import (
    HostingOffer,
    Level,
    Placement,
    PlacementPeriod,
    PlacementSlot,
)
from placements.selectors import placements_hosted
from research_cycle.models import TeamMembership
from tests import factories

from .conftest import add_school_with_line, add_student

pytestmark = pytest.mark.django_db
State = Placement.State


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (the services speak the active language)."""
    with translation.override("en"):
        yield


def restate(world, places, mentors=None):
    network = world.network
    return services.capacity_state(
        school=network.school,
        institution=network.institution,
        school_year=network.school_year,
        lines=[
            services.LineInput(period=world.stage_1, level=Level.PRIMARY, subject="", places=places)
        ],
        mentors=mentors if mentors is not None else [world.people["mentor"]],
        by=world.people["coach"],
    )


# --- Capacity -----------------------------------------------------------------


def test_a_line_has_one_slot_per_place_and_answering_is_recorded(world):
    offer = HostingOffer.objects.get(school=world.network.school)
    assert offer.answered_at is not None
    assert offer.answered_by == world.people["school_leader"]
    assert list(offer.mentors.all()) == [world.people["mentor"]]
    assert PlacementSlot.objects.filter(capacity=world.line).count() == 2
    restate(world, 5)
    world.line.refresh_from_db()
    assert world.line.places == 5
    assert PlacementSlot.objects.filter(capacity=world.line).count() == 5


def test_lowering_capacity_deletes_free_places_only(world, proposed):
    restate(world, 1)
    assert PlacementSlot.objects.filter(capacity=world.line).get() == proposed.slot
    with pytest.raises(ValidationError) as error:
        restate(world, 0)
    assert "1 place is taken" in str(error.value.message_dict["lines"])
    world.line.refresh_from_db()
    assert world.line.places == 1


def test_a_line_not_stated_again_is_removed_or_kept_at_zero_when_chosen(world):
    stage_2_line = world.stage_2.capacity_lines.get()
    restate(world, 2)  # stage 2 not stated again, nobody chose it: removed
    assert not world.stage_2.capacity_lines.exists()
    network = world.network
    services.capacity_state(
        school=network.school,
        institution=network.institution,
        school_year=network.school_year,
        lines=[services.LineInput(period=world.stage_2, level=Level.PRIMARY, subject="", places=1)],
        mentors=[],
        by=None,
    )
    stage_2_line = world.stage_2.capacity_lines.get()
    services.request_state(
        student=world.people["student_teacher"], period=world.stage_2, choices=[stage_2_line]
    )
    restate(world, 2)  # chosen by a student: kept, without places
    stage_2_line.refresh_from_db()
    assert stage_2_line.places == 0
    assert not stage_2_line.slots.exists()


def test_a_mentor_who_is_not_a_teacher_of_the_school_is_refused_and_nothing_changes(world):
    with pytest.raises(ValidationError) as error:
        restate(world, 9, mentors=[world.people["outsider"]])
    assert "is not a teacher of" in error.value.message_dict["mentors"][0]
    world.line.refresh_from_db()
    assert world.line.places == 2
    assert PlacementSlot.objects.filter(capacity=world.line).count() == 2


def test_a_period_of_another_institution_and_a_line_twice_are_refused(world):
    network = world.network
    other = PlacementPeriod.objects.create(
        institution=factories.InstitutionFactory(),
        school_year=network.school_year,
        name="Stage X",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 5),
    )
    for lines in (
        [services.LineInput(period=other, level=Level.PRIMARY, subject="", places=1)],
        [services.LineInput(period=world.stage_1, level=Level.PRIMARY, subject="", places=1)] * 2,
    ):
        with pytest.raises(ValidationError):
            services.capacity_state(
                school=network.school,
                institution=network.institution,
                school_year=network.school_year,
                lines=lines,
                mentors=[],
                by=None,
            )


def test_a_period_cannot_end_before_it_starts(world):
    period = PlacementPeriod(
        institution=world.network.institution,
        school_year=world.network.school_year,
        name="Achterstevoren",
        starts_on=datetime.date(2026, 3, 5),
        ends_on=datetime.date(2026, 3, 1),
    )
    with pytest.raises(ValidationError) as error:
        period.full_clean()
    assert "cannot end before it starts" in str(error.value)


# --- Preferences --------------------------------------------------------------


def test_preferences_are_ranked_and_editing_keeps_the_first_submission(world):
    student = world.people["student_teacher"]
    _school, other_line = add_school_with_line(world.network, world.stage_1, 1)
    first = services.request_state(student=student, period=world.stage_1, choices=[world.line])
    again = services.request_state(
        student=student,
        period=world.stage_1,
        choices=[other_line, world.line],
        wants_research_team=True,
    )
    assert again.pk == first.pk and again.submitted_at == first.submitted_at
    assert [(p.rank, p.capacity) for p in again.preferences.all()] == [
        (1, other_line),
        (2, world.line),
    ]
    assert again.wants_research_team


@pytest.mark.parametrize(
    "persona, choices, field",
    [
        ("coach", "line", None),  # not a student teacher
        ("student_teacher", "none", "choice_1"),
        ("student_teacher", "twice", "choice_2"),
        ("student_teacher", "other_period", "choice_1"),
    ],
)
def test_bad_preferences_are_refused(world, persona, choices, field):
    stage_2_line = world.stage_2.capacity_lines.get()
    chosen = {
        "line": [world.line],
        "none": [],
        "twice": [world.line, world.line],
        "other_period": [stage_2_line],
    }[choices]
    with pytest.raises(ValidationError) as error:
        services.request_state(student=world.people[persona], period=world.stage_1, choices=chosen)
    if field:
        assert field in error.value.message_dict
    assert not world.stage_1.requests.exists()


def test_preferences_are_fixed_once_placed(world, proposed):
    with pytest.raises(ValidationError):
        services.request_state(student=proposed.student, period=world.stage_1, choices=[world.line])


# --- Placements ---------------------------------------------------------------


def test_a_proposal_takes_a_place_and_a_full_line_refuses_the_next(world, proposed):
    assert proposed.state == State.PROPOSED and proposed.slot.capacity == world.line
    assert (proposed.school, proposed.level) == (world.network.school, Level.PRIMARY)
    services.placement_propose(student=add_student(world.network), capacity=world.line, by=None)
    third = add_student(world.network)
    with pytest.raises(ValidationError) as error:
        services.placement_propose(student=third, capacity=world.line, by=None)
    assert "no free place" in error.value.message_dict["capacity"][0]
    assert not Placement.objects.filter(student=third).exists()


def test_one_placement_per_student_and_period_and_no_overlapping_periods(world, proposed):
    student = proposed.student
    _school, other_line = add_school_with_line(world.network, world.stage_1, 3)
    with pytest.raises(ValidationError) as error:
        services.placement_propose(student=student, capacity=other_line, by=None)
    assert "already has a placement in Stage 1" in error.value.message_dict["capacity"][0]
    overlapping = PlacementPeriod.objects.create(
        institution=world.network.institution,
        school_year=world.network.school_year,
        name="Snuffelstage",
        starts_on=datetime.date(2026, 2, 20),
        ends_on=datetime.date(2026, 2, 27),
    )
    _school, overlapping_line = add_school_with_line(world.network, overlapping, 1)
    with pytest.raises(ValidationError) as error:
        services.placement_propose(student=student, capacity=overlapping_line, by=None)
    assert "overlaps with another placement" in error.value.message_dict["capacity"][0]
    assert Placement.objects.filter(student=student).count() == 1


def test_the_database_refuses_a_second_placement_in_a_period(world, proposed):
    """The partial unique constraint, without the service's checks."""
    from django.db import IntegrityError, transaction

    copy = Placement.objects.get(pk=proposed.pk)
    copy.pk = None
    copy.slot = PlacementSlot.objects.exclude(pk=proposed.slot_id).filter(capacity=world.line).get()
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_mentor_bridge_builder_and_team_must_belong_to_the_school(world):
    people, network = world.people, world.network
    cases = {
        "mentor": {"mentor": people["outsider"]},
        "bridge_builder": {"bridge_builder": people["coach"]},
        "research_team": {"research_team": network.other_team},
        "team_task": {"team_task": "Interviews"},
    }
    for field, bad in cases.items():
        with pytest.raises(ValidationError) as error:
            services.placement_propose(
                student=people["student_teacher"], capacity=world.line, by=None, **bad
            )
        assert field in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.placement_propose(student=people["coach"], capacity=world.line, by=None)
    assert "student" in error.value.message_dict
    assert not Placement.objects.exists()


def test_move_takes_a_place_elsewhere_and_frees_the_old_one(world, proposed):
    school, other_line = add_school_with_line(world.network, world.stage_1, 1)
    moved = services.placement_move(placement=proposed, capacity=other_line, by=None)
    assert moved.school == school and moved.slot.capacity == other_line
    assert moved.mentor is None and moved.bridge_builder is None  # chosen again there
    assert PlacementSlot.objects.filter(capacity=world.line, placement__isnull=True).count() == 2
    with pytest.raises(ValidationError):
        services.placement_move(
            placement=moved, capacity=world.stage_2.capacity_lines.get(), by=None
        )


def test_unassign_removes_a_proposal_only(world, proposed):
    services.placement_unassign(placement=proposed)
    assert not Placement.objects.exists()


def test_states_move_forward_only_and_cancelling_needs_a_reason(world, proposed):
    coordinator = world.people["placement_coordinator"]
    with pytest.raises(ValidationError):
        services.placement_start(placement=proposed)
    confirmed = services.placement_confirm(placement=proposed, by=coordinator)
    assert confirmed.state == State.CONFIRMED and confirmed.confirmed_by == coordinator
    with pytest.raises(ValidationError):
        services.placement_unassign(placement=confirmed)
    running = services.placement_start(placement=confirmed)
    assert running.state == State.RUNNING and running.started_at
    with pytest.raises(ValidationError) as error:
        services.placement_cancel(placement=running, reason="  ", by=coordinator)
    assert "reason" in error.value.message_dict
    cancelled = services.placement_cancel(placement=running, reason="Ziek", by=coordinator)
    assert (cancelled.state, cancelled.slot, cancelled.cancel_reason) == (
        State.CANCELLED,
        None,
        "Ziek",
    )
    with pytest.raises(ValidationError):
        services.placement_complete(placement=cancelled)
    # The place is free again, and the student may be placed again in the period.
    again = services.placement_propose(student=proposed.student, capacity=world.line, by=None)
    assert again.state == State.PROPOSED


def test_confirming_needs_a_mentor_and_a_bridge_builder_and_is_all_or_nothing(world, proposed):
    incomplete = services.placement_propose(
        student=add_student(world.network), capacity=world.line, by=None
    )
    with pytest.raises(ValidationError) as error:
        services.placements_confirm_all(period=world.stage_1, by=None)
    assert str(incomplete.student) in error.value.messages[0]
    assert not Placement.objects.filter(state=State.CONFIRMED).exists()
    services.placement_unassign(placement=incomplete)
    assert services.placements_confirm_all(period=world.stage_1, by=None) == 1


def test_a_confirmed_placement_with_a_team_task_joins_the_team(world, proposed):
    network = world.network
    student = add_student(network)
    placement = services.placement_propose(
        student=student,
        capacity=world.line,
        by=None,
        mentor=world.people["mentor"],
        bridge_builder=world.people["bridge_builder"],
        research_team=network.team,
        team_task="Leesgesprekken opnemen",
    )
    assert not TeamMembership.objects.filter(team=network.team, user=student).exists()
    services.placement_confirm(placement=placement, by=None)
    assert TeamMembership.objects.get(team=network.team, user=student).role == "student_teacher"


def test_allocation_apply_proposes_the_suggestion_with_people_and_team(world):
    network, people = world.network, world.people
    teacher = factories.UserFactory()
    other_school, other_line = add_school_with_line(network, world.stage_1, 1, mentors=[teacher])
    early, late, last = (add_student(network) for _ in range(3))
    services.request_state(student=early, period=world.stage_1, choices=[world.line, other_line])
    services.request_state(student=late, period=world.stage_1, choices=[other_line, world.line])
    services.request_state(
        student=last, period=world.stage_1, choices=[world.line], wants_research_team=True
    )
    created = services.allocation_apply(period=world.stage_1, by=people["placement_coordinator"])
    placed = {p.student: p for p in created}
    # The home school has a team: the student who wants to join it comes first there.
    assert placed[last].school == network.school and placed[last].research_team == network.team
    assert placed[early].school == network.school and placed[early].research_team is None
    assert placed[late].school == other_school and placed[late].choice_rank == 1
    assert (
        placed[early].mentor == people["mentor"]
        and placed[early].bridge_builder == people["bridge_builder"]
    )
    assert placed[late].mentor == teacher and placed[late].bridge_builder is None
    # Applying again proposes nothing more: everyone is placed.
    assert services.allocation_apply(period=world.stage_1, by=None) == []


def test_placements_hosted_counts_confirmed_running_and_completed(world, proposed):
    year = world.network.school_year
    assert placements_hosted(year) == {}
    services.placement_confirm(placement=proposed, by=None)
    assert placements_hosted(year) == {world.network.school.pk: 1}
    services.placement_cancel(placement=proposed, reason="Verhuisd", by=None)
    assert placements_hosted(year) == {}


def test_placements_start_and_complete_with_their_period(world, proposed):
    """Nobody has to click "started" or "completed": the daily task follows the
    period's dates, only for confirmed and running placements, and a second run
    changes nothing."""
    coordinator = world.people["placement_coordinator"]
    services.placement_confirm(placement=proposed, by=coordinator)
    before = world.stage_1.starts_on - datetime.timedelta(days=1)
    assert services.placements_follow_calendar(today=before) == (0, 0)
    proposed.refresh_from_db()
    assert proposed.state == Placement.State.CONFIRMED

    first_day = world.stage_1.starts_on
    assert services.placements_follow_calendar(today=first_day) == (1, 0)
    assert services.placements_follow_calendar(today=first_day) == (0, 0)
    proposed.refresh_from_db()
    assert proposed.state == Placement.State.RUNNING

    last_day = world.stage_1.ends_on
    assert services.placements_follow_calendar(today=last_day) == (0, 0)
    day_after = last_day + datetime.timedelta(days=1)
    assert services.placements_follow_calendar(today=day_after) == (0, 1)
    proposed.refresh_from_db()
    assert proposed.state == Placement.State.COMPLETED
    assert services.placements_follow_calendar(today=day_after) == (0, 0)


def test_a_proposal_does_not_start_by_itself(world, proposed):
    """Only confirmed placements start: a proposal the coordinator never confirmed
    stays a proposal when its period begins."""
    assert services.placements_follow_calendar(today=world.stage_1.ends_on) == (0, 0)
    proposed.refresh_from_db()
    assert proposed.state == Placement.State.PROPOSED
