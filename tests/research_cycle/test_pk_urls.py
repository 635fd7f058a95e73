"""``{% pk_url %}`` (research_cycle/templatetags/pk_urls.py) gives the links of
``{% url %}``: every entry and attachment link of the team page goes where it did."""

import pytest
from django.template import Context, Template
from django.urls import clear_script_prefix, reverse, set_script_prefix

NAMES = [
    "research_cycle:entry_edit",
    "research_cycle:entry_delete",
    "research_cycle:comment_create",
    "research_cycle:attachment_view",
    "research_cycle:attachment_preview",
    "research_cycle:attachment_download",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 7, 42, 918273645, 123456789012])
def test_the_same_link_as_url(name, pk):
    rendered = Template("{% load pk_urls %}{% pk_url name pk %}").render(
        Context({"name": name, "pk": pk})
    )
    assert rendered == reverse(name, args=[pk])


def test_a_site_under_a_script_prefix_keeps_it():
    set_script_prefix("/leerbrug/")
    try:
        rendered = Template("{% load pk_urls %}{% pk_url 'research_cycle:entry_edit' 5 %}").render(
            Context()
        )
        assert rendered == reverse("research_cycle:entry_edit", args=[5])
        assert rendered.startswith("/leerbrug/")
    finally:
        clear_script_prefix()
