"""Every list page of internships runs a fixed number of queries, with more rows
than the budget: 40 internships at 40 schools, 30 log entries on one, 30 mentor
trainings."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from internships.models import Evaluation, LogEntry, MentorTraining, Score
from tests import factories

from .helpers import make_placement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

#: Measured: 3 to 13 queries (the mentor's page is the most: scope, register
#: rows, placements guided, trainings); a margin for the navigation's checks.
BUDGET = 16
ROWS = 40


@pytest.fixture
def many(network, rubric, internship):
    mentor = network.people["mentor"]
    placements = [internship]
    for n in range(ROWS - 1):
        school = factories.SchoolFactory(partnership=network.partnership, name=f"School {n:02}")
        factories.RoleMembershipFactory(
            user=network.people["bridge_builder"],
            role="bridge_builder",
            school=school,
            institution=network.institution,
            school_year=network.school_year,
        )
        placements.append(
            make_placement(
                network,
                student=factories.UserFactory(),
                school=school,
                mentor=factories.UserFactory() if n % 2 else mentor,
                bridge_builder=network.people["bridge_builder"],
                period=internship.period,
            )
        )
    now = timezone.now()
    LogEntry.objects.bulk_create(
        LogEntry(
            placement=placement,
            date=datetime.date(2026, 2, 2) + datetime.timedelta(days=day),
            hours=Decimal("6"),
            reflection=f"Dag {day}",
            confirmed_at=now if day % 2 else None,
            confirmed_by=mentor if day % 2 else None,
        )
        for placement in placements
        for day in range(30 if placement == internship else 3)
    )
    criteria = list(rubric.criteria.prefetch_related("levels"))
    for role, author in [("mentor", mentor), ("bridge_builder", network.people["bridge_builder"])]:
        for moment in ("mid_term", "final"):
            evaluation = Evaluation.objects.create(
                placement=internship,
                moment=moment,
                evaluator_role=role,
                author=author,
                rubric=rubric,
                submitted_at=now,
            )
            Score.objects.bulk_create(
                Score(evaluation=evaluation, criterion=c, level=c.levels.all()[1]) for c in criteria
            )
    MentorTraining.objects.bulk_create(
        MentorTraining(
            mentor=mentor,
            title=f"Opleiding {n}",
            completed_on=datetime.date(2025, 10, 1),
            hours=Decimal("2"),
        )
        for n in range(30)
    )
    return placements


@pytest.mark.parametrize("persona", ["placement_coordinator", "network_admin", "bridge_builder"])
def test_the_internship_list(client, network, many, persona, django_assert_max_num_queries):
    client.force_login(network.people[persona])
    with django_assert_max_num_queries(BUDGET):
        response = client.get("/internships/")
    assert response.content.decode().count('data-testid="internship-row"') == ROWS


@pytest.mark.parametrize("persona", ["student_teacher", "mentor", "placement_coordinator"])
def test_an_internship_page(
    client, network, many, internship, persona, django_assert_max_num_queries
):
    client.force_login(network.people[persona])
    with django_assert_max_num_queries(BUDGET):
        response = client.get(f"/internships/{internship.pk}/")
    html = response.content.decode()
    assert html.count('data-testid="log-entry"') == 30
    assert html.count("Groeiend") == 20  # two moments, two evaluations, five criteria


@pytest.mark.parametrize("persona", ["placement_coordinator", "network_admin", "bridge_builder"])
def test_the_mentor_register(client, network, many, persona, django_assert_max_num_queries):
    client.force_login(network.people[persona])
    with django_assert_max_num_queries(BUDGET):
        response = client.get("/internships/mentors/")
    assert response.content.decode().count('data-testid="mentor-row"') == ROWS


def test_a_mentors_page(client, network, many, django_assert_max_num_queries):
    mentor = network.people["mentor"]
    client.force_login(network.people["placement_coordinator"])
    with django_assert_max_num_queries(BUDGET):
        response = client.get(f"/internships/mentors/{mentor.pk}/")
    html = response.content.decode()
    assert html.count('data-testid="guided-placement"') == 21
    assert html.count('data-testid="training"') == 30


def test_the_dashboard_panel(client, network, many, django_assert_max_num_queries):
    client.force_login(network.people["placement_coordinator"])
    with django_assert_max_num_queries(30):
        response = client.get("/dashboard/")
    assert 'data-testid="dashboard-internships"' in response.content.decode()


def _amounts(text: str) -> list[Decimal]:
    """The numbers in a text, as Dutch writes them ("180" on SQLite, "180,0" on PostgreSQL)."""
    return [Decimal(n.replace(",", ".")) for n in re.findall(r"\d+(?:,\d+)?", text)]


def test_the_list_and_the_dashboard_sum_each_internships_own_hours_and_evaluations(
    client, network, many, internship
):
    """The sums are per internship (30 entries and four evaluations on one, three
    entries and none on the others), not multiplied by each other's rows."""
    client.force_login(network.people["placement_coordinator"])
    rows = client.get("/internships/").content.decode().split('data-testid="internship-row"')[1:]
    totals = [
        _amounts(" ".join(re.findall(r'<td class="text-end">([^<]*)</td>', row))) for row in rows
    ]
    assert totals.count([180, 90, 4, 4]) == 1
    assert totals.count([18, 6, 0, 4]) == ROWS - 1
    panel = client.get("/dashboard/").content.decode()
    shown = re.findall(r"(\d+(?:,\d+)?) van (\d+(?:,\d+)?) uren bevestigd", panel)
    assert len(shown) == 4
    assert all(_amounts(" ".join(pair)) in ([6, 18], [90, 180]) for pair in shown)
