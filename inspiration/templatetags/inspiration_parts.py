"""The team page's suggested studies, each rendered once per process for what it
shows.

A suggestion card (``inspiration/_suggestion.html``) shows a published study of
another school: its title and link, school, city and year, why it is suggested,
and its question, data collection and the stage's worked example cut to 60 words.
Issue 17's profile of the team page put 2–3 ms into these cards, mostly the
cutting of long texts, anew for every visit. ``{% suggestion_html %}`` renders the
card **without the request** and remembers it under a digest of everything it
shows (``config.rendered_memo``): an edited study, another reason or stage, another
language is another key, never a stale one, and nothing in it is one person's (the
studies are public, the reasons are the team's).
"""

from typing import Any

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from config.rendered_memo import RenderedMemo

register = template.Library()

#: A card is under a kB or two: a few MB at most.
_memo: RenderedMemo[str] = RenderedMemo(max_entries=4096, max_characters=4_000_000)


def _shown(item: Any) -> tuple:
    study = item.study
    return (
        study.pk,
        study.slug,
        study.title,
        study.school.name,
        study.city,
        study.school_year.name,
        study.research_question,
        study.methods,
        bool(item.shares_theme),
        bool(item.similar_text),
        str(item.example_label),
        item.example,
        get_language(),
        get_urlconf(),
        get_script_prefix(),
    )


@register.simple_tag
def suggestion_html(item: Any) -> SafeString:
    """A suggested study (an ``inspiration.selectors.Suggestion``) on the team page."""
    return mark_safe(  # noqa: S308  # a template's output, escaped as it renders
        _memo.get(
            _shown(item),
            lambda: get_template("inspiration/_suggestion.html").render({"item": item}),
        )
    )
