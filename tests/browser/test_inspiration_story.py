"""Stories of issue 15: a coach whose team is in stage 4 opens a study the
workspace suggests, and a process facilitator composes next year's learning
communities (dragging a school to another group, then confirming)."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_library(demo_network):
    from inspiration import demo as inspiration_demo
    from knowledge_base import demo as library_demo
    from research_cycle import demo as cycle_demo
    from research_cycle.models import CycleStage

    cycle_demo.seed(demo_network)
    library_demo.seed(demo_network)
    inspiration_demo.seed(demo_network)
    cycle = demo_network.home_team.current_cycle
    cycle.current_stage = CycleStage.objects.get(order=4)
    cycle.research_question = "Hoe versterken we de leesmotivatie van onze leerlingen?"
    cycle.save()
    return demo_network


def test_a_coach_in_stage_4_opens_a_suggested_study(page, demo_library):
    log_in(page, "coach@demo.test")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.goto(f"/teams/{demo_library.home_team.pk}/")
    panel = page.get_by_test_id("inspiration")
    expect(panel.get_by_role("heading", name="Inspiratie voor deze fase")).to_be_visible()
    expect(panel).to_contain_text("voor een team in “Inspiratie”")
    first = panel.get_by_test_id("suggested-study").first
    title = first.get_by_role("link").first.inner_text()
    # The worked example opens without leaving the page.
    first.get_by_text("Hoe zij het aanpakten").click()
    expect(first.get_by_text("Hun onderzoeksvraag:")).to_be_visible()
    first.get_by_role("link", name=title).click()
    expect(page).to_have_url(re.compile(r"/studies/[-\w]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    # Never a study of the coach's own school.
    expect(page.get_by_test_id("study-school")).not_to_have_text(demo_library.home_school.name)


def test_a_facilitator_composes_next_years_communities(page, demo_library):
    from partnership.models import LearningCommunity, SchoolYear

    next_year = SchoolYear.objects.filter(is_current=False).order_by("-starts_on").first()
    log_in(page, "process-facilitator@demo.test")
    page.goto("/oversight/communities/compose/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Compose learning communities")
    group_1, group_2 = page.get_by_test_id("group-1"), page.get_by_test_id("group-2")
    expect(group_1.get_by_test_id("reasons")).to_be_visible()

    # Drag the first school of group 1 out of every group: its card follows.
    card = group_1.locator(".composer-school").first
    school = card.locator("label").inner_text()
    # Picked up by its name (pressing on the select opens the select instead), moved
    # in steps as a hand does.
    outside = page.get_by_test_id("group-none")
    start, target = card.bounding_box(), outside.locator(".composer-schools").bounding_box()
    page.mouse.move(start["x"] + 12, start["y"] + 12)
    page.mouse.down()
    page.mouse.move(start["x"] + 40, start["y"] + 40, steps=5)
    page.mouse.move(target["x"] + 20, target["y"] + 20, steps=10)
    page.mouse.up()
    moved = outside.locator(".composer-school", has_text=school)
    expect(moved).to_be_visible()
    expect(moved.locator("select")).to_have_value("")

    # Without dragging: the select puts it in group 2 after a school of group 2 leaves.
    leaving = group_2.locator(".composer-school").first
    leaving_name = leaving.locator("label").inner_text()
    leaving.locator("select").select_option(label="Not in a community")
    expect(outside).to_contain_text(leaving_name)
    moved.locator("select").select_option(label="Group 2")
    expect(group_2.locator(".composer-school", has_text=school)).to_be_visible()

    group_1.get_by_label("Name of group 1").fill("PLG Kanaal")
    group_2.get_by_label("Name of group 2").fill("PLG Zenne")
    page.get_by_role("button", name=re.compile("Create these learning communities")).click()
    expect(page.locator(".alert-success")).to_contain_text("learning communities were created")
    existing = page.get_by_test_id("existing-communities")
    expect(existing).to_contain_text("PLG Kanaal")
    expect(existing).to_contain_text(school)

    communities = LearningCommunity.objects.filter(school_year=next_year)
    assert communities.filter(name="PLG Zenne", schools__name=school).exists()
    assert not communities.filter(schools__name=leaving_name).exists()
    assert all(c.schools.count() <= 4 for c in communities)
