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
in the key).
"""

import hashlib
import threading
from collections import OrderedDict
from typing import Any

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

#: At most this many entries, and this many characters of HTML, are remembered per
#: process (the least recently shown go first): a few kB an entry, so a few MB.
MAX_ENTRIES = 4096
MAX_CHARACTERS = 8_000_000

_parts: "OrderedDict[bytes, dict[str, SafeString]]" = OrderedDict()
_size = 0
_lock = threading.Lock()


def entry_key(entry: Any) -> bytes | None:
    """A digest of everything the entry's shared parts show (the texts themselves
    are not kept as the key), or None when they are not kept."""
    shown = _shown(entry)
    if shown is None:
        return None
    return hashlib.blake2b(repr(shown).encode(), digest_size=20).digest()


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


def _render(entry: Any) -> dict[str, SafeString]:
    return {
        name: mark_safe(  # noqa: S308  # a template's output, escaped as it renders
            get_template(f"research_cycle/_entry_{name}.html").render({"entry": entry})
        )
        for name in ("head", "comments")
    }


@register.simple_tag
def entry_parts(entry: Any) -> dict[str, SafeString]:
    """``head`` (the entry and its attachments) and ``comments`` of a log entry."""
    key = entry_key(entry)
    if key is None:
        return _render(entry)
    with _lock:
        found = _parts.get(key)
        if found is not None:
            _parts.move_to_end(key)
            return found
    parts = _render(entry)
    global _size
    with _lock:
        if key not in _parts:
            _parts[key] = parts
            _size += _length(parts)
        while _parts and (len(_parts) > MAX_ENTRIES or _size > MAX_CHARACTERS):
            _size -= _length(_parts.popitem(last=False)[1])
    return parts


def _length(parts: dict[str, SafeString]) -> int:
    return sum(len(html) for html in parts.values())


@register.simple_tag
def mention_options(members: Any, user_pk: int | None) -> SafeString:
    """The team members one can mention in a comment (everyone but oneself)."""
    return format_html_join(
        "",
        '<option value="{}">{}</option>',
        ((m.user_id, m.user.full_name) for m in members if m.user_id != user_pk),
    )


def forget() -> None:
    """Drop every remembered entry (tests)."""
    global _size
    with _lock:
        _parts.clear()
        _size = 0
