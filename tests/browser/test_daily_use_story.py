"""Daily-use polish (issue 14): the library on a phone, the session month view, the
calendar feed's copy button, logging progress from the top of the team page, and the
print sheet."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from knowledge_base.models import Theme
from tests.knowledge_base.conftest import make_study

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}


@pytest.fixture
def context_for(browser, live_server):
    contexts = []

    def _context(**options):
        context = browser.new_context(base_url=live_server.url, locale="nl-BE", **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield _context
    for context in contexts:
        context.close()


@pytest.fixture
def studies(demo_network):
    theme = Theme.objects.update_or_create(slug="leesmotivatie", defaults={
        "name_nl": "Leesmotivatie", "name_en": "Reading motivation"})[0]  # fmt: skip
    others = [Theme.objects.update_or_create(slug=f"thema-{n}", defaults={
        "name_nl": f"Thema {n}", "name_en": f"Theme {n}"})[0] for n in range(8)]  # fmt: skip
    for number in range(6):
        make_study(school=demo_network.home_school, school_year=demo_network.school_year,
                   themes=[theme, others[number]], title=f"Leesmotivatie in klas {number + 1}",
                   summary="Hoe lezen leerlingen graag?")  # fmt: skip
    return demo_network


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_phone_the_results_of_a_search_are_in_view(context_for, studies, javascript):
    page = context_for(viewport=PHONE, java_script_enabled=javascript).new_page()
    page.goto("/studies/")
    page.get_by_label("Zoek in de onderzoeken").fill("leesmotivatie")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    expect(page).to_have_url(re.compile(r"q=leesmotivatie"))
    first = page.locator(".study-results h3").first
    expect(first).to_be_in_viewport()
    filters = page.get_by_role("checkbox", name=re.compile(r"^Thema 1 \("))
    expect(filters).to_be_hidden()
    page.get_by_text("Filter", exact=True).click()  # the summary opens them
    expect(filters).to_be_visible()
    filters.click()  # with JavaScript ticking applies it at once
    if not javascript:
        page.get_by_role("button", name="Filters toepassen").click()
    expect(page).to_have_url(re.compile(r"theme=thema-1"))
    expect(page.get_by_test_id("active-filters")).to_have_text("1 actief")
    expect(page.locator(".study-results h3").first).to_be_in_viewport()


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_laptop_the_filters_stay_beside_the_results(context_for, studies, javascript):
    page = context_for(viewport={"width": 1280, "height": 800}, java_script_enabled=javascript)
    page = page.new_page()
    page.goto("/studies/?q=leesmotivatie")
    expect(page.get_by_role("checkbox", name=re.compile(r"^Thema 1 \("))).to_be_visible()


@pytest.fixture
def demo_sessions(demo_network):
    from network_sessions import demo

    demo.seed(demo_network)
    return demo_network


def test_the_coach_browses_the_month_view(context_for, demo_sessions):
    from network_sessions.models import NetworkSession

    session = NetworkSession.objects.filter(starts_at__gte=timezone.now()).earliest("starts_at")
    month = timezone.localtime(session.starts_at)
    page = context_for(viewport=PHONE).new_page()
    log_in(page, "coach@demo.test")
    page.goto("/sessions/")
    page.get_by_role("link", name="Maand", exact=True).click()
    expect(page.get_by_role("link", name="Maand", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    page.goto(f"/sessions/month/?m={month:%Y-%m}")
    grid = page.get_by_role("table")
    expect(grid.get_by_role("columnheader").first).to_have_text("ma")
    link = grid.get_by_role("link", name=re.compile(re.escape(session.title)))
    expect(link).to_be_visible()  # the time shows on a phone; the title is read out
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_test_id("next-month").click()
    expect(page).to_have_url(re.compile(r"m=\d{4}-\d{2}"))
    page.get_by_test_id("previous-month").click()
    expect(page.get_by_role("table").get_by_role("link", name=re.compile(re.escape(session.title))))
    page.set_viewport_size({"width": 1280, "height": 800})  # the switcher outside the menu
    page.get_by_test_id("language-en").click()
    expect(page.get_by_role("table").get_by_role("columnheader").first).to_have_text("Mon")
    expect(page.get_by_role("link", name="Month", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    link = page.get_by_role("table").get_by_role("link", name=re.compile(re.escape(session.title)))
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(session.title)


def test_the_calendar_address_is_copied_with_one_click(context_for, demo_sessions):
    context = context_for()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    log_in(page, "coach@demo.test")
    page.goto("/sessions/calendar/")
    subscribe = page.get_by_role("link", name="Abonneren in mijn agendaprogramma")
    expect(subscribe).to_have_attribute("href", re.compile(r"^webcal://.+/calendar/.+\.ics$"))
    address = page.get_by_label("Je persoonlijke agenda-adres").input_value()
    button = page.get_by_role("button", name="Adres kopiëren")
    button.click()
    expect(page.get_by_role("button", name="Gekopieerd")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == address
    assert address.startswith("http") and address.endswith(".ics")
    expect(page.get_by_role("term").filter(has_text="Google Agenda")).to_be_visible()


def test_without_javascript_the_calendar_link_still_works_and_no_dead_button_shows(
    context_for, demo_sessions
):
    page = context_for(java_script_enabled=False).new_page()
    log_in(page, "coach@demo.test")
    page.goto("/sessions/calendar/")
    expect(page.get_by_role("button", name="Adres kopiëren")).to_be_hidden()
    expect(page.get_by_role("link", name="Abonneren in mijn agendaprogramma")).to_have_attribute(
        "href", re.compile(r"^webcal://")
    )


def test_on_a_phone_logging_progress_is_at_the_top_of_the_team_page(context_for, demo_network):
    from research_cycle import demo

    demo.seed(demo_network)
    page = context_for(viewport=PHONE).new_page()
    log_in(page, "coach@demo.test")
    page.goto(f"/teams/{demo_network.home_team.pk}/")
    log = page.get_by_role("link", name="Voortgang noteren")
    expect(log).to_be_in_viewport()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(log).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_bridge_builder_finds_invitees_by_typing_part_of_their_name(context_for, demo_network):
    from network_sessions.models import NetworkSession

    page = context_for().new_page()
    log_in(page, "bridge-builder@demo.test")
    page.goto("/sessions/new/")
    people = page.get_by_role("listbox", name="Personen bij naam uitnodigen")
    page.get_by_label("Zoek personen op naam").fill("sara pee")
    expect(people.get_by_role("option")).to_have_count(1)
    people.select_option(label="Sara Peeters")
    page.get_by_label("Zoek personen op naam").fill("willems")
    page.get_by_label("Zoek personen op naam").press("Enter")  # does not submit the form
    expect(page.get_by_role("status").filter(has_text="personen getoond")).to_be_visible()
    expect(people.get_by_role("option", name="Sara Peeters")).to_have_count(1)  # chosen: stays
    people.select_option(label=["Sara Peeters", "Griet Willems"])
    page.get_by_label("Titel").fill("Gesprek met de mentor")
    page.get_by_label("Begint om").fill("2027-03-02T14:00")
    page.get_by_label("Eindigt om").fill("2027-03-02T15:00")
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_text("De sessie is gepland.")).to_be_visible()
    session = NetworkSession.objects.get(title="Gesprek met de mentor")
    assert sorted(str(person) for person in session.audience_people.all()) == [
        "Griet Willems",
        "Sara Peeters",
    ]
