"""A visitor reads a published study, downloads its PDF and copies the BibTeX; a
bridge-builder publishes the study under review."""

import re

import pytest
from playwright.sync_api import expect

from knowledge_base.models import Study

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def knowledge_base(demo_network):
    from knowledge_base.demo import seed

    seed(demo_network)
    return demo_network


def test_a_visitor_reads_a_study_downloads_the_pdf_and_copies_the_bibtex(
    browser, live_server, knowledge_base
):
    study = Study.objects.published().get(title__startswith="Leesmotivatie in het derde")
    context = browser.new_context(base_url=live_server.url, locale="nl-BE", accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(study.get_absolute_url())

    expect(page.get_by_role("heading", level=1)).to_have_text(study.title)
    expect(page.get_by_test_id("study-authors")).to_contain_text("Sara Peeters")
    expect(page.get_by_role("heading", name="Bevindingen")).to_be_visible()
    expect(page.get_by_role("heading", name="Deze studie citeren")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="poster-1.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "poster-1.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    copy = page.locator("button[data-copy-target=bibtex]")
    expect(copy).to_have_text("BibTeX kopiëren")
    expect(copy).to_be_visible()  # shown only when JavaScript runs
    copy.click()
    expect(copy).to_have_text("Gekopieerd")  # and for screen readers:
    expect(page.get_by_role("status").filter(has_text="Gekopieerd")).to_have_count(1)
    clipboard = page.evaluate("navigator.clipboard.readText()")
    assert clipboard.startswith("@techreport{peeters")
    assert "author = {Peeters, Sara and Janssens, Lotte and De Smet, Milan}" in clipboard

    with page.expect_download() as ris_info:
        page.get_by_role("link", name="RIS downloaden").click()
    assert ris_info.value.suggested_filename.endswith(".ris")

    # The related studies share the theme; the JSON-LD block raised no CSP error.
    page.get_by_role("region", name="Verwante studies").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/studies/[\w-]+/$"))
    assert csp_errors == []
    context.close()


def test_without_javascript_the_bibtex_is_still_there_to_select(
    browser, live_server, knowledge_base
):
    study = Study.objects.published().first()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(study.get_absolute_url())
    expect(page.locator("pre#bibtex")).to_contain_text("@techreport{")
    expect(page.get_by_role("button", name="BibTeX kopiëren")).to_be_hidden()
    context.close()


def test_the_bridge_builder_publishes_the_study_under_review(page, knowledge_base):
    study = Study.objects.get(status=Study.Status.SUBMITTED)
    log_in(page, "bridge-builder@demo.test")
    # The dashboard says what waits for this reviewer.
    waiting = page.get_by_role("region", name="Studies die op jouw beoordeling wachten")
    waiting.get_by_role("link", name=study.title).click()
    expect(page.get_by_test_id("study-status")).to_have_text("Ingediend ter beoordeling")

    page.get_by_role("button", name="Studie publiceren").click()
    # The error summary at the top of the form links to the unticked box.
    summary = page.get_by_role("alert").filter(has_text="Er ging iets mis")
    expect(summary).to_be_focused()
    expect(
        summary.get_by_role("link", name="Bevestig dat geen enkele leerling of ouder herkenbaar is")
    ).to_be_visible()

    page.get_by_label("Geen enkele leerling of ouder is herkenbaar").check()
    page.get_by_label("Er is toestemming voor de gegevens").check()
    page.get_by_role("button", name="Studie publiceren").click()
    expect(page.get_by_text("De studie is gepubliceerd.")).to_be_visible()

    page.get_by_role("link", name="Publieke pagina bekijken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(study.title)
