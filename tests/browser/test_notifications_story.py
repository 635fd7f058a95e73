"""A bridge-builder sends a study back; the coach sees it at the top of the
dashboard and in the inbox, opens it and lands on the study to change."""

import re

import pytest
from playwright.sync_api import expect

from knowledge_base.models import Study
from tests.knowledge_base.conftest import make_study

from .conftest import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_study_sent_back_waits_for_the_coach(page, demo_network):
    study = make_study(
        school=demo_network.home_school,
        school_year=demo_network.school_year,
        team=demo_network.home_team,
        status=Study.Status.SUBMITTED,
        title="Boekenkringen in het derde leerjaar",
    )

    log_in(page, "bridge-builder@demo.test")
    page.goto(f"/studies/manage/{study.pk}/")
    page.get_by_label("Wat moet er veranderen?").fill("Laat de klasnamen weg, a.u.b.")
    page.get_by_role("button", name="Terugsturen naar het team").click()
    log_out(page)

    log_in(page, "coach@demo.test")
    page.goto("/dashboard/")
    waiting = page.get_by_test_id("waiting-panel")
    expect(waiting.get_by_role("heading")).to_have_text("Wacht op jou")
    expect(waiting.get_by_test_id("waiting-sent-back")).to_contain_text(
        "Breng de gevraagde wijzigingen aan in “Boekenkringen in het derde leerjaar”"
    )
    # Before anything else on the page: the first section after the greeting.
    first_section = page.locator("main section").first
    expect(first_section).to_have_attribute("data-testid", "waiting-panel")
    expect(page.get_by_test_id("unread-badge")).to_contain_text("1")

    page.get_by_test_id("inbox-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen")
    item = page.get_by_role("link", name=re.compile("Boekenkringen in het derde leerjaar"))
    expect(item).to_contain_text("is teruggestuurd: wijzigingen gevraagd")
    expect(page.get_by_test_id("inbox")).to_contain_text("Laat de klasnamen weg, a.u.b.")
    item.click()
    expect(page).to_have_url(re.compile(rf"/studies/manage/{study.pk}/$"))
    expect(page.get_by_test_id("unread-badge")).to_have_count(0)
