"""The team page's suggested studies are rendered once per process for what they
show (``inspiration.templatetags.inspiration_parts``): an edited or retitled study,
another reason to suggest it and another language show at once, and the card is
the same for everyone on the team."""

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from inspiration.templatetags import inspiration_parts

pytestmark = pytest.mark.django_db


def _cards(client, network) -> dict[str, str]:
    """The suggested studies on the team page: {link: the card's text}."""
    response = client.get(reverse("research_cycle:team_workspace", args=[network.team.pk]))
    assert response.status_code == 200
    cards = lxml_html.fromstring(response.content).xpath('//*[@data-testid="suggested-study"]')
    return {card.xpath(".//a/@href")[0]: " ".join(card.text_content().split()) for card in cards}


def test_everyone_on_the_team_sees_the_same_cards_rendered_once(network, library, login):
    coach = _cards(login(network.people["coach"]), network)
    assert library.on_theme.get_absolute_url() in coach
    remembered = len(inspiration_parts._memo)
    assert remembered == len(coach)
    assert _cards(login(network.people["research_teacher"]), network) == coach
    assert len(inspiration_parts._memo) == remembered


def test_an_edited_study_and_another_language_show_at_once(network, library, login):
    client = login(network.people["coach"])
    url = library.on_theme.get_absolute_url()
    assert "Versterkt voorlezen de leesmotivatie?" in _cards(client, network)[url]

    study = library.on_theme
    study.research_question = "Werkt voorlezen ook in de derde kleuterklas?"
    study.save()
    card = _cards(client, network)[url]
    assert "Werkt voorlezen ook in de derde kleuterklas?" in card
    assert "Versterkt voorlezen de leesmotivatie?" not in card

    study.title = "Voorlezen <b>werkt</b>"
    study.save()
    card = _cards(client, network)[url]
    assert "Voorlezen <b>werkt</b>" in card  # the title as typed, escaped, not as markup

    assert "Hun onderzoeksvraag" in card
    client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    card = _cards(client, network)[url]
    assert "Their research question" in card and "Hun onderzoeksvraag" not in card


def test_a_new_reason_to_suggest_a_study_shows_at_once(network, library, login):
    """With the page cache on: the theme is a many-to-many row (on SQLite an ``INSERT
    OR IGNORE``, which the cache once missed)."""
    client = login(network.people["coach"])
    url = library.similar.get_absolute_url()
    assert "een vraag zoals de jouwe" in _cards(client, network)[url]
    assert "zelfde thema" not in _cards(client, network)[url]
    library.similar.themes.add(library.themes["leesmotivatie"])  # now on the team's theme too
    assert "zelfde thema, een vraag zoals de jouwe" in _cards(client, network)[url]
