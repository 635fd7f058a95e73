"""A row of the vacancy board, rendered once per process for what it shows.

A row is the same for everyone who sees it: the vacancy's title, school, facts and
closing date, with no person's data and no form. It is rendered by ``_row.html``
**without the request** and remembered (``config.rendered_memo``) under everything
it shows: the vacancy's fields on the row, the school's name and city, the
language, the time zone, the URL conf and script prefix. An edit is a new key, so a
remembered row is never stale; twenty rows of block translations and dates are the
bulk of the board's rendering otherwise.
"""

from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import (  # type: ignore[import-untyped]  # ships no types
    as_crispy_form,
)
from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from config.rendered_memo import RenderedMemo

register = template.Library()

#: A row is under a kB: a few thousand rows are a few MB per process.
_rows: RenderedMemo[str] = RenderedMemo(max_entries=4096, max_characters=4_000_000)


def _shown(vacancy: Any) -> tuple:
    return (
        vacancy.pk,
        vacancy.title,
        vacancy.school.name,
        vacancy.school.city,
        vacancy.level,
        vacancy.subject,
        vacancy.hours,
        vacancy.full_time_hours,
        vacancy.starts_on,
        vacancy.closes_on,
        get_language(),
        timezone.get_current_timezone_name(),
        get_urlconf(),
        get_script_prefix(),
    )


@register.simple_tag
def vacancy_row(vacancy: Any) -> SafeString:
    """The board's row of ``vacancy`` (``vacancies/_row.html``), remembered."""
    return mark_safe(  # noqa: S308  # a template's output, escaped as it renders
        _rows.get(
            _shown(vacancy),
            lambda: get_template("vacancies/_row.html").render({"vacancy": vacancy}),
        )
    )


#: The board's filter form, per language, cities and what was asked: a few kB each.
_filter_forms: RenderedMemo[str] = RenderedMemo(max_entries=512, max_characters=2_000_000)


@register.simple_tag
def vacancy_filter_form(found: Any) -> SafeString:
    """The board's filter form (``found.form|crispy``), remembered under everything it
    shows: the values asked for (and so their error messages), the cities offered,
    the language. It has no CSRF token (a GET form) and no person's data."""
    form = found.form
    shown = (
        form.is_bound,
        tuple((name, form.data.get(name)) for name in form.fields) if form.is_bound else (),
        tuple(form.fields["city"].choices),
        get_language(),
    )
    return mark_safe(_filter_forms.get(shown, lambda: as_crispy_form(form)))  # noqa: S308  # a template's output
