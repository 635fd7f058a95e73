"""Notification kind of placements: my placement is confirmed. The confirmation
keeps its own mail (``placements/mail.py``), so this stays in the app by default."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.registry import Delivery, Kind, register, titled, visible_among
from notifications.services import notify

from .models import Placement


def _placements(user: Any) -> Any:
    return Placement.objects.visible_to(user)


def _can_open(user: Any, placement_id: int) -> bool:
    return _placements(user).filter(pk=placement_id).exists()


CONFIRMED = register(
    Kind(
        key="placement_confirmed",
        label=_("A placement of mine is confirmed"),
        default=Delivery.APP_ONLY,
        title=titled(_("The placement of %(student)s at %(school)s is confirmed")),
        can_open=_can_open,
        visible_ids=visible_among(_placements),
    )
)


def placement_confirmed_notify(*, placement: Placement, by: Any) -> None:
    """The student teacher and the mentor teacher of the placement."""
    notify(
        kind=CONFIRMED.key,
        recipients=[p for p in (placement.student, placement.mentor) if p is not None],
        target_id=placement.pk,
        event_key=f"placement:{placement.pk}:confirmed",
        url=reverse("placements:detail", args=[placement.pk]),
        actor=by,
        params={"student": placement.student.full_name, "school": placement.school.name},
    )
