import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_sessions(demo_network):
    from network_sessions import demo

    demo.seed(demo_network)
    return demo_network


def test_the_demo_coach_answers_going_and_downloads_the_calendar_file(page, demo_sessions):
    log_in(page, "coach@demo.test")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    sessions = page.get_by_test_id("upcoming-sessions")
    expect(sessions.get_by_role("heading", name="Komende sessies")).to_be_visible()
    first = sessions.get_by_test_id("dashboard-session").first
    expect(first).to_contain_text("Lerend netwerk")
    expect(first).to_contain_text("Lerend netwerk: data verzamelen bij leerlingen")

    going = first.get_by_role("button", name="Ik kom", exact=True)
    expect(going).to_have_attribute("aria-pressed", "false")
    going.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("alert").or_(page.locator(".alert")).first).to_contain_text(
        "Je antwoord voor “Lerend netwerk: data verzamelen bij leerlingen”: Ik kom."
    )
    first = page.get_by_test_id("dashboard-session").first
    expect(first.get_by_role("button", name="Ik kom", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )

    with page.expect_download() as download_info:
        first.get_by_role("link", name="In mijn agenda zetten (.ics)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    with open(download.path(), "rb") as handle:
        calendar = Calendar.from_ical(handle.read())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Lerend netwerk: data verzamelen bij leerlingen"
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"

    # The answer is kept: the sessions page shows it too.
    page.get_by_role("link", name="Sessies", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessies")
    row = page.get_by_test_id("upcoming-list").locator("li", has_text="data verzamelen")
    expect(row.get_by_role("button", name="Ik kom", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
