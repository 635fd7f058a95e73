"""Reads of the notifications app."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from access.scope import scope_of
from accounts.models import User
from config.kept_query import kept_list

from .models import Notification, Preference


def unread_count(user: User) -> int:
    """The badge in the header: one COUNT over a partial index, read with the
    signed-in person's row (``accounts.backends``: no query of its own then, the
    count as the request began) or else on its own."""
    read_with_the_person = getattr(user, "unread_badge", None)  # request.user is lazy
    if read_with_the_person is not None:
        return int(read_with_the_person)
    counted = kept_list("notifications.unread", _unread, user=user.pk)
    return counted[0] if counted else 0


def unread_subquery() -> Coalesce:
    """The person's unread count as a subquery on ``accounts_user`` (for the badge)."""
    return Coalesce(Subquery(_unread(user=OuterRef("pk"))), 0)


def _unread(*, user: Any):
    # a count as a one-row list (compiled once per process: ``config.kept_query``)
    return (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )


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


def _waiting_studies(*, user: int, coached: list[int]):
    from knowledge_base.models import Study, StudyAuthor

    status = Study.Status
    asked = StudyAuthor.objects.filter(user=user, consent=StudyAuthor.Consent.PENDING).exclude(
        consent_token=""
    )
    consent = asked.filter(study=OuterRef("pk"))
    # Both kinds are found by their indexes (the coached teams' studies, my author
    # rows) and then read by id: asking every unpublished study of the library
    # whether it asks me took 83 ms at 100,000 studies (5,000 unpublished).
    sent_back = Study.objects.filter(status=status.CHANGES_REQUESTED, team__in=coached)
    asking = asked.filter(
        study__status__in=[status.DRAFT, status.SUBMITTED, status.CHANGES_REQUESTED]
    )
    return (
        Study.objects.filter(
            pk__in=sent_back.values("pk").union(asking.values("study_id"), all=True)
        )
        .annotate(
            asks_consent=Exists(consent),
            my_consent_token=Subquery(consent.values("consent_token")[:1]),
        )
        .order_by("-updated_at")[:10]
    )


def _closing_soon(*, user: int, today: datetime.date, until: datetime.date):
    from monitoring.models import Invitation

    return Invitation.objects.filter(
        person=user, used=False, round__closes_on__gte=today, round__closes_on__lte=until
    ).select_related("round")


def waiting_for(user: User, upcoming_sessions: list[Any]) -> Waiting:
    """Studies sent back to a team I coach, consent asked of me as an author, the
    upcoming sessions I have not answered and questionnaires I have not filled in
    that close soon. Two queries: studies (both kinds at once) and invitations;
    the sessions are the dashboard's own. Both compiled once per process
    (``config.kept_query``)."""
    from knowledge_base.models import Study
    from research_cycle.models import TeamRole

    status = Study.Status
    # The teams they coach, as ids from the scope (read once per request): no
    # subquery to compile.
    coached = scope_of(user).team_ids([TeamRole.COACH])
    studies = kept_list("waiting.studies", _waiting_studies, user=user.pk, coached=coached)
    waiting = Waiting()
    for study in studies:
        if study.status == status.CHANGES_REQUESTED and study.team_id is not None:
            waiting.sent_back.append(study)
        if study.asks_consent:
            waiting.consents.append(study)
    waiting.sessions = [s for s in upcoming_sessions if not s.my_response]
    today = timezone.localdate()
    waiting.questionnaires = kept_list(
        "waiting.questionnaires",
        _closing_soon,
        user=user.pk,
        today=today,
        until=today + datetime.timedelta(days=CLOSING_SOON_DAYS),
    )
    return waiting
