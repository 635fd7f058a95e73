"""Demo placements for ``seed_demo``: two periods of the current year, the capacity
of the demo school and two others, preferences of six student teachers, a
running placement of student-teacher@demo.test at the demo school (mentor@ as
mentor teacher, bridge-builder@ supervising, a task in the research team) and the
allocation of the second period proposed, waiting for the coordinator.
Idempotent: everything is found again by name, email or period."""

import datetime

from django.utils import timezone

from accounts.models import User
from schools.models import Role, RoleMembership

from . import services
from .models import Level, Placement, PlacementPeriod, PlacementRequest

#: Student teachers besides the demo persona: (email, name, index of their school).
STUDENTS = [
    ("student-teacher-2@demo.test", "Noor Aerts", 1),
    ("student-teacher-3@demo.test", "Yasmina Haddou", 1),
    ("student-teacher-4@demo.test", "Jonas Lemmens", 2),
    ("student-teacher-5@demo.test", "Fien Vandenberghe", 2),
    ("student-teacher-6@demo.test", "Amir Kaya", 0),
]
#: A mentor teacher at each of the two other schools.
TEACHERS = [
    ("teacher-sint-guido@demo.test", "Hilde Verstraete", 1),
    ("teacher-de-wimpel@demo.test", "Bart Coppens", 2),
]
TEAM_TASK = "Leesgesprekken met leerlingen van het vijfde leerjaar opnemen en uittypen."


def _person(email: str, name: str) -> User:
    user, _created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "preferred_language": "nl"}
    )
    return user


def seed(network) -> None:
    people, year = network.people, network.school_year
    institution = network.institution
    schools = [network.home_school, network.schools[1], network.schools[2]]
    today = timezone.localdate()

    def period(name: str, start: int, days: int) -> PlacementPeriod:
        found, _created = PlacementPeriod.objects.get_or_create(
            institution=institution,
            school_year=year,
            name=name,
            defaults={
                "starts_on": today + datetime.timedelta(days=start),
                "ends_on": today + datetime.timedelta(days=start + days),
            },
        )
        return found

    stage_1, stage_2 = period("Stage 1", -14, 21), period("Stage 2", 70, 21)

    teachers = {0: [people["mentor"], people["research_teacher"]]}
    for email, name, index in TEACHERS:
        teacher = _person(email, name)
        RoleMembership.objects.get_or_create(
            user=teacher, role=Role.TEACHER, school=schools[index], school_year=year
        )
        teachers[index] = [teacher]
    students = [people["student_teacher"]]
    for email, name, index in STUDENTS:
        student = _person(email, name)
        RoleMembership.objects.get_or_create(
            user=student,
            role=Role.STUDENT_TEACHER,
            school=schools[index],
            school_year=year,
            defaults={"institution": institution},
        )
        students.append(student)

    places = {0: [(stage_1, 2), (stage_2, 2)], 1: [(stage_2, 2)], 2: [(stage_2, 1)]}
    for index, school in enumerate(schools):
        services.capacity_state(
            school=school,
            institution=institution,
            school_year=year,
            lines=[
                services.LineInput(period=p, level=Level.PRIMARY, subject="", places=n)
                for p, n in places[index]
            ],
            mentors=teachers[index],
            note="",
            by=people["school_leader"] if index == 0 else None,
        )

    home_line = stage_1.capacity_lines.get(offer__school=network.home_school)
    if not PlacementRequest.objects.filter(student=students[0], period=stage_1).exists():
        services.request_state(
            student=students[0], period=stage_1, choices=[home_line], wants_research_team=True
        )
    if not Placement.objects.counting().filter(student=students[0], period=stage_1).exists():
        placement = services.placement_propose(
            student=students[0],
            capacity=home_line,
            by=people["placement_coordinator"],
            request=PlacementRequest.objects.get(student=students[0], period=stage_1),
            choice_rank=1,
            mentor=people["mentor"],
            bridge_builder=people["bridge_builder"],
            research_team=network.home_team,
            team_task=TEAM_TASK,
        )
        services.placement_confirm(placement=placement, by=people["placement_coordinator"])
        services.placement_start(placement=placement)

    # Stage 2: six requests for five places, half of them wanting the demo school
    # first, so some get their second choice and one no place; proposed, not confirmed.
    home, *others = [stage_2.capacity_lines.get(offer__school=school) for school in schools]
    for offset, student in enumerate(students):
        if PlacementRequest.objects.filter(student=student, period=stage_2).exists():
            continue
        ranked = [home, *others] if offset % 2 == 0 else [others[0], home, others[1]]
        services.request_state(
            student=student,
            period=stage_2,
            choices=ranked,
            wants_research_team=offset % 2 == 0,
        )
    if not Placement.objects.filter(period=stage_2).exists():
        services.allocation_apply(period=stage_2, by=people["placement_coordinator"])
