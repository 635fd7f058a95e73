"""Notification kind of the induction: a check-in of mine is recorded (the
starter hears when the mentor records it, and the other way round)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications.registry import Delivery, Kind, register, titled, visible_among
from notifications.services import notify

from .models import CheckIn, InductionPlan, MentorAssignment


def _plans(user: Any) -> Any:
    return InductionPlan.objects.visible_to(user)


def _can_open(user: Any, plan_id: int) -> bool:
    return _plans(user).filter(pk=plan_id).exists()


RECORDED = register(
    Kind(
        key="check_in_recorded",
        label=_("A check-in of mine is recorded"),
        default=Delivery.DAILY,
        title=titled(_("%(actor)s recorded the check-in of %(date)s")),
        can_open=_can_open,
        visible_ids=visible_among(_plans),
    )
)


def check_in_recorded_notify(*, check_in: CheckIn, user: User | None) -> None:
    """Tell the starter and the mentor, but not who recorded it. A check-in
    recorded by no one (imported or seeded) tells nobody."""
    if user is None:
        return
    plan = check_in.plan
    mentors = User.objects.filter(
        pk__in=MentorAssignment.objects.filter(plan=plan, assigned_until__isnull=True).values(
            "mentor"
        )
    )
    notify(
        kind=RECORDED.key,
        recipients=[plan.membership.user, *mentors],
        target_id=plan.pk,
        event_key=f"check-in:{check_in.pk}:{check_in.held_on}",
        url=reverse("induction:plan", args=[plan.pk]),
        actor=user,
        params={"actor": user.full_name, "date": check_in.due_on.isoformat()},
    )
