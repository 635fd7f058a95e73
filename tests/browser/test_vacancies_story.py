import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_vacancies(demo_network):
    from vacancies import demo

    demo.seed(demo_network)
    return demo_network


def test_a_student_teacher_browses_the_vacancies_and_opens_one(page, demo_vacancies):
    log_in(page, "student-teacher@demo.test")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.get_by_role("link", name="Vacatures", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vacatures")
    board = page.get_by_test_id("vacancy-list")
    # The internal vacancy of the demo school is there; the closed one is not.
    expect(board).to_contain_text("Zorgleraar (interim)")
    expect(board).not_to_contain_text("Leraar lichamelijke opvoeding")

    page.get_by_label("Niveau").select_option("secondary")
    page.get_by_role("button", name="Vacatures tonen").click()
    expect(board.locator("li")).to_have_count(3)
    expect(board).to_contain_text("Leraar wiskunde tweede graad")
    expect(board).not_to_contain_text("Zorgleraar")

    board.get_by_role("link", name="Leraar wiskunde tweede graad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leraar wiskunde tweede graad")
    expect(page.locator(".vacancy-facts")).to_contain_text("11/22 uren")
    contact = page.get_by_role("region", name="Contact")
    expect(contact.get_by_role("link", name="info@school.example")).to_be_visible()
    # A student teacher does not manage vacancies.
    expect(page.get_by_role("link", name="Wijzigen")).to_have_count(0)


def test_a_school_leader_posts_a_vacancy(page, demo_vacancies):
    log_in(page, "school-leader@demo.test")
    page.goto("/vacancies/")
    page.get_by_role("link", name="Vacature plaatsen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vacature plaatsen")

    starts = timezone.localdate() + datetime.timedelta(days=60)
    page.get_by_label("Titel").fill("Klasleraar eerste leerjaar")
    page.get_by_label("Onderwijsniveau").select_option("primary")
    page.locator("#id_subject").fill("Klasleraar")
    page.locator("#id_hours").fill("30")
    page.get_by_label("Begint op").fill(starts.isoformat())
    page.get_by_label("Solliciteren tot en met").fill("2000-01-01")
    page.get_by_label("Beschrijving").fill("Een warme klas in Anderlecht.")
    page.locator("#id_contact_name").fill("Karim Benali")
    page.get_by_label("E-mailadres contactpersoon").fill("school-leader@demo.test")
    page.get_by_role("button", name="Bewaren").click()

    # Too many hours and a closing date in the past: field messages, the rest kept.
    expect(page.locator("#id_hours").locator("..")).to_contain_text(
        "Meer uren dan een voltijdse job"
    )
    expect(page.get_by_label("Titel")).to_have_value("Klasleraar eerste leerjaar")
    page.locator("#id_hours").fill("12")
    page.get_by_role("button", name="Bewaren").click()
    expect(page.locator("#id_closes_on").locator("..")).to_contain_text(
        "De sluitingsdatum is voorbij"
    )
    closes = timezone.localdate() + datetime.timedelta(days=21)
    page.get_by_label("Solliciteren tot en met").fill(closes.isoformat())
    page.get_by_label("Openbaar").check()
    page.get_by_role("button", name="Bewaren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Klasleraar eerste leerjaar")
    expect(page.get_by_text("De vacature is bewaard.")).to_be_visible()
    expect(page.locator(".vacancy-facts")).to_contain_text("12/24 uren")

    # It is public: a visitor who is not logged in finds it on the board.
    log_out(page)
    page.goto("/vacancies/")
    expect(page.get_by_test_id("vacancy-list")).to_contain_text("Klasleraar eerste leerjaar")


def test_the_schools_list_keeps_each_rows_actions_inside_the_row(page, demo_vacancies):
    """The actions (change, post again, withdraw) sit in a cell as tall as its row:
    a flex box inside the cell, never the cell itself (which leaves a gap in the
    table where the page shows through)."""
    log_in(page, "school-leader@demo.test")
    page.goto("/vacancies/school/")
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    for index in range(rows.count()):
        row = rows.nth(index).bounding_box()
        cell = rows.nth(index).locator("td").last.bounding_box()
        assert row and cell
        assert abs(cell["height"] - row["height"]) < 1, index
