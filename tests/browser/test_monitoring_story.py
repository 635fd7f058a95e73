"""A school leader opens a questionnaire round; teachers answer from the mailed link
on a phone (without JavaScript); the leader sees the school's results after the
fifth answer and not before."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import go_to, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_instrument(demo_network):
    from monitoring.demo import demo_instrument

    return demo_instrument()


def link_for(email: str) -> str:
    (message,) = [m for m in mail.outbox if m.to == [email]]
    url = re.search(r"https?://\S+/monitoring/answer/\S+/", message.body).group(0)
    return urlsplit(url).path


def answer_on_a_phone(browser, live_server, path: str, value: str) -> None:
    phone = browser.new_context(
        base_url=live_server.url,
        locale="nl-BE",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    page = phone.new_page()
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Teamvertrouwen (demo)")
    statements = page.locator("fieldset")
    expect(statements).to_have_count(8)
    for index in range(8):
        statements.nth(index).get_by_label(value).check()
    page.get_by_role("button", name="Mijn antwoorden versturen").click()
    expect(page.get_by_test_id("answer-thanks")).to_contain_text("Bedankt")
    # The same link again: a clear message, nothing more stored.
    page.goto(path)
    expect(page.get_by_test_id("answer-used")).to_be_visible()
    expect(page.get_by_test_id("answer-form")).to_have_count(0)
    phone.close()


def test_teachers_answer_from_the_mail_and_the_leader_sees_results_from_the_fifth(
    page, browser, live_server, demo_network, demo_instrument
):
    from monitoring.models import Response

    mail.outbox.clear()
    log_in(page, "school-leader@demo.test")
    go_to(page, "nav-oversight", "Monitoring")
    schools = page.get_by_test_id("monitoring-schools")
    schools.get_by_role("link", name=demo_network.home_school.name).click()
    expect(page.get_by_test_id("no-rounds")).to_be_visible()
    page.get_by_role("link", name="Bevraging openen").click()
    page.get_by_label("Ronde").select_option(label="Begin van het schooljaar")
    closes = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Sluitingsdatum").fill(closes.isoformat())
    page.get_by_role("button", name="Bevraging openen en links versturen").click()
    expect(page.locator(".alert").first).to_contain_text("7 mensen krijgen hun persoonlijke link")
    assert len(mail.outbox) == 7

    teachers = [
        "mentor@demo.test",
        "coach@demo.test",
        "coach2@demo.test",
        "research-teacher@demo.test",
        "starting-teacher@demo.test",
    ]
    for email in teachers[:4]:
        answer_on_a_phone(browser, live_server, link_for(email), "5 – eens")
    assert Response.objects.count() == 4

    page.reload()
    table = page.get_by_test_id("results-table")
    expect(table).to_contain_text("4 / 7")
    expect(page.get_by_test_id("suppressed").first).to_contain_text("minder dan 5")
    expect(page.get_by_test_id("mean")).to_have_count(0)
    expect(page.get_by_test_id("means-chart")).to_have_count(0)

    answer_on_a_phone(browser, live_server, link_for(teachers[4]), "5 – eens")
    page.reload()
    expect(table).to_contain_text("5 / 7")
    # Every item 5, one of four reverse-scored (5 counts 2): (5 + 5 + 5 + 2) / 4.
    expect(page.get_by_test_id("mean").first).to_have_text("4,25")
    expect(page.get_by_test_id("means-chart")).to_be_visible()
