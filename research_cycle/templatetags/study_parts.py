"""The team page's study fields ("Our study"), each rendered once per process for
what it shows.

A study field on the team page (``workspace.html#study_field``) shows its label, its
text as Markdown, an Edit link when the person may still edit the study, and a
History link once the field has one. Issue 17's profile of the team page put about
a tenth of its rendering into these ten fields: their links and the Markdown,
rendered anew for every visit. What a field shows depends on a few values only, so
``{% study_field_html %}`` renders the same partial **without the request** from
those values (``shown`` below) and remembers the HTML under a digest of them
(``config.rendered_memo``): an edited text, a first revision, a closed cycle, another
team or language is another key, never a stale one. Nothing in it is one person's:
whether they may edit is one of the values, and the partial has no form.

The field's htmx swap after an edit (``views.study_field_edit``) renders the same
partial with the request; ``tests/research_cycle/test_study_parts.py`` holds the two
equal.
"""

from typing import Any, NamedTuple

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from config.rendered_memo import RenderedMemo
from research_cycle.permissions import shows_study_edit

register = template.Library()

PARTIAL = "research_cycle/workspace.html#study_field"

#: Ten fields a team, a few kB each with their text: a few MB at most.
_memo: RenderedMemo[str] = RenderedMemo(max_entries=4096, max_characters=8_000_000)


class Shown(NamedTuple):
    """Everything a study field shows: the memo's key, and the partial's context."""

    field: str
    label: str
    value: str
    version: bool  # the partial only asks whether there is one
    editable: bool
    team_pk: int
    language: str
    urlconf: str | None
    script_prefix: str


#: The names the partial reads; the rest of ``Shown`` says where it is rendered.
PARTIAL_READS = ("field", "label", "value", "version", "editable", "team_pk")


def _render(shown: Shown) -> str:
    # only what the partial reads, so nothing else can reach the remembered HTML
    values = {name: getattr(shown, name) for name in PARTIAL_READS}
    return get_template(PARTIAL).render(values)


@register.simple_tag(takes_context=True)
def study_field_html(
    context: template.Context, field: str, label: Any, value: str, version: int
) -> SafeString:
    shown = Shown(
        field=field,
        label=str(label),
        value=value or "",
        version=bool(version),
        editable=shows_study_edit(context["access"], context["cycle"], context["team"]),
        team_pk=context["team"].pk,
        language=get_language(),
        urlconf=get_urlconf(),
        script_prefix=get_script_prefix(),
    )
    return mark_safe(  # noqa: S308  # a template's output, escaped as it renders
        _memo.get(shown, lambda: _render(shown))
    )
