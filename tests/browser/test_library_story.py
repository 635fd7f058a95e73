"""A visitor (no account) searches the knowledge base, filters by theme and opens a
study. The kb-publish story continues on the study page (PDF, BibTeX)."""

import re

import pytest
from playwright.sync_api import expect

from knowledge_base.models import Theme
from tests.knowledge_base.conftest import make_study

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_searches_filters_by_theme_and_opens_a_study(page, demo_network):
    # get_or_create: the migrations' themes exist unless an earlier transactional
    # test flushed them, so the story runs alone and in the suite.
    reading, _ = Theme.objects.get_or_create(slug="leesmotivatie", defaults={
        "name_nl": "Leesmotivatie", "name_en": "Reading motivation"})  # fmt: skip
    feedback, _ = Theme.objects.get_or_create(slug="feedback", defaults={
        "name_nl": "Feedback", "name_en": "Feedback"})  # fmt: skip
    school, year = demo_network.home_school, demo_network.school_year
    make_study(school=school, school_year=year, themes=[reading],
               title="Boekenkringen in het derde leerjaar",
               summary="Hoe versterken boekenkringen de leesmotivatie van leerlingen?")  # fmt: skip
    make_study(school=school, school_year=year, themes=[feedback],
               title="Feedback op leesopdrachten",
               summary="Feedback van medeleerlingen en de leesmotivatie.")  # fmt: skip
    make_study(school=school, school_year=year, themes=[feedback],
               title="Rekenen met exit tickets",
               summary="Formatief evalueren in de rekenles.")  # fmt: skip

    page.goto("/")
    page.get_by_role("link", name="Kennisbank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kennisbank")
    expect(page.get_by_role("search", name="Kennisbank doorzoeken")).to_be_visible()

    page.get_by_label("Zoek in de onderzoeken").fill("leesmotivatie")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("status")).to_have_text("2 onderzoeken gevonden")
    expect(page).to_have_url(re.compile(r"/studies/\?q=leesmotivatie"))

    # Ticking a theme applies the filter at once (progressive enhancement).
    page.get_by_role("checkbox", name=re.compile(r"^Feedback \(1\)")).check()
    expect(page).to_have_url(re.compile(r"theme=feedback"))
    expect(page.get_by_role("status")).to_have_text("1 onderzoek gevonden")
    expect(page.get_by_label("Zoek in de onderzoeken")).to_have_value("leesmotivatie")
    expect(page.get_by_role("checkbox", name=re.compile(r"^Feedback"))).to_be_checked()

    page.get_by_role("link", name="Feedback op leesopdrachten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback op leesopdrachten")
    expect(page).to_have_url(re.compile(r"/studies/studie-\d+/$"))
