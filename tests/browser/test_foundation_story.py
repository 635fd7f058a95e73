import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in, log_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_the_demo_coach_logs_in_switches_language_and_logs_out(page, demo_network):
    log_in(page, "coach@demo.test")

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Sara")
    expect(page.get_by_role("heading", name="Mijn onderzoeksteams")).to_be_visible()
    expect(page.get_by_text("Basisschool De Regenboog").first).to_be_visible()

    page.get_by_test_id("language-en").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", name="My research teams")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    log_out(page)
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_the_menu_works_on_a_phone(browser, live_server, demo_network):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto("/")
    login_link = page.get_by_role("link", name="Inloggen")
    expect(login_link).to_be_hidden()
    page.get_by_role("button", name="Menu tonen of verbergen").click()
    expect(login_link).to_be_visible()
    context.close()
