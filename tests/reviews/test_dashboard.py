"""The dashboard leads each person to the review pages they use."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _panel(client, person) -> str:
    client.force_login(person)
    page = client.get(reverse("dashboard")).content.decode()
    if 'data-testid="dashboard-review"' not in page:
        return ""
    start = page.index('data-testid="dashboard-review"')
    return page[start : page.index("</section>", start)]


def test_readers_find_this_and_last_years_review(client, network):
    factories.SchoolYearFactory(name="2024-2025")
    for persona in ["process_facilitator", "placement_coordinator", "network_admin"]:
        panel = _panel(client, network.people[persona])
        assert "/monitoring/review/2025-2026/" in panel, persona
        assert "/monitoring/review/2024-2025/" in panel, persona


def test_school_leaders_and_coaches_find_their_schools_needs(client, network):
    needs = f"/monitoring/review/2025-2026/needs/{network.school.pk}/"
    leader = _panel(client, network.people["school_leader"])
    assert needs in leader and "/monitoring/review/2025-2026/?" in leader
    coach = _panel(client, network.people["coach"])
    assert needs in coach and "/monitoring/review/2025-2026/?" not in coach


def test_people_with_nothing_to_review_see_no_panel(client, network):
    for persona in ["research_teacher", "student_teacher", "mentor", "starting_teacher"]:
        assert _panel(client, network.people[persona]) == "", persona
