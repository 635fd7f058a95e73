"""The retention pages with figures on them (the site-wide language test sees them
without cohorts) speak one language, and have the chart and the table."""

import pytest

from tests.test_languages import foreign_words, read

from .cohort import hand_made_cohort

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["nl", "en"])
def test_pages_with_figures_speak_one_language(login, network, language):
    hand_made_cohort(network)
    slips = []
    for persona, url in [
        ("bridge_builder", "/monitoring/retention/"),
        ("school_leader", "/monitoring/retention/"),
        ("school_leader", f"/monitoring/retention/schools/{network.school.pk}/"),
        ("school_leader", f"/monitoring/retention/schools/{network.school.pk}/confirm/"),
        ("school_leader", "/dashboard/"),
    ]:
        client = login(network.people[persona])
        client.cookies["django_language"] = language
        page = client.get(url).content.decode()
        page_language, text = read(page, language)
        assert page_language == language
        slips += [f"{url}: {hit}" for hit in foreign_words(text, language)]
    assert not slips, "\n".join(slips)


def test_the_network_page_draws_a_chart_per_level_beside_its_table(login, network):
    hand_made_cohort(network)
    page = login(network.people["bridge_builder"]).get("/monitoring/retention/").content.decode()
    assert page.count('data-testid="retention-chart"') == 2
    # Primary has the cohort: an unbroken curve from the start to year 5 (six points).
    assert page.count('class="lower" points="') == 1
    lower = page.split('class="lower" points="')[1].split('"')[0]
    assert len(lower.split()) == 6
    # Both levels have a baseline marker.
    assert page.count('class="baseline"') == 2
