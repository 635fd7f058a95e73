"""The review's figures against a hand-built year of records, its sections'
layout, the CSV and the PDF."""

import csv
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from partnership import yearly_review
from reviews.permissions import Audience
from reviews.selectors import review_for

from .helpers import build_year

pytestmark = pytest.mark.django_db


def _figures(review) -> dict:
    return {
        figure.label: figure.value for view in review.sections for figure in view.section.figures
    }


def _url(name, network, **kwargs):
    return reverse(f"reviews:{name}", kwargs={"year": network.school_year.name, **kwargs})


def test_every_figure_matches_the_records(network, settings):
    settings.LANGUAGE_CODE = "en"
    expected = build_year(network)
    review = review_for(network.partnership, network.school_year, Audience.FULL)
    figures = _figures(review)
    assert {label: figures[label] for label in expected.figures} == {
        label: (pytest.approx(float(v)) if isinstance(v, str) else v)
        for label, v in expected.figures.items()
    }
    tables = {t.table.caption: t.table for v in review.sections for t in v.tables}
    per_role = dict(tables["People per role"].rows)
    assert per_role["Coach"] == 2 and per_role["Process facilitator"] == 1
    assert per_role["Bridge-builder"] == 1 and per_role["Placement coordinator"] == 1
    per_kind = {row[0]: row[1:] for row in tables["Sessions per kind"].rows}
    assert per_kind["Knowledge session"] == [1, 3]
    assert per_kind["Learning community meeting"] == [1, 0]
    assert per_kind["Training"] == [0, 0]
    per_school = {row[0]: row[1:] for row in tables["Research per school"].rows}
    assert per_school == {"Basisschool De Regenboog": [2, 1, 1], "Atheneum Noord": [1, 0, 0]}
    agreements = tables["Agreements per school"].rows
    assert agreements == [["Basisschool De Regenboog", "yes", 3, 2, 1]]


def test_school_leaders_read_the_network_figures_without_the_tables_per_school(network):
    build_year(network)
    full = review_for(network.partnership, network.school_year, Audience.FULL)
    network_only = review_for(network.partnership, network.school_year, Audience.NETWORK)
    assert _figures(full) == _figures(network_only)
    captions = {t.table.caption for v in network_only.sections for t in v.tables}
    assert not {"People per school", "Research per school", "Agreements per school"} & captions


def test_the_page_shows_the_figures_with_a_chart_beside_each_table(client, network, english):
    build_year(network)
    client.force_login(network.people["process_facilitator"])
    page = client.get(_url("review", network)).content.decode()
    assert "Cycles completed" in page and "Sessions held" in page
    assert page.count('class="chart review-chart"') >= 5
    assert "75.0" in page


def test_a_contributed_section_is_laid_out_with_its_figures_table_and_chart(
    client, network, english, monkeypatch
):
    monkeypatch.setattr(
        yearly_review,
        "REVIEW_SECTIONS",
        ["tests.reviews.sections.section", "tests.reviews.sections.nothing"],
    )
    client.force_login(network.people["bridge_builder"])
    page = client.get(_url("review", network)).content.decode()
    start = page.index('data-section="test-efficacy"')
    section = page[start : page.index("</section>", start)]
    assert "Teameffectiviteit (test)" in section
    assert "Respondenten" in section and "42" in section
    assert "minder dan 5 antwoorden" in section  # the reason a figure is not shown
    assert "Gemiddelde per subschaal" in section and "Samen lesgeven" in section
    assert section.count("<rect") == 2  # one bar per row; the suppressed one draws none wide
    assert "Vragenlijst van de test." in section
    csv_text = client.get(_url("csv", network)).content.decode("utf-8-sig")
    assert "Teameffectiviteit (test);Gemiddelde per subschaal;Samen lesgeven;Gemiddelde;4.5;" in (
        csv_text
    )


def test_without_contributed_sections_the_review_shows_the_platforms_own(
    client, network, monkeypatch
):
    monkeypatch.setattr(yearly_review, "REVIEW_SECTIONS", [])
    client.force_login(network.people["network_admin"])
    response = client.get(_url("review", network))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="review-section"') == 4


def test_the_installed_apps_add_their_sections(client, network, english):
    """The induction app contributes its section (the network has two starters)."""
    client.force_login(network.people["network_admin"])
    page = client.get(_url("review", network)).content.decode()
    assert page.count('data-testid="review-section"') > 4
    assert "Induction of starting teachers and career changers" in page


def test_the_csv_holds_every_figure(client, network, english):
    build_year(network)
    client.force_login(network.people["placement_coordinator"])
    response = client.get(_url("csv", network))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Section", "Table", "Row", "Column", "Value", "Note"]
    values = {(r[0], r[2]): r[4] for r in rows[1:] if not r[1]}
    assert values[("Practitioner research", "Cycles started")] == "3"
    assert values[("Network sessions", "Attendances")] == "3"
    assert values[("Reciprocity", "Measured items achieved")] == "1"


def test_the_pdf_renders_and_contains_the_figures(client, network, english):
    build_year(network)
    client.force_login(network.people["process_facilitator"])
    response = client.get(_url("pdf", network))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="review-2025-2026.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Yearly review 2025-2026" in text
    assert "Cycles started 3" in text
    assert "Attendance rate (%) 75.0" in text
    assert "Basisschool De Regenboog" in text
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in reader.pages
        for font in page["/Resources"].get_object().get("/Font", {}).values()
    }
    assert any("DejaVu" in name for name in fonts), fonts


def test_the_pdf_fetches_nothing_but_static_files():
    from reviews.pdf import StaticFilesOnly

    fetcher = StaticFilesOnly()
    assert (
        b"@page"
        in fetcher.fetch("https://leerbrug.invalid/static/css/review-print.css")._file_obj.read()
    )
    for url in [
        "https://example.org/x.css",
        "file:///etc/passwd",
        "https://leerbrug.invalid/media/x",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_a_missing_section_module_is_skipped(monkeypatch, network):
    monkeypatch.setattr(
        yearly_review,
        "REVIEW_SECTIONS",
        [
            "reviews_app_not_installed.review.section",
            "tests.reviews.no_such_module.section",
            "tests.reviews.sections.section",
        ],
    )
    found = yearly_review.sections(partnership=network.partnership, school_year=network.school_year)
    assert [s.key for s in found] == ["test-efficacy"]


@pytest.mark.parametrize("module", ["broken_section", "prefix_broken_section"])
def test_an_import_error_inside_a_present_module_is_raised(monkeypatch, network, module):
    monkeypatch.setattr(yearly_review, "REVIEW_SECTIONS", [f"tests.reviews.{module}.section"])
    with pytest.raises(ModuleNotFoundError):
        yearly_review.sections(partnership=network.partnership, school_year=network.school_year)
