import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import go_to, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENTOR_SUMMARY = "Milan bereidt grondig voor. Volgende stap: werken met niveaugroepen."


@pytest.fixture
def running_internship(demo_network):
    """The demo up to the running placement of the demo student teacher, who has
    logged two days; no evaluation yet."""
    from internships import services
    from internships.demo import seed_rubric
    from placements import demo as placements_demo
    from placements.models import Placement
    from research_cycle import demo as research_cycle_demo

    research_cycle_demo.seed(demo_network)
    placements_demo.seed(demo_network)
    seed_rubric(demo_network.institution)
    placement = Placement.objects.get(
        student__email="student-teacher@demo.test", state=Placement.State.RUNNING
    )
    today = timezone.localdate()
    for days_ago, reflection in [(2, "Eerste leesles gegeven"), (1, "Kringgesprek geleid")]:
        services.log_entry_save(
            placement=placement,
            span="day",
            date=today - datetime.timedelta(days=days_ago),
            hours=Decimal("6"),
            reflection=reflection,
        )
    return placement


def test_the_mentor_confirms_hours_and_the_student_reads_the_mid_term_evaluation(
    page, running_internship
):
    from internships import services
    from internships.models import Rubric

    placement = running_internship
    log_in(page, "mentor@demo.test")
    go_to(page, "nav-training", "Stagebegeleiding")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stagebegeleiding")
    page.get_by_role("link", name="Milan De Smet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stage van Milan De Smet")

    # The mentor ticks one of the two days and confirms its hours.
    form = page.locator(".confirm-hours-form")
    form.get_by_role("checkbox").first.check()
    form.get_by_role("button", name="De aangevinkte uren bevestigen").click()
    expect(page.locator(".alert").first).to_contain_text("Uren bevestigd voor 1 regel.")
    expect(page.get_by_test_id("log-totals")).to_contain_text("waarvan 6,0 bevestigd")
    expect(page.get_by_test_id("log-entry").filter(has_text="te bevestigen")).to_have_count(1)
    expect(page.get_by_test_id("log-entry").filter(has_text="Griet Willems")).to_have_count(1)

    # The mid-term evaluation: a level per criterion, strengths and next steps.
    mid_term = page.get_by_test_id("moment-mid_term")
    mid_term.get_by_test_id("evaluation-mentor").get_by_role(
        "link", name="De evaluatie schrijven"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tussentijdse evaluatie")
    for group in page.locator("fieldset").all():
        group.get_by_text("Zelfstandig", exact=True).click()
    page.get_by_label("Sterktes en volgende stappen").fill(MENTOR_SUMMARY)
    page.get_by_role("button", name="De evaluatie indienen").click()
    expect(page.locator(".alert").first).to_contain_text("De evaluatie is ingediend.")
    expect(page.get_by_test_id("evaluation-mentor").first).to_contain_text(MENTOR_SUMMARY)

    # The student sees that it is in, not what it says.
    page.context.clear_cookies()
    log_in(page, "student-teacher@demo.test")
    page.goto(f"/internships/{placement.pk}/")
    mid_term = page.get_by_test_id("moment-mid_term")
    expect(mid_term).to_contain_text(
        "De student-leraar ziet deze evaluatie zodra beide binnen zijn."
    )
    expect(mid_term).not_to_contain_text(MENTOR_SUMMARY)

    # The bridge-builder's evaluation comes in; now the student reads both and answers.
    rubric = Rubric.objects.get(institution=placement.institution, is_active=True)
    services.evaluation_save(
        placement=placement,
        moment="mid_term",
        evaluator_role="bridge_builder",
        author=placement.bridge_builder,
        levels={c.pk: c.levels.get(rank=2) for c in rubric.criteria.all()},
        summary="Sterke reflecties in het logboek.",
        submit=True,
    )
    page.reload()
    mid_term = page.get_by_test_id("moment-mid_term")
    expect(mid_term).to_contain_text(MENTOR_SUMMARY)
    expect(mid_term).to_contain_text("Sterke reflecties in het logboek.")
    mid_term.get_by_label("Je reactie").fill("Dank! Ik probeer niveaugroepen in week vier.")
    mid_term.get_by_role("button", name="Mijn reactie bewaren").click()
    expect(page).to_have_url(re.compile(rf"/internships/{placement.pk}/$"))
    expect(page.get_by_test_id("moment-mid_term")).to_contain_text("niveaugroepen in week vier")
