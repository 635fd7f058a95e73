"""``get_FOO_display()`` with its answer remembered per process.

Django's ``get_role_display()`` builds a dictionary of the field's choices on every
call, and making the choices hashable translates every label again: 20–50 µs a
call, a few times on each dashboard and team page. The label shown for a value is
a function of the field, the value and the active language alone, so models that
show choices on busy pages inherit ``ChoiceLabels`` and the first answer (Django's
own) is kept under exactly those. A value that cannot be hashed is looked up by
Django every time. A test that changes the languages or locale paths empties the
memo. ``tests/test_choice_labels.py`` holds it to Django's method.
"""

from typing import Any

from django.db import models
from django.utils.translation import get_language

from config.cached_i18n import LANGUAGE_MEMOS

_MAX_ENTRIES = 4096
_kept: dict[tuple, Any] = {}
LANGUAGE_MEMOS.append(_kept)  # emptied with the translation memo


class ChoiceLabels(models.Model):
    """Abstract base: the ``get_FOO_display()`` methods Django adds for fields with
    choices answer from the memo (Django binds them to ``_get_FIELD_display``)."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):  # noqa: N802 (Django's name)
        key = (field, getattr(self, field.attname), get_language())
        try:
            return _kept[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        label = super()._get_FIELD_display(field)  # type: ignore[misc]
        if len(_kept) >= _MAX_ENTRIES:
            _kept.clear()
        _kept[key] = label
        return label
