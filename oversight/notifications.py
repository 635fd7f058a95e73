"""Notification kind of oversight: a team I oversee needs attention (the rule of
``oversight.attention``). Checked once a day by beat, told at most once a week
per team. Bridge-builders also get the Monday session digest that lists these
teams, so this stays in the app by default."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.roles import OVERSEER_ROLES
from accounts.models import User
from notifications.registry import Delivery, Kind, register, titled, visible_among
from notifications.services import notify
from research_cycle.models import ResearchTeam
from schools.models import RoleMembership

from .selectors import teams_needing_attention


def _teams(user: Any) -> Any:
    return ResearchTeam.objects.visible_to(user)


def _can_open(user: Any, team_id: int) -> bool:
    return _teams(user).filter(pk=team_id).exists()


NEEDS_ATTENTION = register(
    Kind(
        key="team_needs_attention",
        label=_("A team I oversee needs attention"),
        default=Delivery.APP_ONLY,
        title=titled(_("The research team “%(team)s” of %(school)s needs attention")),
        can_open=_can_open,
        visible_ids=visible_among(_teams),
    )
)


def attention_scan(*, now: datetime.datetime | None = None) -> int:
    """Notify every overseer of this school year of their teams that need
    attention; the week in the event key makes it once a week per team."""
    today = timezone.localdate(now or timezone.now())
    year, week, _day = today.isocalendar()
    overseers = User.objects.filter(
        is_active=True,
        pk__in=RoleMembership.objects.current().filter(role__in=OVERSEER_ROLES).values("user"),
    )
    told = 0
    for overseer in overseers:
        for row in teams_needing_attention(overseer):
            team = row.team
            told += len(
                notify(
                    kind=NEEDS_ATTENTION.key,
                    recipients=[overseer],
                    target_id=team.pk,
                    event_key=f"attention:{team.pk}:{year}-W{week:02d}",
                    url=reverse("research_cycle:team_workspace", args=[team.pk]),
                    params={"team": team.theme, "school": team.school.name},
                )
            )
    return told
