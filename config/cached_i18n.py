"""``{% load i18n %}`` with ``{% translate "literal" %}`` remembered per process.

Django's ``{% translate "Save" %}`` does the same work on every render: it builds
a lazy translation, asks the active catalogue for it, escapes it and undoes the
doubled percent signs. A page renders dozens of them (40 on the network
overview). For a literal message with no filters and no message context the
result depends on nothing but the message, ``noop`` and the active language (a
literal is marked safe, so it is never escaped: the template's autoescape makes no
difference), so the first rendering (Django's own node does it) is kept under
exactly those. Anything else (a variable, a filter, a message
context) renders through Django's node every time.

Installed as the ``i18n`` library of the HTML engine (``config/settings/base.py``,
``OPTIONS["libraries"]``): every other tag and filter of Django's ``i18n`` library
is the same. The catalogues are read when a process starts; a test that changes
the languages or locale paths empties the memo, as Django empties its own.
``tests/test_cached_i18n.py`` holds it to Django's tag.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Variable
from django.templatetags import i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)

_MAX_ENTRIES = 8192
_kept: dict[tuple, str] = {}
#: Per-process memos of translated text (this one, ``config.choice_labels``'s):
#: emptied when a test changes the languages or the catalogues.
LANGUAGE_MEMOS: list[dict] = [_kept]


class KeptTranslateNode(i18n.TranslateNode):
    """Django's ``TranslateNode``; a literal's rendering is remembered."""

    def render(self, context):
        var = self.filter_expression.var
        if (
            self.message_context is not None
            or self.filter_expression.filters
            or not isinstance(var, Variable)
            or var.lookups is not None
        ):
            return super().render(context)
        key = (var.literal, self.noop, get_language())
        value = _kept.get(key)
        if value is None:
            rendered = super().render(context)
            value = context[self.asvar] if self.asvar else rendered
            if len(_kept) >= _MAX_ENTRIES:
                _kept.clear()
            _kept[key] = value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    return KeptTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


@receiver(setting_changed)
def _forget(*, setting, **kwargs) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        for memo in LANGUAGE_MEMOS:
            memo.clear()
