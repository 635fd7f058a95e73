"""Every public surface goes through the one public-surface rule (``knowledge_base.public``).

Each test runs twice per surface: once under the rule as it is, once with the rule
changed through its one function (``is_public`` leaves out one published study,
``is_named`` names the authors who declined instead of those who agreed). A surface
that kept its own copy of the rule would not follow the change and fail here.
"""

import pytest
from django.db.models import Q
from django.urls import reverse

from config import kept_query
from knowledge_base import public
from knowledge_base.models import Study, StudyAuthor
from knowledge_base.oai import oai_identifier

from .conftest import make_study

pytestmark = pytest.mark.django_db

TITLE = "Zandkastelen bouwen"
SLUG = "zandkastelen-bouwen-2026"


@pytest.fixture
def study(network):
    make_study(school=network.school, school_year=network.school_year, title="Andere studie")
    study = make_study(
        school=network.school, school_year=network.school_year, title=TITLE, slug=SLUG
    )
    StudyAuthor.objects.create(
        study=study, name="Anna Akkoord", consent=StudyAuthor.Consent.AGREED, order=1
    )
    StudyAuthor.objects.create(
        study=study, name="Dirk Geweigerd", consent=StudyAuthor.Consent.DECLINED, order=2
    )
    return study


def _oai(client, **params):
    return client.get(reverse("knowledge_base:oai"), {"metadataPrefix": "oai_dc", **params})


#: Every public surface that lists or shows a study: how to read it.
STUDY_SURFACES = {
    "study page": lambda c, s: c.get(s.get_absolute_url()),
    "citation RIS": lambda c, s: c.get(reverse("knowledge_base:study_citation_ris", args=[s.slug])),
    "citation BibTeX": lambda c, s: c.get(
        reverse("knowledge_base:study_citation_bib", args=[s.slug])
    ),
    "library search": lambda c, s: c.get(reverse("knowledge_base:study_list")),
    "library search with words": lambda c, s: c.get(
        reverse("knowledge_base:study_list"), {"q": "zandkastelen"}
    ),
    "Atom feed": lambda c, s: c.get(reverse("knowledge_base:study_feed")),
    "sitemap": lambda c, s: c.get("/sitemap-studies.xml"),
    "API list": lambda c, s: c.get(reverse("knowledge_base:api_study_list")),
    "API study": lambda c, s: c.get(reverse("knowledge_base:api_study_detail", args=[s.slug])),
    "OAI-PMH ListRecords": lambda c, s: _oai(c, verb="ListRecords"),
    "OAI-PMH ListIdentifiers": lambda c, s: _oai(c, verb="ListIdentifiers"),
    "OAI-PMH GetRecord": lambda c, s: _oai(c, verb="GetRecord", identifier=oai_identifier(s)),
}
#: The surfaces that name a study's authors (the study page carries APA and JSON-LD).
AUTHOR_SURFACES = [
    "study page",
    "citation RIS",
    "citation BibTeX",
    "API study",
    "OAI-PMH ListRecords",
    "OAI-PMH GetRecord",
]


def _shows(response, study: Study) -> bool:
    text = response.content.decode()
    record = f"<identifier>{oai_identifier(study)}</identifier>"  # not the echoed request
    return response.status_code == 200 and any(mark in text for mark in (TITLE, SLUG, record))


def _hide(study: Study):
    """The rule changed through its one function: this study is no longer public."""
    original = public.is_public
    return lambda: original() & ~Q(pk=study.pk)


@pytest.fixture(autouse=True)
def _compiled_anew():
    """Querysets compiled once per process (``config.kept_query``, e.g. the library's
    result cards) are compiled under the rule in force: a changed rule is new code,
    which a real process only runs after a restart. So they are compiled anew here,
    before and after each test (the changed rule must not outlive it)."""
    kept_query.forget()
    yield
    kept_query.forget()


@pytest.mark.parametrize("surface", list(STUDY_SURFACES))
def test_each_surface_shows_what_the_rule_makes_public(client, study, surface):
    response = STUDY_SURFACES[surface](client, study)
    assert _shows(response, study), surface


@pytest.mark.parametrize("surface", list(STUDY_SURFACES))
def test_each_surface_follows_the_rule_of_what_is_public(client, study, surface, monkeypatch):
    monkeypatch.setattr(public, "is_public", _hide(study))
    response = STUDY_SURFACES[surface](client, study)
    assert not _shows(response, study), surface
    assert TITLE not in response.content.decode(), surface


@pytest.mark.parametrize("surface", AUTHOR_SURFACES)
def test_each_surface_names_only_the_authors_the_rule_allows(client, study, surface):
    text = STUDY_SURFACES[surface](client, study).content.decode()
    assert "Akkoord" in text, surface
    assert "Geweigerd" not in text, surface


@pytest.mark.parametrize("surface", AUTHOR_SURFACES)
def test_each_surface_follows_the_rule_of_who_is_named(client, study, surface, monkeypatch):
    monkeypatch.setattr(public, "is_named", lambda: Q(consent=StudyAuthor.Consent.DECLINED))
    text = STUDY_SURFACES[surface](client, study).content.decode()
    assert "Geweigerd" in text, surface
    assert "Akkoord" not in text, surface
