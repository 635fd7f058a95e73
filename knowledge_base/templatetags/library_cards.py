"""The library's result cards, built in Python.

Twenty cards of ~25 template variables each (resolved, filtered and escaped one
by one) were the largest part of the library page's template time after the
facet checkboxes (docs/performance.md, issue 15). The HTML is the same, byte for
byte: every value is escaped as the template escaped it, the
snippet and the marked title are already safe (escaped, then ``<mark>`` added).
"""

import html
from collections.abc import Iterable
from urllib.parse import quote

from django import template
from django.template.defaultfilters import truncatewords
from django.utils import timezone
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext

from config.cached_date import date
from partnership.templatetags.html_time import html_datetime

from ..selectors import LibraryCard

register = template.Library()


def _escape(value: object) -> str:
    """As the template escapes a value: safe strings as they are, others escaped
    (Django's ``escape`` is ``html.escape``)."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


def _urlencode(value: str) -> str:
    """Django's ``urlencode`` filter, escaped."""
    return html.escape(quote(value, safe="/"))


@register.simple_tag
def result_cards(cards: Iterable[LibraryCard], themes_label: str) -> SafeString:
    """The ``<li>`` of every result card (``themes_label`` names their theme list)."""
    published = _escape(gettext("published"))
    label = _escape(themes_label)
    parts = []
    for card in cards:
        school = city = level = ""
        if card.school_name:
            name = _escape(card.school_name)
            school = (
                f' · <a href="{_escape(card.school_url)}">{name}</a>'
                if card.school_url
                else f" · {name}"
            )
        if card.city:
            city = f' · <a href="?city={_urlencode(card.city)}">{_escape(card.city)}</a>'
        if card.level_label:
            level = f" · {_escape(card.level_label)}"
        moment = card.published_at
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        if card.snippet:
            text = f"{_escape(card.snippet)}…"
        else:
            text = _escape(truncatewords(card.summary, 45))
        themes = ""
        if card.theme_names:
            links = "".join(
                '<li class="list-inline-item"><a class="badge text-bg-light border" '
                f'href="?theme={_urlencode(theme.slug)}">{_escape(name)}</a></li>'
                for theme, name in card.theme_links
            )
            themes = (
                f'\n              <ul class="list-inline mb-0" aria-label="{label}">\n'
                f"                {links}\n              </ul>\n              "
            )
        parts.append(
            '\n          <li class="card mb-3">\n            <article class="card-body">\n'
            f'              <h3 class="h5 card-title"><a href="{_escape(card.url)}">'
            f"{_escape(card.marked_title or card.title)}</a></h3>\n"
            '              <p class="small text-body-secondary mb-2">\n'
            f"                {_escape(card.school_year_name)}{school}{city}{level}\n"
            f'                · {published} <time datetime="{_escape(html_datetime(moment))}">'
            f"{_escape(date(moment, 'j F Y'))}</time>\n"
            "              </p>\n"
            f'              <p class="card-text mb-2">{text}</p>\n'
            f"              {themes}\n"
            "            </article>\n          </li>\n          "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above
