"""Notification kind of internships: both evaluations of a moment are in. The
student also gets the evaluation's own mail, so this stays in the app by default."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.registry import Delivery, Kind, register, titled, visible_among
from notifications.services import notify
from placements.models import Placement

from .permissions import Internships


def _internships(user: Any) -> Any:
    return Internships().visible_to(user)


def _can_open(user: Any, placement_id: int) -> bool:
    return _internships(user).filter(pk=placement_id).exists()


EVALUATED = register(
    Kind(
        key="internship_evaluated",
        label=_("An evaluation of my internship is complete"),
        default=Delivery.APP_ONLY,
        title=titled(_("Your internship at %(school)s is evaluated: %(moment)s")),
        can_open=_can_open,
        visible_ids=visible_among(_internships),
    )
)


def evaluation_complete_notify(*, placement: Placement, moment: str, moment_label: str) -> None:
    notify(
        kind=EVALUATED.key,
        recipients=[placement.student],
        target_id=placement.pk,
        event_key=f"internship:{placement.pk}:{moment}",
        url=reverse("internships:detail", args=[placement.pk]),
        params={"school": placement.school.name, "moment": moment_label},
    )
