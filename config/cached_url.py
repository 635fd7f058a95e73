"""``{% url %}`` in every page template, each answer remembered per process.

The profiles of issue 17 put a fifth of the team page's CPU in ``{% url %}``: 58
links, each resolved through the URL resolver again (Django builds a regular
expression per candidate pattern, and with this many URLs they fall out of
``re``'s cache). ``reverse`` is a pure function of the view name, its arguments,
the current app, the URL conf, the script prefix and the language, so its answer
is kept per process under all of them. Only plain arguments (numbers, text,
UUIDs) are kept: an object's text could change while its key stays the same, so
anything else is reversed every time. A link that cannot be reversed raises (or
renders nothing with ``as``) exactly as Django's own tag does: errors are never
kept.

Installed as a template builtin of the HTML engine (``config/settings/base.py``),
so it replaces Django's ``url`` tag without a ``{% load %}``;
``tests/test_cached_url.py`` holds it to ``reverse``.
"""

import uuid
from functools import lru_cache

from django import template
from django.conf import settings
from django.template import defaulttags
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

_PLAIN = (int, str, uuid.UUID)


@lru_cache(maxsize=8192)
def _reversed(
    view_name: str,
    args: tuple,
    kwargs: tuple,
    current_app: str | None,
    urlconf: str | None,
    script_prefix: str,
    language: str | None,
) -> str:
    """``reverse``, remembered (everything it reads is in the key)."""
    return reverse(
        view_name, args=args, kwargs=dict(kwargs), current_app=current_app, urlconf=urlconf
    )


def cached_reverse(view_name: str, args: list, kwargs: dict, current_app: str | None) -> str:
    values = [*args, *kwargs.values()]
    if not isinstance(view_name, str) or not all(isinstance(value, _PLAIN) for value in values):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    return _reversed(
        view_name,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
        # the request's URL conf, else the setting's (tests may override it)
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        get_language(),
    )


class CachedURLNode(defaulttags.URLNode):
    """Django's ``URLNode`` with ``cached_reverse`` in place of ``reverse``."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = cached_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        if context.autoescape:
            url = conditional_escape(url)
        return url


@register.tag
def url(parser, token):
    """As Django's ``{% url %}`` (same syntax, same output)."""
    node = defaulttags.url(parser, token)
    node.__class__ = CachedURLNode
    return node
