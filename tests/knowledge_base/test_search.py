"""The public library page: full-text search, facets, sorting, paging, accessibility."""

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from knowledge_base.models import Theme
from knowledge_base.search import SearchParams, search_studies
from tests import factories

from .conftest import make_study

pytestmark = pytest.mark.django_db

URL = reverse("knowledge_base:study_list")
is_postgres = connection.vendor == "postgresql"


def titles(response) -> list[str]:
    return [s.title for s in response.context["page_obj"].object_list]


def facet(response, name) -> dict[str, int]:
    return {f.value: f.count for f in response.context["result"].facets[name]}


@pytest.mark.postgres
def test_search_ranks_a_title_match_above_a_findings_match(client, library):
    response = client.get(URL, {"q": "leesmotivatie"})
    # The first study has the word in its title (weight A), the second only in its
    # findings (weight C); Dutch stemming matches either way.
    assert titles(response) == [
        "Leesmotivatie in het derde leerjaar",
        "Peerfeedback bij schrijfopdrachten",
    ]


@pytest.mark.postgres
def test_dutch_stemming_and_highlighted_snippet(client, library):
    response = client.get(URL, {"q": "boekenkring"})  # singular finds "boekenkringen"
    assert titles(response) == ["Leesmotivatie in het derde leerjaar"]
    html = response.content.decode()
    assert "<mark>boekenkringen</mark>" in html


