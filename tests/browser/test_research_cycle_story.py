import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo_with_history(demo_network):
    from research_cycle import demo

    demo.seed(demo_network)
    return demo_network


def test_the_demo_coach_logs_research_and_moves_the_cycle_on(page, demo_with_history, tmp_path):
    team = demo_with_history.home_team
    evidence = tmp_path / "bevraging-ouders.csv"
    evidence.write_text("vraag;ja;nee\nLeest uw kind thuis?;23;18\n", encoding="utf-8")

    log_in(page, "coach@demo.test")
    page.get_by_role("link", name=team.theme).click()
    expect(page).to_have_url(re.compile(rf"/teams/{team.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(team.theme)

    # A log entry with an attachment.
    page.get_by_role("link", name="Voortgang noteren").click()
    page.get_by_label("Wat we deden").fill("Oudervragenlijst verwerkt: 41 antwoorden.")
    page.get_by_label("Ouders").check()
    page.get_by_label("Bijlagen").set_input_files(str(evidence))
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_text("Je logboeknotitie is bewaard.")).to_be_visible()
    first_entry = page.locator(".timeline-entry").first
    expect(first_entry).to_contain_text("Oudervragenlijst verwerkt: 41 antwoorden.")
    expect(first_entry.get_by_role("link", name=re.compile("bevraging-ouders.csv"))).to_be_visible()

    # The research question, edited in place.
    page.get_by_test_id("edit-research_question").click()
    question = page.locator("#study-research_question").get_by_label("Onderzoeksvraag")
    question.fill("Hoe verhoogt vrije boekkeuze de leesmotivatie in de derde graad?")
    page.locator("#study-research_question").get_by_role("button", name="Bewaren").click()
    expect(page.get_by_test_id("value-research_question")).to_have_text(
        "Hoe verhoogt vrije boekkeuze de leesmotivatie in de derde graad?"
    )

    # Tick off the checklist, then advance.
    progress = page.get_by_test_id("checklist-progress")
    expect(progress).to_have_text("1 van 3 gedaan")
    for done in (2, 3):
        page.locator("#checklist button[aria-pressed=false]").first.click()
        expect(progress).to_have_text(f"{done} van 3 gedaan")
    page.get_by_role("link", name="Door de cyclus gaan").click()
    page.get_by_role("button", name="Verder").click()

    expect(page.get_by_text("Het team ging verder naar “Analyse”.")).to_be_visible()
    expect(page.locator('g[data-stage="analysis"]')).to_have_attribute("data-state", "current")
    expect(page.locator('g[data-stage="data_collection"]')).to_have_attribute("data-state", "done")
    expect(page.get_by_test_id("current-stage")).to_have_text("Nu: 6. Analyse")
    expect(page.locator(".timeline-transition").first).to_contain_text(
        "bracht het team van “Dataverzameling” naar “Analyse”"
    )


def test_the_other_coach_gets_a_404_on_that_team(page, demo_with_history):
    team = demo_with_history.home_team
    log_in(page, "other-coach@demo.test")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    response = page.goto(f"/teams/{team.pk}/")
    assert response.status == 404
