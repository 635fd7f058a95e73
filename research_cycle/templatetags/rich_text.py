"""Markdown written by people, rendered safely: Markdown to HTML, then nh3 keeps
only harmless tags (no script, no event handlers, no javascript: links)."""

import functools
import threading

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


_converters = threading.local()


def _converter() -> markdown_lib.Markdown:
    """One Markdown converter per thread: building one loads its extensions, which
    cost more than converting a log entry (gunicorn threads must not share one)."""
    if not hasattr(_converters, "markdown"):
        _converters.markdown = markdown_lib.Markdown(extensions=["sane_lists", "tables", "nl2br"])
    return _converters.markdown


@functools.lru_cache(maxsize=2048)
def render_markdown(text: str) -> str:
    """The safe HTML of ``text``. Remembered per process (a pure function of the text,
    so nobody can see another's HTML, and an edited text is simply a new key): the
    team page converted every entry's three fields on every request (issue 17)."""
    html = _converter().reset().convert(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


@register.filter(name="markdown")
def markdown_filter(text: str):
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3 above
