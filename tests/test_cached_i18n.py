"""``{% translate %}`` with a literal's rendering remembered per process
(``config.cached_i18n``): the same text as Django's own tag, in each language,
escaped or not, every time."""

import pytest
from django.template import Context, Engine, engines
from django.test import override_settings
from django.utils import translation

from config import cached_i18n
from config.cached_i18n import KeptTranslateNode

# Django's own tag: an engine without this project's libraries
DJANGO = Engine(libraries={"i18n": "django.templatetags.i18n"})

SOURCES = [
    '{% load i18n %}{% translate "Themes" %}',
    "{% load i18n %}{% trans 'Themes' %}",
    '{% load i18n %}{% translate "Themes" noop %}',
    '{% load i18n %}{% translate "Themes" as label %}[{{ label }}]',
    '{% load i18n %}{% translate "Themes" as label %}{% translate "Search" as label %}{{ label }}',
    '{% load i18n %}{% translate "Themes"|upper %}',
    '{% load i18n %}{% translate "May" context "month name" %}',
    "{% load i18n %}{% translate word %}",
    '{% load i18n %}{% translate "Up 5% on last year" %}',
    '{% load i18n %}{% translate "<b>Themes</b>" %}',
    '{% load i18n %}{% translate "Themes" %}{% autoescape off %}{% translate "Themes" %}'
    "{% endautoescape %}",
]


def render(engine_template, language: str, autoescape: bool = True) -> str:
    with translation.override(language):
        return engine_template.render(Context({"word": "Themes"}, autoescape=autoescape))


def test_the_page_templates_load_the_remembering_tag():
    template = engines["django"].from_string('{% load i18n %}{% translate "Themes" %}')
    assert isinstance(template.template.nodelist[1], KeptTranslateNode)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("autoescape", [True, False])
def test_each_translation_reads_as_djangos_in_both_languages(source, autoescape):
    ours = engines["django"].from_string(source).template
    theirs = DJANGO.from_string(source)
    # twice per language, in turn: the second and later renderings come from the memo
    for language in ["nl", "en", "nl", "en"]:
        expected = render(theirs, language, autoescape)
        assert render(ours, language, autoescape) == expected


def test_a_kept_translation_follows_the_language():
    template = engines["django"].from_string('{% load i18n %}{% translate "Themes" %}').template
    assert render(template, "nl") == "Thema's"
    assert render(template, "en") == "Themes"
    assert render(template, "nl") == "Thema's"


def test_a_change_of_languages_or_catalogues_forgets_what_was_kept():
    template = engines["django"].from_string('{% load i18n %}{% translate "Themes" %}').template
    render(template, "nl")
    assert cached_i18n._kept
    with override_settings(LOCALE_PATHS=[]):
        assert not cached_i18n._kept


def test_no_other_template_library_name_is_used_twice():
    """templates.W003 is silenced for the one name replaced on purpose; any other
    library name used by two modules still fails here."""
    warnings = engines["django"]._check_for_template_tags_with_the_same_name()
    assert [w.msg for w in warnings] == [
        "'i18n' is used for multiple template tag modules: "
        "'config.cached_i18n', 'django.templatetags.i18n'"
    ]
