"""Citation formats: names split the Flemish way, special characters escaped."""

import pytest

from knowledge_base.citation import Citation, apa, bibtex, ris, split_name
from knowledge_base.models import Theme


@pytest.mark.parametrize(
    "full, given, family",
    [
        ("Sara Peeters", "Sara", "Peeters"),
        ("Milan De Smet", "Milan", "De Smet"),
        ("Koen Van Damme", "Koen", "Van Damme"),
        ("Youssef El Amrani", "Youssef", "El Amrani"),
        ("Anne Marie Van der Berg", "Anne Marie", "Van der Berg"),
        ("Anne Marie Claes", "Anne Marie", "Claes"),
        ("Plato", "", "Plato"),
    ],
)
def test_names_are_split_into_given_and_family_name(full, given, family):
    name = split_name(full)
    assert (name.given, name.family) == (given, family)


def citation(**overrides):
    values = {
        "authors": ["Sara Peeters", "Milan De Smet"],
        "title": "Feedback & groei: 100% {vooruit}",
        "year": 2026,
        "publisher": "Onderzoekende School",
        "school": "Basisschool De Regenboog",
        "url": "https://leerbrug.test/studies/feedback-2026/",
        "summary": "Eén tip\nper tekst.",
        "keywords": ["Feedback", "Evaluatie en toetsing"],
        "language": "nl",
    }
    return Citation(**(values | overrides))


def test_apa_with_two_authors():
    assert apa(citation()) == (
        "Peeters, S., & De Smet, M. (2026). Feedback & groei: 100% {vooruit}. "
        "Onderzoekende School. https://leerbrug.test/studies/feedback-2026/"
    )


def test_apa_without_authors_cites_the_school():
    assert apa(citation(authors=[])).startswith("Basisschool De Regenboog (2026). ")


def test_apa_with_one_author():
    assert apa(citation(authors=["Anne Marie Claes"])).startswith("Claes, A. M. (2026). ")


def test_bibtex_escapes_special_characters():
    text = bibtex(citation())
    assert text.startswith("@techreport{peeters2026feedback,\n")
    assert "title = {{Feedback \\& groei: 100\\% \\{vooruit\\}}}" in text
    assert "author = {Peeters, Sara and De Smet, Milan}" in text
    assert "keywords = {Feedback, Evaluatie en toetsing}" in text
    assert text.count("{") - text.count("\\{") == text.count("}") - text.count("\\}")


def test_bibtex_without_authors_uses_the_school_as_a_corporate_author():
    assert "author = {{Basisschool De Regenboog}}" in bibtex(citation(authors=[]))


def test_ris_has_one_line_per_tag_and_crlf_line_ends():
    text = ris(citation())
    lines = text.split("\r\n")
    assert lines[0] == "TY  - RPRT"
    assert "AB  - Eén tip per tekst." in lines  # no line break inside a tag
    assert lines.count("KW  - Feedback") == 1
    assert lines[-2:] == ["ER  - ", ""]


@pytest.mark.django_db
def test_themes_are_seeded_in_dutch_and_english():
    theme = Theme.objects.get(slug="ouderbetrokkenheid")
    assert (theme.name_nl, theme.name_en) == ("Ouderbetrokkenheid", "Parental involvement")
    assert {
        "leesmotivatie",
        "feedback",
        "differentiatie",
        "welbevinden",
        "ouderbetrokkenheid",
        "meertaligheid",
    } <= set(Theme.objects.values_list("slug", flat=True))
