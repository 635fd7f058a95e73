"""The team page's timeline entries, the parts everyone sees rendered once.

A log entry on the team page is the same for everyone who may see it except for
two things: the author's edit and delete links and the comment form (with the
person's CSRF token and the team members they can mention). The rest, the entry
with its attachments and its comments, is rendered by ``_entry_head.html`` and
``_entry_comments.html`` **without the request** (no person, no CSRF token, no
context processor in their context) and remembered per process under a key made
of **everything they show**: the entry's texts, date, stage, author's name and
version (``updated_at``), each attachment's and comment's fields, the language,
the time zone, the URL conf and script prefix. So the remembered HTML is a pure
function of its key: an edit, a new comment or attachment, a renamed author or a
preview that became ready is a new key (never stale), and nothing in it can be
one person's. The key is a digest (BLAKE2b, 160 bits) of those values, so the
texts are not held twice; the memo is bounded in entries and characters. Entries
with questionnaire results attached are rendered each time (their figures are not
in the key). Stage transitions and knowledge injections are remembered the same way,
and ``timeline_items`` writes the whole list in one tag: the shared parts, and for
this person the author's links and the comment form (no include per item).
"""

import secrets
from types import SimpleNamespace
from typing import Any

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from config.rendered_memo import CSRF_PLACEHOLDER, RenderedMemo, with_csrf

from .pk_urls import pk_url

register = template.Library()

#: At most this many entries, and this many characters of HTML, are remembered per
#: process (the least recently shown go first): a few kB an entry, so a few MB.
_memo: RenderedMemo[dict[str, str]] = RenderedMemo(max_entries=4096, max_characters=8_000_000)


def _shown(entry: Any) -> tuple | None:
    if entry.questionnaire_results.all():
        return None
    return (
        entry.pk,
        entry.updated_at,
        entry.occurred_on,
        entry.stage.pk,
        entry.stage.order,
        entry.stage.name,
        entry.author.full_name,
        entry.summary,
        entry.decisions,
        entry.next_steps,
        tuple(entry.perspectives or ()),
        tuple(
            (a.pk, a.original_name, a.content_type, a.preview_status, a.size)
            for a in entry.attachments.all()
        ),
        tuple((c.pk, c.author.full_name, c.created_at, c.body) for c in entry.comments.all()),
        get_language(),
        timezone.get_current_timezone_name(),
        get_urlconf(),
        get_script_prefix(),
    )


def _render(entry: Any) -> dict[str, str]:  # SafeStrings
    return {
        name: mark_safe(  # noqa: S308  # a template's output, escaped as it renders
            get_template(f"research_cycle/_entry_{name}.html").render({"entry": entry})
        )
        for name in ("head", "comments")
    }


@register.simple_tag
def entry_parts(entry: Any) -> dict[str, str]:
    """``head`` (the entry and its attachments) and ``comments`` of a log entry."""
    shown = _shown(entry)
    if shown is None:
        return _render(entry)
    return _memo.get(shown, lambda: _render(entry))


#: Stage transitions are small and never edited: rendered once per process too.
_transitions: RenderedMemo[str] = RenderedMemo(max_entries=4096, max_characters=4_000_000)


@register.simple_tag
def transition_html(transition: Any) -> SafeString:
    """A stage transition on the timeline (``_transition.html``), remembered under
    everything it shows."""
    shown = (
        transition.pk,
        transition.kind,
        transition.created_at,
        transition.user.full_name if transition.user_id else None,
        transition.from_stage.name if transition.from_stage_id else None,
        transition.to_stage.name if transition.to_stage_id else None,
        transition.reason,
        get_language(),
        timezone.get_current_timezone_name(),
    )
    return mark_safe(  # noqa: S308  # a template's output, escaped as it renders
        _transitions.get(
            shown,
            lambda: get_template("research_cycle/_transition.html").render(
                {"transition": transition}
            ),
        )
    )


def mention_options(members: Any, user_pk: int | None) -> SafeString:
    """The team members one can mention in a comment (everyone but oneself)."""
    return format_html_join(
        "",
        '<option value="{}">{}</option>',
        ((m.user_id, m.user.full_name) for m in members if m.user_id != user_pk),
    )


