"""A starting teacher sees their mentor and next check-in on the dashboard; the
mentor records that check-in, and the starter's next one moves on."""

import datetime
import re

import pytest
from django.utils import dateformat, timezone, translation
from playwright.sync_api import expect

from .conftest import go_to, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def dutch(day: datetime.date) -> str:
    with translation.override("nl"):
        return dateformat.format(day, "l j F Y")


@pytest.fixture
def demo_induction(demo_network):
    from induction import demo

    demo.seed(demo_network)
    return demo_network


def test_the_starter_sees_their_mentor_and_the_mentor_records_the_check_in(page, demo_induction):
    from induction.models import InductionPlan

    plan = InductionPlan.objects.get(membership__user__email="starting-teacher@demo.test")
    upcoming = plan.check_ins.filter(
        held_on__isnull=True, due_on__gte=timezone.localdate()
    ).order_by("due_on")[0]
    following = plan.check_ins.filter(due_on__gt=upcoming.due_on).order_by("due_on")[0]

    log_in(page, "starting-teacher@demo.test")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    panel = page.get_by_test_id("induction-panel")
    expect(panel.get_by_role("heading", name="Mijn aanvangsbegeleiding")).to_be_visible()
    expect(panel.get_by_test_id("my-mentor")).to_have_text("Griet Willems")
    expect(panel.get_by_test_id("next-check-in")).to_contain_text(dutch(upcoming.due_on))
    expect(panel.get_by_test_id("starter-sessions")).to_contain_text(
        "Startersdag: je eerste jaar in de klas"
    )
    log_out(page)

    log_in(page, "mentor@demo.test")
    go_to(page, "nav-training", "Aanvangsbegeleiding")
    mentees = page.get_by_test_id("mentees")
    expect(mentees).to_contain_text("Pieter Goossens")
    mentees.get_by_role("link", name="Ilias Bouzid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Begeleidingsplan van Ilias Bouzid")
    page.get_by_role("link", name=f"Noteren ({upcoming.due_on.day} ").first.click()
    page.get_by_label("Het gesprek werd gehouden").check()
    page.get_by_label("Notities").fill("Lesbezoek besproken: rustiger begin van de les.")
    page.get_by_role("button", name="Bewaren").click()
    expect(page.locator(".alert").first).to_contain_text("Het gesprek is bewaard.")
    held = page.get_by_test_id("check-in").filter(has_text=dutch(upcoming.due_on))
    expect(held).to_contain_text("Gehouden op")
    expect(held).to_contain_text("Lesbezoek besproken: rustiger begin van de les.")
    log_out(page)

    log_in(page, "starting-teacher@demo.test")
    expect(page.get_by_test_id("induction-panel").get_by_test_id("next-check-in")).to_contain_text(
        dutch(following.due_on)
    )
