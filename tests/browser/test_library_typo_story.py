"""A visitor types with a typo and still gets the study (issue 15): the list under
the search box offers it while typing, and a search with the typo shows the
studies for the word the library knows, saying so."""

import re

import pytest
from playwright.sync_api import expect

from knowledge_base.search.spelling import refresh_vocabulary
from tests.knowledge_base.conftest import make_study

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_visitor_types_with_a_typo_and_gets_the_study(page, demo_network):
    school, year = demo_network.home_school, demo_network.school_year
    make_study(school=school, school_year=year, title="Boekenkringen in het derde leerjaar",
               summary="Hoe versterken boekenkringen de leesmotivatie van leerlingen?")  # fmt: skip
    make_study(school=school, school_year=year, title="Rekenen met exit tickets",
               summary="Formatief evalueren in de rekenles.")  # fmt: skip
    refresh_vocabulary()

    page.goto("/studies/")
    box = page.get_by_label("Zoek in de onderzoeken")
    box.press_sequentially("boekenk", delay=30)
    suggestions = page.locator("#q-suggestions")
    expect(
        suggestions.get_by_role("link", name="Boekenkringen in het derde leerjaar")
    ).to_be_visible()

    box.fill("boekenkringn")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"q=boekenkringn"))
    expect(page.get_by_text("Bedoelde je boekenkringen?")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("1 onderzoek gevonden")
    page.get_by_role("link", name="Boekenkringen in het derde leerjaar").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Boekenkringen in het derde leerjaar")
