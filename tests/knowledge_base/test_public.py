"""The public study page, its files and citations: readable without login, and
nothing unpublished is ever reachable through them."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from lxml import html as lxml_html

from knowledge_base.models import Study, StudyAuthor, Theme

from .publishing import PublishedStudyFactory, StudyAuthorFactory, StudyFileFactory, team_study

pytestmark = pytest.mark.django_db

RELATED = '//section[@aria-labelledby="related-title"]//a'

S = Study.Status


@pytest.fixture
def study(network):
    study = team_study(
        network,
        status=S.PUBLISHED,
        slug="leesmotivatie-2025",
        title="Leesmotivatie in het derde leerjaar",
        summary="Vrije boekkeuze en leeskringen.",
        dilemma="Leerlingen lezen weinig.",
        research_question="Helpt vrije boekkeuze?",
        inspiration="Stichting Lezen.",
        perspectives=["pupils", "parents"],
        methods="Vragenlijst.",
        findings="Het leesplezier steeg.",
        action_and_effect="Nieuwe klasbib.",
        lessons="Keuze is niet genoeg.",
        themes=[Theme.objects.get(slug="leesmotivatie")],
    )
    StudyAuthorFactory(study=study, name="Sara Peeters", order=1)
    StudyAuthorFactory(study=study, name="Milan De Smet", order=2)
    StudyAuthorFactory(study=study, name="Geheime Naam", consent=StudyAuthor.Consent.DECLINED)
    StudyAuthorFactory(study=study, name="Nog Niet", consent=StudyAuthor.Consent.PENDING)
    StudyFileFactory(study=study, original_name="poster-leesmotivatie.pdf")
    return study


def page(client, url):
    response = client.get(url)
    return response, response.content.decode()


def test_a_visitor_reads_the_study_in_the_cycles_order(client, study):
    response, html = page(client, "/studies/leesmotivatie-2025/")
    assert response.status_code == 200
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    headings = [h.text_content() for h in lxml_html.fromstring(html).xpath("//article//h2")]
    assert headings[:7] == [
        "Dilemma",
        "Onderzoeksvraag",
        "Literatuur en inspiratie",
        "Hoe de gegevens verzameld werden",
        "Bevindingen",
        "Actie en effect",
        "Lessen",
    ]
    assert "Basisschool De Regenboog" in html and "schooljaar 2025-2026" in html
    # The perspectives (labels are research_cycle's) follow the inspiration.
    assert "Betrokken perspectieven" in html
    assert len(lxml_html.fromstring(html).xpath('//h3[.="Betrokken perspectieven"]/../ul/li')) == 2
    assert "Leesmotivatie</a>" in html  # theme, a link to the library filtered by it


def test_only_authors_who_agreed_are_named(client, study):
    _response, html = page(client, "/studies/leesmotivatie-2025/")
    assert "Sara Peeters, Milan De Smet" in html
    assert "Geheime Naam" not in html and "Nog Niet" not in html


def test_the_page_cites_the_study_in_apa_and_bibtex(client, study):
    _response, html = page(client, "/studies/leesmotivatie-2025/")
    year = study.published_at.year
    assert (
        f"Peeters, S., &amp; De Smet, M. ({year}). Leesmotivatie in het derde leerjaar. "
        f"Onderzoekende School. {settings.LEERBRUG_BASE_URL}/studies/leesmotivatie-2025/"
    ) in html
    assert "author = {Peeters, Sara and De Smet, Milan}" in html
    assert 'data-copy-target="bibtex"' in html and '<pre class="citation' in html


def test_json_ld_describes_a_scholarly_article(client, study):
    _response, html = page(client, "/studies/leesmotivatie-2025/")
    [block] = lxml_html.fromstring(html).xpath('//script[@type="application/ld+json"]')
    data = json.loads(block.text)
    assert data["@type"] == "ScholarlyArticle"
    assert data["name"] == "Leesmotivatie in het derde leerjaar"
    assert [a["name"] for a in data["author"]] == ["Sara Peeters", "Milan De Smet"]
    assert data["keywords"] == ["Leesmotivatie"]
    assert data["url"] == f"{settings.LEERBRUG_BASE_URL}/studies/leesmotivatie-2025/"


def test_json_ld_cannot_break_out_of_its_script_block(client, network):
    team_study(network, status=S.PUBLISHED, slug="xss", title="</script><script>alert(1)</script>")
    _response, html = page(client, "/studies/xss/")
    assert "<script>alert(1)" not in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(block)["name"] == "</script><script>alert(1)</script>"


def test_the_csp_allows_no_inline_script_and_the_page_uses_none(client, study):
    response, html = page(client, "/studies/leesmotivatie-2025/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    # Every executable script is a file; the only inline block is JSON-LD data.
    for script in lxml_html.fromstring(html).xpath("//script[not(@src)]"):
        assert script.get("type") == "application/ld+json"
    assert 'style="' not in html


def test_open_graph_tags(client, study):
    _response, html = page(client, "/studies/leesmotivatie-2025/")
    assert '<meta property="og:title" content="Leesmotivatie in het derde leerjaar">' in html
    assert '<meta property="og:type" content="article">' in html
    url = f"{settings.LEERBRUG_BASE_URL}/studies/leesmotivatie-2025/"
    assert f'<meta property="og:url" content="{url}">' in html


def test_related_studies_share_a_theme_and_are_published(client, network, study):
    theme = Theme.objects.get(slug="leesmotivatie")
    other_theme = Theme.objects.get(slug="feedback")
    PublishedStudyFactory(title="Voorlezen in het secundair", themes=[theme])
    PublishedStudyFactory(title="Feedback bij schrijven", themes=[other_theme])
    team_study(network, status=S.SUBMITTED, title="Strips voor jongens", themes=[theme])
    team_study(network, status=S.WITHDRAWN, title="Oude leesstudie", themes=[theme])

    _response, html = page(client, "/studies/leesmotivatie-2025/")
    related = lxml_html.fromstring(html).xpath(RELATED)
    assert [a.text_content() for a in related] == ["Voorlezen in het secundair"]


def test_the_page_is_english_for_english_visitors(client, english, study):
    _response, html = page(client, "/studies/leesmotivatie-2025/")
    assert "Research question" in html and "Cite this study" in html


def test_the_pdf_downloads_for_anyone(client, study):
    study_file = study.files.get()
    response = client.get(
        reverse("knowledge_base:study_file", kwargs={"slug": study.slug, "pk": study_file.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="poster-leesmotivatie.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_ris_downloads_as_a_file(client, study):
    response = client.get("/studies/leesmotivatie-2025/cite.ris")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems"
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode()
    assert body.startswith("TY  - RPRT\r\n")
    assert "AU  - Peeters, Sara\r\nAU  - De Smet, Milan\r\n" in body
    assert "Geheime" not in body
    assert body.endswith("ER  - \r\n")


def test_bibtex_downloads_as_a_file(client, study):
    response = client.get("/studies/leesmotivatie-2025/cite.bib")
    assert response.status_code == 200
    assert response.content.decode().startswith("@techreport{peeters")


def test_a_withdrawn_study_answers_410_with_its_note(client, network):
    team_study(
        network,
        status=S.WITHDRAWN,
        slug="huiswerk-2024",
        title="Huiswerkbeleid",
        withdrawal_note="Op vraag van de school offline gehaald.",
        withdrawn_at="2026-01-10T10:00:00Z",
    )
    response, html = page(client, "/studies/huiswerk-2024/")
    assert response.status_code == 410
    assert "Deze studie is ingetrokken" in html
    assert "Op vraag van de school offline gehaald." in html
    assert "Huiswerkbeleid" not in html  # not even the title stays public
    assert len(re.findall(r"<h1[\s>]", html)) == 1


def test_the_detail_page_query_budget(client, network, study, django_assert_max_num_queries):
    theme = Theme.objects.get(slug="leesmotivatie")
    for _ in range(12):
        StudyAuthorFactory(study=study)
        StudyFileFactory(study=study)
        PublishedStudyFactory(themes=[theme])
    # 6, and 2 for the reading statistics (count this view, read the total).
    with django_assert_max_num_queries(8):
        response = client.get("/studies/leesmotivatie-2025/")
    html = response.content.decode()
    assert html.count("download>") >= 13 + 2  # 13 files, BibTeX and RIS
    assert len(lxml_html.fromstring(html).xpath(RELATED)) == 4


# --- Nothing unpublished leaks ------------------------------------------------------------


@pytest.fixture
def hidden(network):
    """A study in each status that must not be public, each with a file and a slug
    (a withdrawn study keeps its slug; the others get one here to prove that a slug
    alone opens nothing)."""
    studies = {}
    for status in [S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.WITHDRAWN]:
        study = team_study(network, status=status, slug=f"verborgen-{status.replace('_', '-')}")
        if status != S.WITHDRAWN:
            Study.objects.filter(pk=study.pk).update(published_at=None)
        StudyFileFactory(study=study)
        studies[status] = study
    return studies


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED])
@pytest.mark.parametrize("persona", [None, "coach", "bridge_builder", "network_admin"])
def test_unpublished_studies_have_no_public_page(login, network, hidden, status, persona):
    client = login(network.people[persona] if persona else None)
    assert client.get(f"/studies/{hidden[status].slug}/").status_code == 404


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.WITHDRAWN])
@pytest.mark.parametrize("persona", [None, "coach", "network_admin"])
def test_files_and_citations_of_hidden_studies_are_404(login, network, hidden, status, persona):
    client = login(network.people[persona] if persona else None)
    study = hidden[status]
    study_file = study.files.get()
    urls = [
        reverse("knowledge_base:study_file", kwargs={"slug": study.slug, "pk": study_file.pk}),
        reverse("knowledge_base:study_citation_ris", kwargs={"slug": study.slug}),
        reverse("knowledge_base:study_citation_bib", kwargs={"slug": study.slug}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_a_file_cannot_be_fetched_through_another_published_study(client, study, hidden):
    hidden_file = hidden[S.DRAFT].files.get()
    url = reverse("knowledge_base:study_file", kwargs={"slug": study.slug, "pk": hidden_file.pk})
    assert client.get(url).status_code == 404


def test_hidden_studies_never_appear_as_related(client, study, hidden):
    theme = Theme.objects.get(slug="leesmotivatie")
    for hidden_study in hidden.values():
        hidden_study.themes.set([theme])
    _response, html = page(client, "/studies/leesmotivatie-2025/")
    assert "verborgen" not in html
    assert 'id="related-title"' not in html


def test_the_withdrawn_page_shows_no_content_of_the_study(client, hidden):
    withdrawn = hidden[S.WITHDRAWN]
    _response, html = page(client, f"/studies/{withdrawn.slug}/")
    assert withdrawn.summary not in html and withdrawn.findings not in html
    assert "ld+json" not in html


def test_study_files_are_never_under_a_public_media_url(client, study):
    study_file = study.files.get()
    assert client.get(f"/media/{study_file.file.name}").status_code == 404
    _response, html = page(client, "/studies/leesmotivatie-2025/")
    assert study_file.file.name not in html


def test_the_school_level_is_shown_in_the_readers_language(client, network):
    team_study(network, status=S.PUBLISHED, slug="niveau", school_level="primary")
    assert "· Basisonderwijs ·" in client.get("/studies/niveau/").content.decode()
    client.cookies["django_language"] = "en"
    assert "· Primary ·" in client.get("/studies/niveau/").content.decode()


def test_study_text_written_in_markdown_reads_as_formatted_text_and_stays_safe(client, network):
    team_study(
        network,
        status=S.PUBLISHED,
        slug="kwartierlezen",
        findings='- **Meer plezier** bij 5A\n- Minder bij 6A\n\n<script>alert("x")</script>',
    )
    response, html = page(client, "/studies/kwartierlezen/")
    assert "<li><strong>Meer plezier</strong> bij 5A</li>" in html
    assert "- **Meer plezier**" not in html
    assert '<script>alert("x")' not in html
