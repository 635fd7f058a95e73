"""Notification kinds of network sessions: invited at planning time, a session
I'm invited to changed or was cancelled.

The change and the cancellation keep their own mails (with the calendar file,
through the ``Delivery`` rows of ``mail.py``), so their notifications stay in the
app by default instead of mailing twice."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications.registry import Delivery, Kind, register, titled, visible_among
from notifications.services import notify

from .models import NetworkSession
from .selectors import invitees


def _sessions(user: Any) -> QuerySet[NetworkSession]:
    return NetworkSession.objects.visible_to(user)


def _can_open(user: Any, session_id: int) -> bool:
    return _sessions(user).filter(pk=session_id).exists()


def _invitees(session_id: int) -> QuerySet[User]:
    session = NetworkSession.objects.filter(pk=session_id).first()
    return invitees(session) if session else User.objects.none()


INVITED = register(
    Kind(
        key="session_invited",
        label=_("I am invited to a session"),
        default=Delivery.IMMEDIATELY,
        title=titled(_("You are invited: “%(session)s” on %(date)s")),
        can_open=_can_open,
        visible_ids=visible_among(_sessions),
        readers=_invitees,
    )
)
CHANGED = register(
    Kind(
        key="session_changed",
        label=_("A session I'm invited to changed"),
        default=Delivery.APP_ONLY,
        title=titled(_("“%(session)s” changed: now on %(date)s")),
        can_open=_can_open,
        visible_ids=visible_among(_sessions),
        readers=_invitees,
    )
)
CANCELLED = register(
    Kind(
        key="session_cancelled",
        label=_("A session I'm invited to was cancelled"),
        default=Delivery.APP_ONLY,
        title=titled(_("“%(session)s” on %(date)s was cancelled")),
        can_open=_can_open,
        visible_ids=visible_among(_sessions),
        readers=_invitees,
    )
)


def session_notify(*, kind: Kind, session: NetworkSession, recipients: QuerySet[User]) -> None:
    """Notify in the caller's transaction; the sequence keys each change once."""
    local = timezone.localtime(session.starts_at)
    notify(
        kind=kind.key,
        recipients=recipients.filter(is_active=True),
        target_id=session.pk,
        event_key=f"session:{session.pk}:{session.sequence}",
        url=reverse("network_sessions:detail", args=[session.pk]),
        actor=session.organiser,
        params={"session": session.title, "date": local.date().isoformat()},
        body=session.cancellation_reason if kind is CANCELLED else "",
    )
