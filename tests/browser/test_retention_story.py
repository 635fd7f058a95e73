"""A school leader confirms the school's starting teachers and career changers:
from the dashboard, one row per person, all saved at once."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_with_starters(demo_network):
    from retention import demo as retention_demo

    retention_demo.seed(demo_network)
    return demo_network


def test_a_school_leader_confirms_the_staff(page, demo_with_starters):
    from retention.models import StaffConfirmation

    school = demo_with_starters.home_school
    log_in(page, "school-leader@demo.test")
    page.get_by_role("link", name="Mijn overzicht", exact=True).click()
    panel = page.get_by_test_id("retention-panel")
    expect(panel).to_contain_text("te doen")
    panel.get_by_role("link", name=f"Bevestig de beginnende leraren van {school.name}").click()
    expect(page).to_have_url(re.compile(rf"/monitoring/retention/schools/{school.pk}/confirm/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Personeelsbevestiging")

    rows = page.get_by_test_id("person-row")
    count = rows.count()
    assert count >= 2
    expect(rows.filter(has_text="Ilias Bouzid")).to_contain_text("Beginnende leraar")
    # Everyone but the last: the form refuses, names who is missing, keeps the rest.
    for index in range(count - 1):
        rows.nth(index).get_by_label("Geeft hier nog les").check()
    page.get_by_role("button", name="Bevestig voor de hele school").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_contain_text("er werd niets bewaard")
    expect(summary).to_contain_text("Kies een situatie voor deze persoon.")
    expect(rows.first.get_by_label("Geeft hier nog les")).to_be_checked()
    assert not StaffConfirmation.objects.filter(
        school=school, school_year__is_current=True
    ).exists()

    # The error links to the row that needs an answer; answer it and confirm.
    summary.get_by_role("link").first.click()
    rows.last.get_by_label("Naar een andere school").check()
    page.get_by_role("button", name="Bevestig voor de hele school").click()
    # (The browser keeps the fragment the error link added.)
    expect(page).to_have_url(re.compile(rf"/monitoring/retention/schools/{school.pk}/(#.*)?$"))
    expect(page.get_by_role("alert").or_(page.locator(".alert-success")).first).to_contain_text(
        "Bedankt"
    )
    expect(page.get_by_test_id("confirmation-status")).to_contain_text(
        "Bevestigd door Karim Benali"
    )
    confirmation = StaffConfirmation.objects.get(school=school, school_year__is_current=True)
    assert confirmation.entries.count() == count
    assert confirmation.entries.filter(status="moved").count() == 1

    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role(
        "link", name="Mijn overzicht"
    ).click()
    expect(page.get_by_test_id("retention-panel")).not_to_contain_text("te doen")
