"""The library's result cards, built in Python.

Twenty cards of ~25 template variables each (resolved, filtered and escaped one
by one) were the largest part of the library page's template time after the
facet checkboxes (docs/performance.md, issue 15). The HTML is the same, byte for
byte: every value is escaped as the template escaped it (``format_html``), the
snippet and the marked title are already safe (escaped, then ``<mark>`` added).
"""

from collections.abc import Iterable
from urllib.parse import quote

from django import template
from django.template.defaultfilters import date, truncatewords
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from partnership.templatetags.html_time import html_datetime

from ..selectors import LibraryCard

register = template.Library()

CARD = (
    '\n          <li class="card mb-3">\n            <article class="card-body">\n'
    '              <h3 class="h5 card-title"><a href="{}">{}</a></h3>\n'
    '              <p class="small text-body-secondary mb-2">\n'
    "                {}{}{}{}\n"
    '                · {} <time datetime="{}">{}</time>\n'
    "              </p>\n"
    '              <p class="card-text mb-2">{}</p>\n'
    "              {}\n"
    "            </article>\n          </li>\n          "
)
THEMES = (
    '\n              <ul class="list-inline mb-0" aria-label="{}">\n'
    "                {}\n              </ul>\n              "
)
THEME = (
    '<li class="list-inline-item"><a class="badge text-bg-light border" href="?theme={}">'
    "{}</a></li>"
)


def _urlencode(value: str) -> str:
    """Django's ``urlencode`` filter."""
    return quote(value, safe="/")


@register.simple_tag
def result_cards(cards: Iterable[LibraryCard], themes_label: str) -> SafeString:
    """The ``<li>`` of every result card (``themes_label`` names their theme list)."""
    published = gettext("published")
    parts = []
    for card in cards:
        if card.school_name:
            school = (
                format_html(' · <a href="{}">{}</a>', card.school_url, card.school_name)
                if card.school_url
                else format_html(" · {}", card.school_name)
            )
        else:
            school = ""
        city = (
            format_html(' · <a href="?city={}">{}</a>', _urlencode(card.city), card.city)
            if card.city
            else ""
        )
        level = format_html(" · {}", card.level_label) if card.level_label else ""
        when = template_localtime(card.published_at)
        if card.snippet:
            text = format_html("{}…", card.snippet)
        else:
            text = conditional_escape(truncatewords(card.summary, 45))
        themes = ""
        if card.theme_names:
            links = mark_safe(  # noqa: S308 - every part escaped by format_html
                "".join(
                    format_html(THEME, _urlencode(theme.slug), name)
                    for theme, name in card.theme_links
                )
            )
            themes = format_html(THEMES, themes_label, links)
        parts.append(
            format_html(
                CARD,
                card.url,
                card.marked_title or card.title,
                card.school_year_name,
                school,
                city,
                level,
                published,
                html_datetime(card.published_at),
                date(when, "j F Y"),
                text,
                themes,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped by format_html
