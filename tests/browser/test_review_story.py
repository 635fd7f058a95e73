"""The process facilitator (English interface) scores last year's self-assessment
from the dashboard and downloads the review as PDF."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_with_framework(demo_network):
    from reviews.demo import demo_framework

    demo_framework()
    return demo_network


def test_the_process_facilitator_scores_the_self_assessment_and_downloads_the_pdf(
    page, demo_with_framework
):
    year = demo_with_framework.previous_year.name
    log_in(page, "process-facilitator@demo.test")
    page.get_by_role("link", name="My dashboard").click()
    page.get_by_test_id("dashboard-review").get_by_role(
        "link", name=f"Yearly review {year}"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Yearly review {year}")
    expect(page.get_by_test_id("self-assessment")).to_contain_text("0 of 6 criteria scored")

    page.get_by_role("link", name="Score the self-assessment").click()
    first = page.get_by_role("group", name="1. Researching together")
    first.get_by_label("3 – established").check()
    first.get_by_label("Comment").fill("Most teams finished their cycle.")
    # A comment without a score is refused, and what was typed stays.
    second = page.get_by_role("group", name="2. Learning together")
    second.get_by_label("Comment").fill("Good turnout at the learning networks.")
    page.get_by_role("button", name="Save the self-assessment").click()
    expect(page.get_by_role("alert")).to_contain_text("Give a score with your comment.")
    second = page.get_by_role("group", name="2. Learning together")
    expect(second.get_by_label("Comment")).to_have_value("Good turnout at the learning networks.")
    second.get_by_label("4 – embedded in how we work").check()
    page.get_by_role("button", name="Save the self-assessment").click()

    expect(page).to_have_url(
        re.compile(rf"/monitoring/review/{year}/\?partnership=\d+#self-assessment$")
    )
    table = page.get_by_test_id("assessment-table")
    expect(table).to_contain_text("3 – established")
    expect(table).to_contain_text("Most teams finished their cycle.")
    expect(page.get_by_test_id("self-assessment")).to_contain_text("2 of 6 criteria scored")

    with page.expect_download() as download_info:
        page.get_by_test_id("review-pdf").click()
    download = download_info.value
    assert download.suggested_filename == f"review-{year}.pdf"
    reader = PdfReader(download.path())
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert f"Yearly review {year}" in text
    assert "Most teams finished their cycle." in text
    assert "Researching together" in text
