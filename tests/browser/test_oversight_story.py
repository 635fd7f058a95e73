import re

import pytest
from playwright.sync_api import expect

from .conftest import go_to, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_with_states(demo_network):
    """The demo as seed_demo builds it: the research-cycle history, then the
    oversight states (on track, inactive, stuck) for the bridge-builder's schools."""
    from oversight import demo as oversight_demo
    from research_cycle import demo as research_cycle_demo

    research_cycle_demo.seed(demo_network)
    oversight_demo.seed(demo_network)
    return demo_network


def test_the_bridge_builder_spots_a_quiet_team_and_leaves_a_comment(page, demo_with_states):
    quiet = demo_with_states.teams[demo_with_states.schools[2].pk]
    log_in(page, "bridge-builder@demo.test")
    go_to(page, "nav-oversight", "Scholen en teams")
    expect(page).to_have_url(re.compile(r"/oversight/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht van mijn scholen")
    expect(page.get_by_test_id("flagged-count")).to_have_text("2 vragen aandacht")

    # The quiet team comes first, flagged for inactivity.
    first = page.get_by_test_id("team-row").first
    expect(first).to_contain_text(quiet.theme)
    expect(first.get_by_test_id("attention-flag")).to_have_text("Vraagt aandacht")
    expect(first).to_contain_text("30 dagen niets gelogd")

    # Filter on "long in one stage": only the stuck team remains.
    page.get_by_label("Aandacht").select_option(label="Lang in dezelfde fase")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("team-row")).to_have_count(1)
    expect(page.get_by_test_id("team-row")).to_contain_text("dagen in deze fase")
    page.get_by_role("link", name="Wis de filters").click()
    expect(page.get_by_test_id("team-row")).to_have_count(4)

    # One click into the team's workspace, where the bridge-builder comments.
    page.get_by_role("link", name=quiet.theme).click()
    expect(page).to_have_url(re.compile(rf"/teams/{quiet.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(quiet.theme)
    entry = page.locator(".timeline-entry").first
    entry.get_by_label("Reactie", exact=True).and_(entry.locator("textarea")).fill(
        "Het is even stil bij jullie. Zullen we volgende week bellen?"
    )
    entry.get_by_role("button", name="Reactie plaatsen").click()
    expect(
        page.get_by_text("Het is even stil bij jullie. Zullen we volgende week bellen?")
    ).to_be_visible()


def test_the_agreements_page_fits_a_phone(context_for_phone, demo_with_states):
    """A long Dutch title ("Partnerschapsovereenkomsten") wraps instead of widening
    the page: nothing scrolls sideways but the table inside its own frame."""
    page = context_for_phone.new_page()
    log_in(page, "bridge-builder@demo.test")
    page.goto("/oversight/agreements/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnerschapsovereenkomsten")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.fixture
def context_for_phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", viewport={"width": 375, "height": 667}
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()
