"""Query budgets: the retention pages, the CSV and the review section run a fixed
number of queries with 60 schools × 5 cohorts (600 starters, their later roles
and confirmations): many more rows than the budget, so an N+1 shows."""

import datetime

import pytest

from accounts.models import User
from partnership.models import SchoolYear
from retention.models import StaffConfirmation, StaffConfirmationEntry
from retention.review import section
from schools.models import Role, RoleMembership, School

from .cohort import year

pytestmark = pytest.mark.django_db

SCHOOLS, COHORTS, PER_COHORT = 60, 5, 2
BUDGET = 16


@pytest.fixture
def big_network(network):
    years = [year(start) for start in range(2020, 2025)] + [network.school_year]
    schools = School.objects.bulk_create(
        School(
            partnership=network.partnership,
            name=f"School {index:02d}",
            institution_number=f"9{index:05d}",
            level="primary" if index % 2 else "secondary",
            city="Brussel",
        )
        for index in range(SCHOOLS)
    ) + [network.school]
    people = User.objects.bulk_create(
        User(email=f"starter{index}@big.test", full_name=f"Starter {index}")
        for index in range(len(schools) * COHORTS * PER_COHORT)
    )
    roles, confirmations, entries = [], [], []
    for index, person in enumerate(people):
        school = schools[index % len(schools)]
        cohort = years[(index // len(schools)) % COHORTS]
        roles.append(
            RoleMembership(
                user=person,
                role=Role.STARTING_TEACHER,
                school=school,
                school_year=cohort,
                started_teaching_in=cohort,
            )
        )
        if index % 3:
            roles += [
                RoleMembership(user=person, role=Role.TEACHER, school=school, school_year=later)
                for later in years
                if later.starts_on > cohort.starts_on
            ]
    RoleMembership.objects.bulk_create(roles)
    previous = years[-2]
    confirmations = StaffConfirmation.objects.bulk_create(
        StaffConfirmation(
            school=school, school_year=previous, confirmed_at=datetime.datetime.now(datetime.UTC)
        )
        for school in schools
    )
    by_school = {c.school_id: c for c in confirmations}
    entries = [
        StaffConfirmationEntry(
            confirmation=by_school[r.school_id], person_id=r.user_id, status="left"
        )
        for r in roles
        if r.role == Role.STARTING_TEACHER and r.school_year_id in {previous.pk, years[-3].pk}
    ]
    StaffConfirmationEntry.objects.bulk_create(entries)
    assert RoleMembership.objects.count() > 10 * BUDGET
    assert SchoolYear.objects.count() == 6
    return network


def test_the_network_page(login, big_network, django_assert_max_num_queries):
    client = login(big_network.people["network_admin"])
    with django_assert_max_num_queries(BUDGET):
        response = client.get("/monitoring/retention/")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="cohort"') == 10  # 2 levels × 5


def test_the_network_csv(login, big_network, django_assert_max_num_queries):
    client = login(big_network.people["bridge_builder"])
    with django_assert_max_num_queries(BUDGET):
        response = client.get("/monitoring/retention/export.csv")
    assert response.status_code == 200
    assert len(response.content.decode().splitlines()) > 40


def test_the_school_page_and_its_confirmation(login, big_network, django_assert_max_num_queries):
    client = login(big_network.people["school_leader"])
    school = big_network.school.pk
    with django_assert_max_num_queries(BUDGET):
        assert client.get(f"/monitoring/retention/schools/{school}/").status_code == 200
    with django_assert_max_num_queries(BUDGET):
        assert client.get(f"/monitoring/retention/schools/{school}/confirm/").status_code == 200


def test_the_review_section(big_network, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        result = section(partnership=big_network.partnership, school_year=big_network.school_year)
    assert result.figures[0].value == SCHOOLS + 1  # every school has starters to confirm
    assert len(result.tables) == 2


def test_the_dashboard_panel(login, big_network):
    client = login(big_network.people["school_leader"])
    response = client.get("/dashboard/")
    assert 'data-testid="retention-panel"' in response.content.decode()
