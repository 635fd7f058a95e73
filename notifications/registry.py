"""The registry of notification kinds.

Each app says which events concern people by registering kinds in its own
``notifications.py`` module (found at start-up by ``NotificationsConfig.ready``).
A kind knows its label (for the preferences page), how it is delivered by
default, how its title reads (in the reader's language, rendered when shown, so a
notification follows the reader's language rather than the actor's), and who may
open its target. The registry holds no database state: adding a kind needs no
migration.
"""

import datetime
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", _("immediately by email")
    DAILY = "daily", _("in the daily digest")
    WEEKLY = "weekly", _("in the weekly digest")
    APP_ONLY = "app", _("in the app only")


#: Digest periods among the deliveries.
DIGESTS = (Delivery.DAILY, Delivery.WEEKLY)


@dataclass(frozen=True)
class Kind:
    """One kind of event that notifies people.

    ``title`` turns the stored parameters into the sentence shown in the inbox
    and the mail; it is called inside the reader's language. ``can_open(user,
    target_id)`` is the access rule of the target: checked for every recipient
    when the notification is made and again when it is opened. ``mail_template``
    and ``mail_context`` let a kind keep a richer mail of its own.
    ``visible_ids(user, target_ids)`` is the same rule for many targets at once
    (one query instead of one per target, see ``visible_among``); ``open_ids``
    uses it, or ``can_open`` per target for a kind without it."""

    key: str
    label: Promise | str
    default: Delivery
    title: Callable[[Mapping[str, Any]], str]
    can_open: Callable[[Any, int], bool]
    #: Optional: everyone who may open a target, as one queryset, so notifying a
    #: large audience (a session's invitees) costs one query instead of one each.
    readers: Callable[[int], Any] | None = None
    mail_template: str = "emails/notification"
    mail_context: Callable[[Any], dict[str, Any]] | None = field(default=None)
    visible_ids: Callable[[Any, Collection[int]], set[int]] | None = None

    def open_ids(self, user: Any, target_ids: Collection[int]) -> set[int]:
        """The targets among these the person may still open."""
        if self.visible_ids is not None:
            return self.visible_ids(user, target_ids)
        return {target_id for target_id in target_ids if self.can_open(user, target_id)}


def visible_among(scope: Callable[[Any], Any]) -> Callable[[Any, Collection[int]], set[int]]:
    """A kind's ``visible_ids`` from the queryset of targets a person may open
    (the target model's ``visible_to``): the kind's ``can_open`` should be that
    same queryset filtered on one id, so both apply one rule."""

    def visible_ids(user: Any, target_ids: Collection[int]) -> set[int]:
        return set(scope(user).filter(pk__in=list(target_ids)).values_list("pk", flat=True))

    return visible_ids


def titled(message: Promise | str) -> Callable[[Mapping[str, Any]], str]:
    """A kind's ``title``: the (lazy) message filled with the stored parameters,
    in the language active when it is shown. An ISO date in ``date`` is shown
    the local way ("3 december 2025")."""

    def render(params: Mapping[str, Any]) -> str:
        values = dict(params)
        if isinstance(values.get("date"), str):
            try:
                day = datetime.date.fromisoformat(values["date"])
            except ValueError:
                pass
            else:
                values["date"] = formats.date_format(day, "j F Y")
        return str(message) % values

    return render


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind; registering the same key twice is a programming error."""
    if kind.key in _KINDS and _KINDS[kind.key] != kind:
        raise ValueError(f"notification kind {kind.key!r} is registered twice")
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> Kind:
    return _KINDS[key]


def kinds() -> list[Kind]:
    """Every kind, in the order the apps registered them (the preferences page's order)."""
    return list(_KINDS.values())
