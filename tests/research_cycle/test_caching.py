"""The team page's caches (issue 17): the cycle picture's SVG, cached per language and
picture, and the Markdown of log entries, remembered per text. Each must show every
team and person their own, and change as soon as what it shows changes."""

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from research_cycle import services
from research_cycle.services import cycle_start

pytestmark = pytest.mark.django_db


def workspace(client, team) -> lxml_html.HtmlElement:
    response = client.get(reverse("research_cycle:team_workspace", kwargs={"pk": team.pk}))
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def picture_states(page) -> dict[str, str]:
    return {
        g.get("data-stage"): g.get("data-state")
        for g in page.xpath("//svg[contains(@class, 'cycle-ring')]//g")
    }


def test_two_teams_at_different_stages_each_see_their_own_cycle_picture(client, network, cycle):
    coach, outsider = network.people["coach"], network.people["outsider"]
    cycle_start(team=network.other_team, user=outsider)
    services.cycle_advance_stage(cycle=cycle, user=coach, reason="verder")

    client.force_login(coach)
    mine = picture_states(workspace(client, network.team))
    client.force_login(outsider)
    theirs = picture_states(workspace(client, network.other_team))

    assert mine["dilemma"] == "done" and list(mine.values()).count("current") == 1
    assert theirs["dilemma"] == "current" and "done" not in theirs.values()
    # Asked again (now from the cache), each still sees their own.
    client.force_login(coach)
    assert picture_states(workspace(client, network.team)) == mine


def test_the_cycle_picture_follows_the_team_to_its_next_stage(client, network, cycle):
    coach = network.people["coach"]
    client.force_login(coach)
    before = workspace(client, network.team)
    assert picture_states(before)["dilemma"] == "current"

    services.cycle_advance_stage(cycle=cycle, user=coach, reason="verder")
    after = workspace(client, network.team)

    assert picture_states(after)["dilemma"] == "done"
    title = after.xpath("//svg[contains(@class, 'cycle-ring')]/title")[0].text_content()
    assert "fase 2" in title
    assert "now" not in title


def test_the_cycle_picture_is_drawn_in_each_reader_s_language(client, network, cycle):
    client.force_login(network.people["coach"])
    dutch = (
        workspace(client, network.team)
        .xpath("//svg[contains(@class, 'cycle-ring')]/title")[0]
        .text_content()
    )
    client.cookies["django_language"] = "en"
    english = (
        workspace(client, network.team)
        .xpath("//svg[contains(@class, 'cycle-ring')]/title")[0]
        .text_content()
    )
    assert "Onderzoekscyclus" in dutch
    assert "Research cycle" in english


RICH_TEXT = "//li[contains(@class, 'timeline-entry')]//div[contains(@class, 'rich-text')]"


def entry_texts(page) -> list[str]:
    return [div.text_content().strip() for div in page.xpath(RICH_TEXT)]


def test_each_team_sees_its_own_entries_rendered(client, network, cycle):
    coach, outsider = network.people["coach"], network.people["outsider"]
    other_cycle = cycle_start(team=network.other_team, user=outsider)
    for the_cycle, author, text in [
        (cycle, coach, "**Onze** leesmeters"),
        (other_cycle, outsider, "**Hun** feedbackrondes"),
    ]:
        services.log_entry_create(
            cycle=the_cycle,
            author=author,
            stage=the_cycle.current_stage,
            occurred_on=timezone.localdate(),
            summary=text,
        )
    client.force_login(coach)
    assert entry_texts(workspace(client, network.team)) == ["Onze leesmeters"]
    client.force_login(outsider)
    assert entry_texts(workspace(client, network.other_team)) == ["Hun feedbackrondes"]


def test_an_edited_entry_shows_its_new_text_at_once(client, network, cycle):
    coach = network.people["coach"]
    entry = services.log_entry_create(
        cycle=cycle,
        author=coach,
        stage=cycle.current_stage,
        occurred_on=timezone.localdate(),
        summary="Eerste *versie*",
    )
    client.force_login(coach)
    assert entry_texts(workspace(client, network.team)) == ["Eerste versie"]

    services.log_entry_update(
        entry=entry,
        user=coach,
        stage=cycle.current_stage,
        occurred_on=entry.occurred_on,
        summary="Tweede *versie*",
    )
    page = workspace(client, network.team)
    assert entry_texts(page) == ["Tweede versie"]
    assert page.xpath(RICH_TEXT + "//em")[0].text == "versie"