#: Stands in for the entry's pk in the comment form rendered once per page.
_ENTRY_MARKER = 918273645


def _comment_form(members: Any, user_pk: int | None) -> tuple[str, str]:
    """The comment form with a marker for the entry's pk, and the mention options
    (put in after the marker is replaced, so no name can be mistaken for it)."""
    options_placeholder = "options" + secrets.token_hex(8)
    form = get_template("research_cycle/_comment_form.html").render(
        {
            "entry": SimpleNamespace(pk=_ENTRY_MARKER),
            "mention_options": options_placeholder,
            "csrf_token": CSRF_PLACEHOLDER,
        }
    )
    before, _, after = form.partition(options_placeholder)
    return before, mention_options(members, user_pk) + after


@register.simple_tag(takes_context=True)
def comment_form(context: template.Context, entry: Any) -> SafeString:
    """The comment form under ``entry``: the same for every entry of a page but for
    the entry's pk, so rendered once per request (with the person's CSRF token and
    the members they can mention) and given each entry's pk."""
    request: Any = getattr(context, "request", None)  # a RequestContext in a view
    user = context["user"]
    found = getattr(request, "_leerbrug_comment_form", None)
    if found is None:
        before, after = _comment_form(context["members"], user.pk)
        found = (with_csrf(before, request), with_csrf(after, request))
        if request is not None:  # outside a view (no request), nothing to keep it on
            request._leerbrug_comment_form = found  # per request
    pk = str(int(entry.pk))
    return mark_safe(found[0].replace(str(_ENTRY_MARKER), pk) + found[1])  # noqa: S308  # a template's output


#: Knowledge injections on the timeline: never edited, rendered once per process.
_injections: RenderedMemo[str] = RenderedMemo(max_entries=4096, max_characters=4_000_000)


def _injection_html(injection: Any) -> str:
    """``inspiration/_injection.html``, remembered under everything it shows."""
    study, session = injection.study, injection.session
    shown = (
        injection.pk,
        injection.created_at,
        injection.sender.full_name,
        injection.stage.order,
        injection.stage.name,
        injection.kind,
        injection.url,
        injection.title,
        injection.note,
        (study.pk, study.slug, study.title) if study is not None else None,
        (session.pk, session.title, session.starts_at) if session is not None else None,
        get_language(),
        timezone.get_current_timezone_name(),
        get_urlconf(),
        get_script_prefix(),
    )
    return _injections.get(
        shown,
        lambda: get_template("inspiration/_injection.html").render({"injection": injection}),
    )


def _author_links(entry: Any) -> str:
    return format_html(
        '\n      <p class="small mb-2"><a href="{}">{}</a> · <a href="{}">{}</a></p>\n    ',
        pk_url("research_cycle:entry_edit", entry.pk),
        gettext("Edit"),
        pk_url("research_cycle:entry_delete", entry.pk),
        gettext("Delete"),
    )


@register.simple_tag(takes_context=True)
def timeline_items(context: template.Context, timeline: Any) -> SafeString:
    """The items of the timeline, newest first: log entries (their shared parts
    remembered by ``entry_parts``, with the author's edit and delete links and the
    comment form put in for this person), knowledge injections and stage
    transitions (remembered). One tag instead of an include per item."""
    user, access = context["user"], context["access"]
    html: list[str] = []
    for item in timeline:
        if item.kind == "entry":
            entry = item.obj
            parts = entry_parts(entry)
            html.append(parts["head"])
            if entry.author_id == user.pk and access.can_log:
                html.append(_author_links(entry))
            else:
                html.append("\n")
            html.append(parts["comments"])
            html.append("\n      ")
            if access.can_comment:
                html.append(comment_form(context, entry))
            html.append("\n    </section>\n  </article>\n</li>\n")
        elif item.kind == "injection":
            html.append(_injection_html(item.obj))
        else:
            html.append(transition_html(item.obj))
    return mark_safe("".join(html))  # noqa: S308  # parts escaped as they render
