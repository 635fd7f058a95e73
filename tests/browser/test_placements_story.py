"""A school states its capacity; a student teacher states preferences; the
coordinator allocates from the suggestion and confirms; the student sees the
placement on the dashboard and everyone concerned got one mail."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import go_to, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_capacity_preferences_allocation_and_confirmation(page, demo_network, mailoutbox):
    from placements.models import Placement, PlacementPeriod

    network = demo_network
    today = timezone.localdate()
    period = PlacementPeriod.objects.create(
        institution=network.institution,
        school_year=network.school_year,
        name="Stage 1",
        starts_on=today + datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=50),
    )

    # The school leader states the school's capacity.
    log_in(page, "school-leader@demo.test")
    go_to(page, "nav-training", "Stages")
    page.get_by_role("link", name="Basisschool De Regenboog").click()
    expect(page.get_by_test_id("not-answered")).to_be_visible()
    page.locator("#id_form-0-period").select_option(str(period.pk))
    page.locator("#id_form-0-level").select_option("primary")
    page.locator("#id_form-0-places").fill("2")
    page.get_by_label("Griet Willems").check()
    page.get_by_role("button", name="Capaciteit bewaren").click()
    expect(page.get_by_text("Bedankt: jullie capaciteit is bewaard.")).to_be_visible()
    expect(page.get_by_test_id("answered")).to_be_visible()
    log_out(page)

    # The student teacher ranks the place and asks to join the research team.
    log_in(page, "student-teacher@demo.test")
    go_to(page, "nav-training", "Stages")
    page.get_by_test_id("student-periods").get_by_role("link", name="Stage 1").click()
    page.get_by_label("Eerste keuze").select_option(index=1)
    page.get_by_label("Ik wil aansluiten bij het onderzoeksteam van de school").check()
    page.get_by_role("button", name="Mijn voorkeuren bewaren").click()
    expect(page.get_by_text("Je voorkeuren zijn bewaard.")).to_be_visible()
    log_out(page)

    # The coordinator sees why, proposes the suggestion and confirms it.
    log_in(page, "placement-coordinator@demo.test")
    go_to(page, "nav-training", "Stages")
    page.get_by_test_id("coordinated-periods").get_by_role("link", name="Stage 1").click()
    row = page.get_by_test_id("request-row")
    expect(row).to_contain_text("Milan De Smet")
    expect(row.get_by_test_id("why")).to_have_text("Eerste keuze.")
    page.get_by_test_id("apply-suggestion").click()
    expect(page.get_by_text("1 stageplaats voorgesteld.")).to_be_visible()
    expect(row.get_by_test_id("placement-state")).to_have_text("Voorgesteld")
    page.get_by_test_id("confirm-all").click()
    expect(row.get_by_test_id("placement-state")).to_have_text("Bevestigd")
    log_out(page)

    placement = Placement.objects.get()
    assert (placement.mentor.email, placement.bridge_builder.email) == (
        "mentor@demo.test",
        "bridge-builder@demo.test",
    )
    assert placement.research_team == network.home_team
    # (The scan that sent them also reminded the schools that have not answered.)
    confirmations = [m for m in mailoutbox if m.subject.startswith("Stageplaats bevestigd")]
    addresses = sorted(address for message in confirmations for address in message.to)
    assert addresses == sorted(
        {
            "student-teacher@demo.test",
            "mentor@demo.test",
            "bridge-builder@demo.test",
            "coach@demo.test",
            "coach2@demo.test",
        }
    )

    # The student sees the placement on the dashboard.
    log_in(page, "student-teacher@demo.test")
    panel = page.get_by_test_id("my-placement")
    expect(panel).to_contain_text("Basisschool De Regenboog")
    expect(panel).to_contain_text(re.compile("Mentor: Griet Willems"))
