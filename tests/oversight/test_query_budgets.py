"""The oversight and network pages run a fixed number of queries, whatever the
number of schools, teams and log entries (60 schools × 2 teams × 200 entries)."""

import pytest
import time_machine

from research_cycle.models import LogEntry

from .bulk import build

pytestmark = pytest.mark.django_db

# Issue 17 (sixth session): the oversight scope comes from the person's scope (one
# query instead of two), the network page counts its stages from its team rows and
# reads the stages once: overview 14 -> 13, network 21 -> 18. Eighth session: the
# chosen school year is taken from the year selector's list (one query less on
# each): overview 13 -> 12, network 18 -> 17, agreements 14 -> 13.
# +1 since issue 14: the header's inbox badge counts unread notifications on every page.
# Eighteenth session: the budgets are what the pages run (they had drifted below
# them): the person's scope comes with their row (one query less on every page) and
# the network's participation table reads its schools with their counts (4 -> 1).
# Nineteenth session: the people per role come with the schools too (12 -> 11).
# Twentieth session: the network page reads no student teachers (it names none), and
# a facilitator's communities come with their schools in one query: 11 -> 10 for a
# network admin (every community, those without schools too: two queries), 9 for a
# facilitator.
OVERVIEW_BUDGET = 6
NETWORK_BUDGET = {"admin": 10, "process_facilitator": 9}
AGREEMENTS_BUDGET = 5


@pytest.fixture
def big(db):
    return build(schools=60, teams_per_school=2, entries_per_team=200)


@time_machine.travel("2026-03-16 10:00 +01:00", tick=False)
def test_overview_query_budget(client, big, django_assert_max_num_queries):
    assert LogEntry.objects.count() == 60 * 2 * 200
    client.force_login(big.bridge_builder)
    with django_assert_max_num_queries(OVERVIEW_BUDGET):
        response = client.get("/oversight/")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="team-row"') == 120
    with django_assert_max_num_queries(OVERVIEW_BUDGET):
        response = client.get("/oversight/export/teams.csv")
    assert response.content.decode("utf-8-sig").count("\r\n") == 121


@time_machine.travel("2026-03-16 10:00 +01:00", tick=False)
@pytest.mark.parametrize("persona", ["admin", "process_facilitator"])
def test_network_query_budget(client, big, persona, django_assert_max_num_queries):
    client.force_login(getattr(big, persona))
    with django_assert_max_num_queries(NETWORK_BUDGET[persona]):
        response = client.get("/oversight/network/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="community"') == 15
    for table in ["stages", "activity", "communities", "participation"]:
        with django_assert_max_num_queries(NETWORK_BUDGET[persona]):
            assert client.get(f"/oversight/export/{table}.csv").status_code == 200


def test_agreement_list_query_budget(client, big, django_assert_max_num_queries):
    from oversight.services import agreement_create, agreement_item_save

    for school in big.schools:
        agreement = agreement_create(school=school, school_year=big.school_year, goals="Doel")
        agreement_item_save(
            agreement=agreement, party="school", kind="contribution", description="Stages"
        )
    client.force_login(big.admin)
    with django_assert_max_num_queries(AGREEMENTS_BUDGET):
        response = client.get("/oversight/agreements/")
    assert response.content.decode().count("/oversight/agreements/") >= 60


AGREEMENT_DETAIL_BUDGET = 16


@pytest.mark.parametrize("persona", ["admin", "bridge_builder"])
def test_agreement_detail_query_budget(client, big, persona, django_assert_max_num_queries):
    from oversight.services import agreement_create, agreement_item_save

    agreement = agreement_create(school=big.schools[0], school_year=big.school_year, goals="Doel")
    measures = ["placements", "coaches", "bridge_builders", "cycles_completed", "", "sessions"]
    for n in range(30):
        agreement_item_save(
            agreement=agreement,
            party="school" if n % 2 else "institution",
            kind="contribution" if n % 3 else "return",
            description=f"Onderdeel {n}",
            quantity=n,
            unit="keer",
            measure=measures[n % len(measures)],
        )
    client.force_login(getattr(big, persona))
    with django_assert_max_num_queries(AGREEMENT_DETAIL_BUDGET):
        response = client.get(f"/oversight/agreements/{agreement.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count('<th scope="row" class="fw-normal">Onderdeel ') == 30
