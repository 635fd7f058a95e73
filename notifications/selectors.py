"""Reads of the notifications app."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from access.scope import scope_of
from accounts.models import User

from .models import Notification, Preference


def unread_count(user: User) -> int:
    """The badge in the header: one COUNT over a partial index."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences_of(user: User) -> dict[str, str]:
    return dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))


@dataclass
class Waiting:
    """What waits for a person, for the top of the dashboard."""

    sent_back: list[Any] = field(default_factory=list)
    consents: list[Any] = field(default_factory=list)
    sessions: list[Any] = field(default_factory=list)
    questionnaires: list[Any] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.sent_back or self.consents or self.sessions or self.questionnaires)


#: A questionnaire "closes soon" when it closes within this many days.
CLOSING_SOON_DAYS = 3


def waiting_for(user: User, upcoming_sessions: list[Any]) -> Waiting:
    """Studies sent back to a team I coach, consent asked of me as an author, the
    upcoming sessions I have not answered and questionnaires I have not filled in
    that close soon. Two queries: studies (both kinds at once) and invitations;
    the sessions are the dashboard's own."""
    from knowledge_base.models import Study, StudyAuthor
    from monitoring.models import Invitation
    from research_cycle.models import TeamRole

    status = Study.Status
    # The teams they coach, as ids from the scope (read once per request): no
    # subquery to compile.
    coached = scope_of(user).team_ids([TeamRole.COACH])
    consent = StudyAuthor.objects.filter(
        study=OuterRef("pk"), user=user, consent=StudyAuthor.Consent.PENDING
    ).exclude(consent_token="")
    studies = (
        Study.objects.annotate(asks_consent=Exists(consent))
        .filter(
            Q(status=status.CHANGES_REQUESTED, team__in=coached)
            | Q(
                asks_consent=True,
                status__in=[status.DRAFT, status.SUBMITTED, status.CHANGES_REQUESTED],
            )
        )
        .annotate(
            my_consent_token=Subquery(consent.values("consent_token")[:1]),
        )
        .order_by("-updated_at")[:10]
    )
    waiting = Waiting()
    for study in studies:
        if study.status == status.CHANGES_REQUESTED and study.team_id is not None:
            waiting.sent_back.append(study)
        if study.asks_consent:
            waiting.consents.append(study)
    waiting.sessions = [s for s in upcoming_sessions if not s.my_response]
    today = timezone.localdate()
    waiting.questionnaires = list(
        Invitation.objects.filter(
            person=user,
            used=False,
            round__closes_on__gte=today,
            round__closes_on__lte=today + datetime.timedelta(days=CLOSING_SOON_DAYS),
        ).select_related("round")
    )
    return waiting
