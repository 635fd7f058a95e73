"""Playwright in Debian's Chromium (never `playwright install`)."""

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; the Django ORM calls the
# tests make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-BE", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def reseed_cycle_stages() -> None:
    """Transactional tests flush every table, including the rows the data migration
    seeded (the eight stages); put them back with the migration's own function."""
    from importlib import import_module

    from django.apps import apps

    import_module("research_cycle.migrations.0002_seed_cycle_stages").seed(apps, None)


@pytest.fixture
def demo_network(transactional_db):
    from partnership.demo import seed_foundation

    reseed_cycle_stages()
    return seed_foundation()


def log_in(page, email, password="leerbrug-demo"):
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def log_out(page):
    """Log out the way a person does: open the menu under their name, then log out."""
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()


def go_to(page, menu_test_id, link_name):
    """Follow a link that the header groups in a menu (e.g. "Samen opleiden")."""
    page.get_by_test_id(menu_test_id).click()
    page.get_by_role("link", name=link_name, exact=True).click()
