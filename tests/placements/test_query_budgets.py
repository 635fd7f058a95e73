"""Query budgets with more rows than the budget, so an N+1 shows."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import User
from placements import services
from placements.models import Level, Placement, PlacementRequest, Preference
from schools.models import Role, RoleMembership, School

pytestmark = pytest.mark.django_db

SCHOOLS, STUDENTS = 60, 300


@pytest.fixture
def crowded(world):
    """60 more schools with a line of 4 places in stage 1 (each with a mentor), and
    300 student teachers ranking five of them; half of them already placed."""
    network = world.network
    year = network.school_year
    schools = School.objects.bulk_create(
        School(
            partnership=network.partnership,
            name=f"School {n:02d}",
            institution_number=f"9{n:05d}",
            level="primary",
            city="Brussel",
        )
        for n in range(SCHOOLS)
    )
    teachers = User.objects.bulk_create(
        User(email=f"mentor{n}@school.test", full_name=f"Mentor {n:02d}") for n in range(SCHOOLS)
    )
    RoleMembership.objects.bulk_create(
        RoleMembership(user=t, role=Role.TEACHER, school=s, school_year=year)
        for t, s in zip(teachers, schools, strict=True)
    )
    lines = []
    for school, teacher in zip(schools, teachers, strict=True):
        offer = services.capacity_state(
            school=school,
            institution=network.institution,
            school_year=year,
            lines=[
                services.LineInput(period=world.stage_1, level=Level.PRIMARY, subject="", places=4)
            ],
            mentors=[teacher],
            by=None,
        )
        lines.append(offer.lines.get())
    students = User.objects.bulk_create(
        User(email=f"student{n}@school.test", full_name=f"Student {n:03d}") for n in range(STUDENTS)
    )
    RoleMembership.objects.bulk_create(
        RoleMembership(
            user=s,
            role=Role.STUDENT_TEACHER,
            school=network.school,
            institution=network.institution,
            school_year=year,
        )
        for s in students
    )
    start = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
    requests = PlacementRequest.objects.bulk_create(
        PlacementRequest(
            student=s,
            period=world.stage_1,
            submitted_at=start + datetime.timedelta(minutes=n),
            wants_research_team=n % 3 == 0,
        )
        for n, s in enumerate(students)
    )
    Preference.objects.bulk_create(
        Preference(request=r, rank=rank, capacity=lines[(n * 7 + rank * 13) % SCHOOLS])
        for n, r in enumerate(requests)
        for rank in range(1, 6)
    )
    for request in requests[: STUDENTS // 2]:
        choice = request.preferences.get(rank=1).capacity
        if choice.slots.exclude(placement__isnull=False).exists():
            services.placement_propose(
                student=request.student, capacity=choice, by=None, request=request, choice_rank=1
            )
    return world


def test_the_allocation_page_with_300_requests_and_60_schools(
    client, crowded, django_assert_max_num_queries
):
    client.force_login(crowded.people["placement_coordinator"])
    url = reverse("placements:allocation", args=[crowded.stage_1.pk])
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="request-row"') == STUDENTS
    assert Placement.objects.count() > 100


def test_applying_the_suggestion_to_300_requests_keeps_within_capacity(crowded):
    created = services.allocation_apply(period=crowded.stage_1, by=None)
    assert created
    for line in crowded.stage_1.capacity_lines.all():
        assert line.placements.count() <= line.places


def test_the_placements_home_of_the_coordinator(client, crowded, django_assert_max_num_queries):
    client.force_login(crowded.people["placement_coordinator"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("placements:home"))
    assert response.content.decode().count("/placements/") > 100


def test_the_preferences_page_lists_every_place(client, crowded, django_assert_max_num_queries):
    student = User.objects.get(email="student299@school.test")
    client.force_login(student)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("placements:preferences", args=[crowded.stage_1.pk]))
    assert response.content.decode().count("School ") > SCHOOLS


def test_the_capacity_page_of_a_school_with_many_teachers(
    client, world, django_assert_max_num_queries
):
    network = world.network
    teachers = User.objects.bulk_create(
        User(email=f"t{n}@school.test", full_name=f"Leerkracht {n}") for n in range(40)
    )
    RoleMembership.objects.bulk_create(
        RoleMembership(
            user=t, role=Role.TEACHER, school=network.school, school_year=network.school_year
        )
        for t in teachers
    )
    client.force_login(world.people["coach"])
    with django_assert_max_num_queries(22):
        response = client.get(reverse("placements:capacity", args=[network.school.pk]))
    assert response.content.decode().count('name="mentors"') > 40


def test_the_dashboard_with_a_placement(client, world, proposed, django_assert_max_num_queries):
    client.force_login(world.people["student_teacher"])
    # +3: "Waiting for you" (studies, questionnaire invitations) and the unread badge.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("dashboard"))
    assert 'data-testid="my-placement"' in response.content.decode()
