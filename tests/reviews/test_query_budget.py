"""The review page, its CSV and the needs page run a fixed number of queries,
whatever the number of schools (60 schools' worth of records)."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import SchoolFactory

from .bulk import build_review

pytestmark = pytest.mark.django_db

REVIEW_BUDGET = 45


@pytest.fixture
def big(db):
    return build_review(schools=60)


@time_machine.travel("2026-06-20 10:00 +02:00", tick=False)
def test_review_query_budget(client, big, django_assert_max_num_queries):
    client.force_login(big.admin)
    year = big.school_year.name
    with django_assert_max_num_queries(REVIEW_BUDGET):
        response = client.get(f"/monitoring/review/{year}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("review school 0") >= 3 * 60  # people, research, agreements per school
    with django_assert_max_num_queries(REVIEW_BUDGET):
        response = client.get(f"/monitoring/review/{year}/review.csv")
    assert response.status_code == 200
    with django_assert_max_num_queries(REVIEW_BUDGET):
        response = client.get(f"/monitoring/review/{year}/needs/")
    assert response.content.decode().count('data-testid="needs-row"') == 60


@time_machine.travel("2026-06-20 10:00 +02:00", tick=False)
def test_the_count_does_not_grow_with_the_schools(client, big):
    """Same number of queries for 60 schools as for 61 (no query per school)."""
    client.force_login(big.admin)
    url = f"/monitoring/review/{big.school_year.name}/"
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    SchoolFactory(partnership=big.schools[0].partnership)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
    print(f"review page: {len(after)} queries")
