"""The team page's checklist and lists of placements are rendered once per process
for what they show (issue 17, ``research_cycle.templatetags.workspace_parts``).
What a person must notice: a tick, an item's text or a placement's task shows on
the next visit; the tick buttons appear only for those who may tick, whoever
looked first; and the buttons work with their own CSRF token.

The page cache is off here, so these tests see the parts' own memos."""

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from placements.models import Placement
from research_cycle import services
from research_cycle.models import ChecklistItem
from research_cycle.templatetags import workspace_parts
from tests.placements.pages import placement_pages

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture(autouse=True)
def drawn(calls_of):
    """How many times the checklist was drawn (not taken from the memo)."""
    return calls_of(workspace_parts, "_render_checklist")


def page(client, team):
    response = client.get(reverse("research_cycle:team_workspace", kwargs={"pk": team.pk}))
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def checklist(client, team) -> list[tuple[str, bool, bool]]:
    """Per item: its text as read, whether it is done, and whether it has a button."""
    return [
        (" ".join(li.text_content().split()), "✓" in li.text_content(), bool(li.xpath(".//form")))
        for li in page(client, team).xpath("//*[@id='checklist']//li")
    ]


def placements(client, team) -> tuple[str, str]:
    found = page(client, team)
    column = found.xpath("//*[@data-testid='team-placements']")
    timeline = found.xpath("//*[@data-testid='timeline-placements']")
    return (
        " ".join(column[0].text_content().split()) if column else "",
        " ".join(timeline[0].text_content().split()) if timeline else "",
    )


def test_the_checklist_is_drawn_once_and_a_tick_shows_at_once(client, network, cycle, drawn):
    client.force_login(network.people["coach"])
    first = checklist(client, network.team)
    assert first and not any(done for _text, done, _form in first)
    assert all(form for _text, _done, form in first)
    assert checklist(client, network.team) == first
    assert len(drawn) == 1, "the same checklist: drawn once"
    item = ChecklistItem.objects.filter(stage=cycle.current_stage).order_by("order").first()
    services.checklist_set(cycle=cycle, item=item, checked=True, user=network.people["coach"])
    after = checklist(client, network.team)
    assert [done for _text, done, _form in after].count(True) == 1
    assert len(drawn) == 2


def test_who_may_not_tick_gets_no_buttons_whoever_looked_first(client, network, cycle):
    for person in ["coach", "research_teacher", "student_teacher", "school_leader", "coach"]:
        client.force_login(network.people[person])
        shown = checklist(client, network.team)
        assert shown
        buttons = [form for _text, _done, form in shown]
        assert all(buttons) if person == "coach" else not any(buttons), person


def test_the_tick_button_carries_the_person_s_own_csrf_token(network, cycle):
    """A kept checklist made for the coach in one browser ticks in another: each
    page's forms carry that browser's token, and Django accepts it."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for browser in (first, second):
        browser.force_login(network.people["coach"])
    page(first, network.team)
    form = page(second, network.team).xpath("//*[@id='checklist']//form")[0]
    token = form.xpath(".//input[@name='csrfmiddlewaretoken']/@value")[0]
    response = second.post(
        form.get("action"),
        {"csrfmiddlewaretoken": token, "checked": "1"},
        secure=True,
        headers={"referer": f"https://testserver/teams/{network.team.pk}/"},
    )
    assert response.status_code == 302
    assert [done for _t, done, _f in checklist(second, network.team)].count(True) == 1


def test_an_item_s_text_follows_the_language(client, network, cycle):
    client.force_login(network.people["coach"])
    item = ChecklistItem.objects.filter(stage=cycle.current_stage).order_by("order").first()
    ChecklistItem.objects.filter(pk=item.pk).update(
        text_nl="Dilemma genoteerd", text_en="Dilemma written down"
    )
    assert "Dilemma genoteerd" in checklist(client, network.team)[0][0]
    client.cookies["django_language"] = "en"
    assert "Dilemma written down" in checklist(client, network.team)[0][0]


def test_a_placement_and_its_new_task_show_in_both_lists(client, network, cycle):
    client.force_login(network.people["coach"])
    assert placements(client, network.team) == ("", "")
    made = placement_pages(network)
    column, timeline = placements(client, network.team)
    student = network.people["student_teacher"].full_name
    assert student in column and "Leesgesprekken opnemen." in column
    assert student in timeline
    Placement.objects.filter(pk=made.placement.pk).update(team_task="Interviews met ouders.")
    column, _timeline = placements(client, network.team)
    assert "Interviews met ouders." in column and "Leesgesprekken" not in column
