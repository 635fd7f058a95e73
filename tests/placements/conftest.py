"""The placements world of the tests: two periods of the network's institution, the
home school's answer (places, the mentor persona as mentor teacher) and helpers
to add student teachers, schools and placements."""

import datetime
from dataclasses import dataclass

import pytest

from placements import services
from placements.models import HostingCapacity, Level, PlacementPeriod
from schools.models import Role
from tests import factories


@dataclass
class World:
    network: object
    stage_1: PlacementPeriod
    stage_2: PlacementPeriod
    line: HostingCapacity  # the home school, stage 1, primary, 2 places

    @property
    def people(self):
        return self.network.people


def add_student(network, **fields):
    """A student teacher of the network's institution this year."""
    student = factories.UserFactory(**fields)
    factories.RoleMembershipFactory(
        user=student,
        role=Role.STUDENT_TEACHER,
        school=network.school,
        institution=network.institution,
        school_year=network.school_year,
    )
    return student


def add_school_with_line(network, period, places, *, mentors=()):
    """Another partner school that answered with one line in ``period``; the
    ``mentors`` become teachers there."""
    school = factories.SchoolFactory(partnership=network.partnership)
    for mentor in mentors:
        factories.RoleMembershipFactory(
            user=mentor, role=Role.TEACHER, school=school, school_year=network.school_year
        )
    offer = services.capacity_state(
        school=school,
        institution=network.institution,
        school_year=network.school_year,
        lines=[services.LineInput(period=period, level=Level.PRIMARY, subject="", places=places)],
        mentors=list(mentors),
        by=None,
    )
    return school, offer.lines.get()


@pytest.fixture
def world(network) -> World:
    stage_1 = PlacementPeriod.objects.create(
        institution=network.institution,
        school_year=network.school_year,
        name="Stage 1",
        starts_on=datetime.date(2026, 2, 3),
        ends_on=datetime.date(2026, 2, 21),
    )
    stage_2 = PlacementPeriod.objects.create(
        institution=network.institution,
        school_year=network.school_year,
        name="Stage 2",
        starts_on=datetime.date(2026, 4, 20),
        ends_on=datetime.date(2026, 5, 8),
    )
    offer = services.capacity_state(
        school=network.school,
        institution=network.institution,
        school_year=network.school_year,
        lines=[
            services.LineInput(period=stage_1, level=Level.PRIMARY, subject="", places=2),
            services.LineInput(period=stage_2, level=Level.PRIMARY, subject="", places=1),
        ],
        mentors=[network.people["mentor"]],
        by=network.people["school_leader"],
    )
    return World(network, stage_1, stage_2, offer.lines.get(period=stage_1))


@pytest.fixture
def proposed(world):
    """The persona student teacher proposed at the home school in stage 1, with the
    mentor persona and the bridge-builder persona."""
    people = world.people
    return services.placement_propose(
        student=people["student_teacher"],
        capacity=world.line,
        by=people["placement_coordinator"],
        mentor=people["mentor"],
        bridge_builder=people["bridge_builder"],
    )
