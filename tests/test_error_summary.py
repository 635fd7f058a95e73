"""Every crispy form with errors starts with a summary that links to the fields, so a
long form does not hide its errors at the bottom."""

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from tests.knowledge_base.publishing import team_study

pytestmark = pytest.mark.django_db


def _summary(response):
    page = lxml_html.fromstring(response.content)
    [form] = page.xpath("//form[.//*[contains(@class, 'error-summary')]]")
    summary = form.xpath(".//*[contains(@class, 'error-summary')]")[0]
    return page, form, summary


def test_a_long_form_with_errors_starts_with_a_summary_linking_to_the_fields(client, network):
    study = team_study(network)
    client.force_login(network.people["coach"])
    response = client.post(
        reverse("knowledge_base:study_edit", kwargs={"pk": study.pk}),
        {"title": "", "summary": "S", "language": "nl", "findings": "x" * 10_001},
    )
    page, form, summary = _summary(response)
    assert summary.get("role") == "alert" and summary.get("tabindex") == "-1"
    assert summary.xpath("normalize-space(.//h2)") == "Er ging iets mis"
    # Before the first field of the form.
    first_field = form.xpath(".//textarea | .//input[not(@type='hidden')] | .//select")[0]
    assert summary in first_field.iterancestors() or (
        list(form.iter()).index(summary) < list(form.iter()).index(first_field)
    )
    links = {a.get("href"): " ".join(a.text_content().split()) for a in summary.iter("a")}
    assert set(links) == {"#id_title", "#id_findings"}
    assert links["#id_title"] == "Titel: Dit veld is verplicht."
    for href in links:
        assert page.get_element_by_id(href[1:]).get("name") == href[4:]


def test_a_form_error_without_a_field_is_in_the_summary_too(client, network):
    response = client.post(
        reverse("account_login"), {"login": "coach@school.test", "password": "verkeerd"}
    )
    _page, _form, summary = _summary(response)
    assert "wachtwoord is niet correct" in summary.text_content()
