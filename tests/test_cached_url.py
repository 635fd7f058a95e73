"""``{% url %}`` with its answers remembered per process (``config.cached_url``):
the same text as ``reverse`` for every argument, script prefix and error."""

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from config.cached_url import CachedURLNode


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_the_page_templates_use_the_remembering_tag_without_a_load():
    template = engines["django"].from_string("{% url 'dashboard' %}")
    assert isinstance(template.template.nodelist[0], CachedURLNode)


@pytest.mark.parametrize("pk", [1, 7, 7, 123456])
def test_each_link_is_the_one_reverse_gives(pk):
    html = render(
        "{% url 'research_cycle:study_field_edit' pk field %}"
        "|{% url 'network_sessions:detail' pk=pk %}",
        pk=pk,
        field="dilemma",
    )
    assert html == "|".join(
        [
            reverse("research_cycle:study_field_edit", args=[pk, "dilemma"]),
            reverse("network_sessions:detail", kwargs={"pk": pk}),
        ]
    )


def test_a_link_follows_the_script_prefix():
    try:
        set_script_prefix("/leerbrug/")
        assert render("{% url 'dashboard' %}") == "/leerbrug/dashboard/"
    finally:
        set_script_prefix("/")
    assert render("{% url 'dashboard' %}") == "/dashboard/"


def test_a_link_with_an_object_is_reversed_every_time():
    class Team:
        def __init__(self, text):
            self.pk, self.text = 1, text

        def __str__(self):
            return self.text

    first = render("{% url 'research_cycle:team_workspace' team %}", team=Team("5"))
    second = render("{% url 'research_cycle:team_workspace' team %}", team=Team("6"))
    assert (first, second) == ("/teams/5/", "/teams/6/")


def test_a_link_that_cannot_be_made_fails_as_django_s_own_does():
    with pytest.raises(NoReverseMatch):
        render("{% url 'research_cycle:team_workspace' 'x' %}")
    assert render("{% url 'research_cycle:team_workspace' 'x' as link %}[{{ link }}]") == "[]"
    assert render("{% url 'dashboard' as link %}[{{ link }}]") == "[/dashboard/]"
