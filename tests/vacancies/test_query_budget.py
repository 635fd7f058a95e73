"""Query budgets on the board's lists, with more rows than the budget."""

import pytest

from tests.factories import SchoolFactory

from .conftest import VacancyFactory

pytestmark = pytest.mark.django_db

BUDGET = 12


@pytest.fixture
def many(network):
    schools = [
        SchoolFactory(partnership=network.partnership, city=f"Gemeente {n}") for n in range(15)
    ]
    for index in range(4 * BUDGET):
        VacancyFactory(school=schools[index % 15], is_public=index % 2 == 0)
    VacancyFactory.create_batch(BUDGET, school=network.school)


@pytest.mark.parametrize("persona", ["anonymous", "student_teacher", "network_admin"])
def test_the_board(client, network, many, persona, django_assert_max_num_queries):
    if persona != "anonymous":
        client.force_login(network.people[persona])
    with django_assert_max_num_queries(BUDGET):
        response = client.get("/vacancies/?level=primary")
    assert len(response.context["page"].object_list) == 20


def test_the_feed(client, many, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/vacancies/feed/")
    assert response.content.decode().count("<entry>") == 2 * BUDGET


def test_the_schools_own_list(client, network, many, django_assert_max_num_queries):
    client.force_login(network.people["school_leader"])
    with django_assert_max_num_queries(BUDGET):
        response = client.get("/vacancies/school/")
    assert len(response.context["page"].object_list) == BUDGET
