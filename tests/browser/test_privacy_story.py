"""The coach asks for a copy of their data from the footer of every page, downloads the ZIP, and
asks to be erased (first forgetting to tick the box)."""

import zipfile

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/gdpr-shots"


def test_the_coach_downloads_their_data_and_asks_to_be_erased(page, demo_network):
    log_in(page, "coach@demo.test")
    page.get_by_role("contentinfo").get_by_role("link", name="Mijn gegevens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gegevens")
    page.get_by_role("button", name="Maak een kopie van mijn gegevens").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert")).first).to_contain_text(
        "We mailen je een link"
    )
    link = page.get_by_role("link", name="Downloaden (tot")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    with zipfile.ZipFile(download.value.path()) as archive:
        assert "README.md" in archive.namelist()
        assert "research_cycle.logentry.json" in archive.namelist()

    page.get_by_role("button", name="Vraag om gewist te worden").click()
    expect(page.get_by_text("Vink het vakje aan")).to_be_visible()
    page.screenshot(path=f"{SHOTS}-nl-laptop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}-nl-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("Ik begrijp dat mijn account").check()
    page.get_by_role("button", name="Vraag om gewist te worden").click()
    expect(page.get_by_test_id("erasure")).to_contain_text("Je vroeg op")

    page.get_by_role("button", name="English").or_(
        page.get_by_role("link", name="English")
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My data")
    page.screenshot(path=f"{SHOTS}-en-laptop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}-en-phone.png", full_page=True)