@pytest.mark.postgres
def test_snippet_escapes_the_study_text(client, network, library):
    make_study(
        school=network.school,
        school_year=network.school_year,
        title="Rekenangst",
        summary="Rekenangst & faalangst <script>alert(1)</script><b>bij</b> jonge kinderen.",
    )
    html = client.get(URL, {"q": "rekenangst"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b>bij</b>" not in html
    assert "<mark>Rekenangst</mark> &amp; faalangst" in html


@pytest.mark.postgres
def test_phrase_and_exclusion_use_websearch_syntax(client, library):
    assert titles(client.get(URL, {"q": "leesmotivatie -peerfeedback"})) == [
        "Leesmotivatie in het derde leerjaar"
    ]
    assert titles(client.get(URL, {"q": '"derde leerjaar"'})) == [
        "Leesmotivatie in het derde leerjaar"
    ]


@pytest.mark.postgres
def test_vector_follows_edits_of_a_study(client, library):
    study = library.published[2]
    assert titles(client.get(URL, {"q": "schoolpoort"})) == []
    study.lessons = "Spreek ouders aan aan de schoolpoort."
    study.save()
    assert titles(client.get(URL, {"q": "schoolpoort"})) == [study.title]


@pytest.mark.skipif(is_postgres, reason="the fallback only runs on SQLite")
def test_sqlite_fallback_finds_every_word_in_any_field(client, library):
    response = client.get(URL, {"q": "leesmotivatie leerlingen"})
    assert set(titles(response)) == {
        "Leesmotivatie in het derde leerjaar",
        "Peerfeedback bij schrijfopdrachten",
    }
    assert titles(client.get(URL, {"q": "klasklimaat"})) == [
        "Welbevinden na de overstap naar het secundair"
    ]
    assert titles(client.get(URL, {"q": "klasklimaat leesmotivatie"})) == []


def test_facet_counts_and_filters(client, library):
    response = client.get(URL)
    assert response.status_code == 200
    assert facet(response, "theme") == {"leesmotivatie": 2, "feedback": 1, "welbevinden": 1}
    assert facet(response, "level") == {"primary": 1, "secondary": 2}
    assert facet(response, "year") == {"2025-2026": 2, "2023-2024": 1}
    assert facet(response, "perspective") == {"pupils": 2, "parents": 2, "colleagues": 1}
    assert facet(response, "city") == {"Anderlecht": 3}

    response = client.get(URL, {"theme": "feedback"})
    assert titles(response) == ["Peerfeedback bij schrijfopdrachten"]
    # Disjunctive: the theme facet still offers the other themes with their counts,
    # the other facets count only the filtered results.
    assert facet(response, "theme") == {"leesmotivatie": 2, "feedback": 1, "welbevinden": 1}
    assert facet(response, "year") == {"2025-2026": 1}

    response = client.get(URL, {"theme": ["feedback", "welbevinden"], "perspective": "parents"})
    assert titles(response) == ["Welbevinden na de overstap naar het secundair"]
    response = client.get(URL, {"year": "2023-2024", "level": "secondary"})
    assert titles(response) == ["Welbevinden na de overstap naar het secundair"]


def test_facet_checkboxes_escape_the_value_and_label_their_box(client, network, library):
    make_study(school=network.school, school_year=network.school_year, city='Aalst <b>"&"</b>')
    html = client.get(URL).content.decode()
    assert '<b>"&"</b>' not in html
    escaped = "Aalst &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;"
    box = re.search(
        rf'<input class="form-check-input" type="checkbox" name="city" value="{escaped}"'
        r' id="(facet-city-\d+)">',
        html,
    )
    assert box is not None
    label = f'<label class="form-check-label" for="{box.group(1)}">{escaped} <span'
    assert label in html


def test_a_card_dates_its_study_in_the_readers_time_zone_and_language(client, network, library):
    # 23:30 UTC on 16 March is already 17 March in Brussels (the site's zone)
    moment = datetime.datetime(2026, 3, 16, 23, 30, tzinfo=datetime.UTC)
    make_study(
        school=network.school,
        school_year=network.school_year,
        title="Laat gepubliceerd",
        published_at=moment,
    )
    for language, shown in (
        ("nl", "17 maart 2026"),
        ("en", "17 March 2026"),
        ("nl", "17 maart 2026"),
    ):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # the switcher's cookie
        html = client.get(URL).content.decode()
        card = html[html.index("Laat gepubliceerd") :]
        pattern = r'<time datetime="2026-03-17T00:30:00\+01:00">' + shown + "</time>"
        assert re.search(pattern, card), language


def test_facets_combine_with_the_search_words(client, library):
    response = client.get(URL, {"q": "leesmotivatie", "theme": "feedback"})
    assert titles(response) == ["Peerfeedback bij schrijfopdrachten"]
    assert facet(response, "theme") == {"leesmotivatie": 2, "feedback": 1}


def test_sort_by_date_and_dutch_result_count(client, library):
    response = client.get(URL, {"sort": "date"})
    assert titles(response) == [s.title for s in library.published]
    html = response.content.decode()
    assert re.search(r'role="status"[^>]*>\s*3 onderzoeken gevonden', html)
    assert "<search" in html and '<label class="form-label" for="id_q">' in html


def test_every_search_is_a_shareable_url_that_keeps_the_choices(client, library):
    response = client.get(URL, {"q": "leesmotivatie", "theme": "feedback", "sort": "date"})
    html = response.content.decode()
    assert 'method="get"' in html
    assert 'value="leesmotivatie"' in html
    assert re.search(r'name="theme" value="feedback" id="[^"]+" checked', html)
    # "date" (links from before issue 15) is newest first.
    assert re.search(r'<option value="newest" selected>', html)


def test_bad_input_never_errors(client, library):
    response = client.get(
        URL, {"q": "x" * 500, "theme": "bestaat-niet", "year": "1999-2000", "page": "abc"}
    )
    assert response.status_code == 200
    assert titles(response) == []
    response = client.get(URL, {"sort": "onzin", "page": "9999"})
    assert response.status_code == 200
    assert len(titles(response)) == 3
    # A NUL byte in any parameter (PostgreSQL text cannot hold one): ignored by the
    # page, refused by the API, whose OpenAPI document allows none (a problem document).
    nul = {"q": "a\x00b", "theme": "x\x00", "level": "\x00", "year": "\x00",
           "perspective": "\x00", "city": "\x00"}  # fmt: skip
    assert len(titles(client.get(URL, nul))) == 3
    response = client.get(reverse("knowledge_base:api_study_list"), nul)
    assert response.status_code == 400
    assert {error["parameter"] for error in response.json()["errors"]} == set(nul)


def test_pagination_keeps_the_query(client, network, library):
    for number in range(25):
        make_study(
            school=network.school,
            school_year=network.school_year,
            title=f"Rekenstudie {number}",
            summary="Over rekenen.",
        )
    response = client.get(URL, {"q": "rekenen", "sort": "date"})
    page = response.context["page_obj"]
    assert page.paginator.count == 25 and len(page.object_list) == 20
    assert "?q=rekenen&amp;sort=date&amp;page=2" in response.content.decode()
    assert len(client.get(URL, {"q": "rekenen", "sort": "date", "page": 2}).context[
        "page_obj"
    ].object_list) == 5  # fmt: skip


@pytest.mark.skipif(is_postgres, reason="PostgreSQL counts exactly in the facet query")
def test_sqlite_counts_are_capped_for_very_common_words(library, settings):
    settings.LIBRARY_COUNT_CAP = 2
    result = search_studies(SearchParams())
    assert result.total == 2 and result.total_is_capped
    result = search_studies(SearchParams(themes=["welbevinden"]))
    assert result.total == 1 and not result.total_is_capped


def test_english_labels(client, english, library):
    response = client.get(URL)
    html = response.content.decode()
    assert "Reading motivation" in html
    assert "3 studies found" in html


@pytest.mark.parametrize("quoted", ['"derde leerjaar"', "„derde leerjaar”", "“derde leerjaar”"])
def test_a_quoted_phrase_finds_the_phrase_not_the_words_apart(client, network, library, quoted):
    """The help text promises quotes for an exact phrase: straight or typographic
    quotes (a Dutch keyboard, a phone), on PostgreSQL and on SQLite."""
    make_study(
        school=network.school,
        school_year=network.school_year,
        title="Rekenen in het vierde leerjaar",
        summary="De derde graad kijkt mee.",  # both words, not as the phrase
    )
    assert titles(client.get(URL, {"q": quoted})) == ["Leesmotivatie in het derde leerjaar"]
    assert len(titles(client.get(URL, {"q": "derde leerjaar"}))) == 2
    # Excluding a word or a phrase works the same way.
    assert titles(client.get(URL, {"q": f"leerjaar -{quoted}"})) == [
        "Rekenen in het vierde leerjaar"
    ]


def test_school_city_and_theme_names_are_searched(client, network, library):
    school = factories.SchoolFactory(
        partnership=network.school.partnership, name="Basisschool De Wimpel", city="Molenbeek"
    )
    study = make_study(
        school=school,
        school_year=network.school_year,
        themes=[library.themes["feedback"]],
        title="Rekenen met blokjes",
        summary="Kleuters tellen.",
    )
    assert titles(client.get(URL, {"q": "Molenbeek"})) == [study.title]
    assert titles(client.get(URL, {"q": "wimpel"})) == [study.title]
    # Theme names in both languages.
    well_being = ["Welbevinden na de overstap naar het secundair"]
    assert titles(client.get(URL, {"q": "Well-being"})) == well_being
    assert set(titles(client.get(URL, {"q": "reading motivation"}))) == {
        "Leesmotivatie in het derde leerjaar",
        "Peerfeedback bij schrijfopdrachten",
    }


def test_renaming_a_theme_or_a_school_updates_what_is_found(client, network, library):
    theme = library.themes["welbevinden"]
    assert titles(client.get(URL, {"q": "schoolwelzijn"})) == []  # counted and cached
    theme.name_nl = "Schoolwelzijn"
    theme.save()
    assert titles(client.get(URL, {"q": "schoolwelzijn"})) == [
        "Welbevinden na de overstap naar het secundair"
    ]
    school = network.other_school
    assert len(titles(client.get(URL, {"q": "Atheneum"}))) == 2
    school.name = "Lyceum Zuid"
    school.save()
    assert titles(client.get(URL, {"q": "Atheneum"})) == []
    assert len(titles(client.get(URL, {"q": "lyceum"}))) == 2


def test_a_chosen_value_nothing_matches_shows_its_label(client, english, library):
    response = client.get(
        URL,
        {"q": "boekenkringen", "level": "secondary", "theme": "welbevinden",
         "perspective": "experts"},
    )  # fmt: skip
    assert titles(response) == []
    labels = {
        name: {f.value: (f.label, f.count) for f in response.context["result"].facets[name]}
        for name in ("level", "theme", "perspective")
    }
    assert labels["level"]["secondary"] == ("Secondary", 0)
    assert labels["theme"]["welbevinden"] == ("Well-being", 0)
    assert labels["perspective"]["experts"] == ("Experts", 0)
    html = response.content.decode()
    assert "Secondary <span" in html and "Well-being <span" in html
    assert "secondary <span" not in html


def test_or_between_two_terms_finds_either(client, library):
    assert set(titles(client.get(URL, {"q": "boekenkringen or klasklimaat"}))) == {
        "Leesmotivatie in het derde leerjaar",
        "Welbevinden na de overstap naar het secundair",
    }


def test_a_page_number_past_any_library_shows_the_last_page(client, library):
    """The page shows its last page; the API keeps to its schema and says why not."""
    response = client.get(URL, {"q": "leerlingen", "page": "9" * 30})
    assert response.status_code == 200
    page = response.context["result"].page
    assert page.number == page.paginator.num_pages
    api = client.get(
        reverse("knowledge_base:api_study_list"), {"q": "leerlingen", "page": "9" * 30}
    )
    assert api.status_code == 400
    assert api["Content-Type"] == "application/problem+json"


def test_a_card_lists_its_themes_by_dutch_name_whatever_their_names_hold(client, network, library):
    """The themes come with the card's own row (as JSON): commas, quotes,
    backslashes and brackets in a name survive, and a study without themes has
    none."""
    odd = Theme.objects.create(slug="odd", name_nl='Zorg, "taal" \\ [1]', name_en="Care & co")
    first = Theme.objects.create(slug="alfa", name_nl="Aandacht", name_en="Zen attention")
    make_study(
        school=network.school,
        school_year=network.school_year,
        title="Themakaart met drie thema's",
        themes=[odd, library.themes["feedback"], first],
    )
    make_study(school=network.school, school_year=network.school_year, title="Themakaart zonder")
    for language, names in (
        ("nl", ["Aandacht", "Feedback", 'Zorg, "taal" \\ [1]']),
        ("en", ["Zen attention", "Feedback", "Care & co"]),  # still in Dutch order
    ):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(URL, {"q": "themakaart"})
        cards = {card.title: card for card in response.context["page_obj"].object_list}
        assert cards["Themakaart met drie thema's"].theme_names == names
        assert [t.slug for t in cards["Themakaart met drie thema's"].themes] == [
            "alfa",
            "feedback",
            "odd",
        ]
        assert cards["Themakaart zonder"].themes == []
    html = response.content.decode()
    assert 'href="?theme=odd">Care &amp; co</a>' in html


def test_words_longer_than_the_box_are_cut_to_it_and_the_page_says_so(client, network, library):
    """Only a typed address can send more than the box's 200 characters: the
    search uses the first 200, shows them in the box and says so, in the
    reader's language (before, it dropped them and listed every study)."""
    words = "leesmotivatie " + "a" * 300
    for language, note in (
        ("nl", "Alleen de eerste 200 tekens van de zoekopdracht zijn gebruikt."),
        ("en", "Only the first 200 characters of the search were used."),
    ):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(URL, {"q": words})
        assert response.status_code == 200
        assert response.context["params"].q == words[:200]
        html = response.content.decode()
        assert note in html
        assert f'value="{words[:200]}"' in html
        assert 'aria-describedby="q-shortened q-help"' in html
    # Too long and with a NUL byte (PostgreSQL text cannot hold one): dropped.
    response = client.get(URL, {"q": "a\x00" * 150})
    assert response.status_code == 200 and response.context["params"].q == ""
    for fits in ("leesmotivatie", "a" * 200):
        html = client.get(URL, {"q": fits}).content.decode()
        assert 'data-testid="q-shortened"' not in html
        assert 'aria-describedby="q-help"' in html
