"""Answers are kept only as long as the study needs them: a set time after the
research cycle completes (``RetentionPolicy``, 12 months by default) they are
deleted and only the figures stay. The coaches hear of it a month before, once
(a ``RetentionNotice`` row each, claimed and sent as the sessions' mail is).
"""

import calendar
import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.services import send_templated_mail
from config.absolute_urls import absolute_url
from network_sessions.mail import (
    SEND_ERRORS,
    claim,
    claimable,
    mark_sent,
    release_after_failure,
)
from research_cycle.models import TeamRole

from .models import (
    Answer,
    Questionnaire,
    Response,
    RetentionNotice,
    Round,
    SnapshotQuote,
    UsedNonce,
    retention_months,
)
from .selectors import round_aggregates

#: How long before the deletion the coaches hear of it.
NOTICE_MONTHS_AHEAD = 1


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day ``months`` later (or earlier), the month's last day if it is shorter."""
    years, month = divmod(moment.month - 1 + months, 12)
    year = moment.year + years
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def deletion_due(questionnaire: Questionnaire) -> datetime.datetime | None:
    """When the answers go, or None while the cycle runs."""
    cycle = questionnaire.cycle
    if cycle is None or cycle.completed_at is None:
        return None
    months = retention_months(questionnaire.team.school.partnership_id)
    return add_months(cycle.completed_at, months)


@transaction.atomic
def answers_delete(*, questionnaire: Questionnaire, today: datetime.date) -> int:
    """Keep each round's figures, then delete its answers, responses and nonces."""
    rounds = list(
        Round.objects.select_for_update().filter(
            questionnaire=questionnaire, answers_deleted_on=None
        )
    )
    aggregates = round_aggregates(rounds)
    for round_ in rounds:
        round_.aggregates = aggregates[round_.pk]
        round_.answers_deleted_on = today
        round_.save(update_fields=["aggregates", "answers_deleted_on"])
    # Quotes the reviewer did not approve for a study go with the answers.
    SnapshotQuote.objects.filter(snapshot__round__in=rounds, approved_at__isnull=True).delete()
    Answer.objects.filter(round__in=rounds).delete()
    UsedNonce.objects.filter(round__in=rounds).delete()
    deleted, _by_model = Response.objects.filter(round__in=rounds).delete()
    return deleted


def notice_send(*, notice_id: int) -> bool:
    """Send one notice if still owed; safe to call twice (the claim decides)."""
    notice = RetentionNotice.objects.select_related("questionnaire__team", "recipient").get(
        pk=notice_id
    )
    token = claim(RetentionNotice, notice_id)
    if token is None:
        return False
    questionnaire = notice.questionnaire
    try:
        send_templated_mail(
            template="emails/questionnaire_retention",
            to=[notice.recipient.email],
            language=notice.recipient.language,
            context={
                "recipient": notice.recipient,
                "questionnaire": questionnaire,
                "due": deletion_due(questionnaire),
                "url": absolute_url(
                    reverse(
                        "questionnaires:results", args=[questionnaire.team_id, questionnaire.pk]
                    )
                ),
            },
        )
    except SEND_ERRORS as exc:
        release_after_failure(RetentionNotice, notice_id, token, exc)
        return False
    mark_sent(RetentionNotice, notice_id, token)
    return True


def retention_run(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """What beat runs daily: owe and send the notices that are due, delete the
    answers whose time has come."""
    now = now or timezone.now()
    counts = {"noticed": 0, "deleted": 0}
    pending = (
        Questionnaire.objects.filter(
            cycle__completed_at__isnull=False, rounds__answers_deleted_on=None
        )
        .select_related("cycle", "team__school")
        .distinct()
    )
    for questionnaire in pending:
        due = deletion_due(questionnaire)
        if due is None:
            continue
        if due <= now:
            counts["deleted"] += answers_delete(
                questionnaire=questionnaire, today=timezone.localdate(now)
            )
        elif add_months(due, -NOTICE_MONTHS_AHEAD) <= now:
            coaches = questionnaire.team.memberships.filter(
                role=TeamRole.COACH, user__is_active=True
            )
            RetentionNotice.objects.bulk_create(
                [
                    RetentionNotice(
                        questionnaire=questionnaire, recipient_id=user_id, next_attempt_at=now
                    )
                    for user_id in coaches.values_list("user", flat=True)
                ],
                ignore_conflicts=True,
            )
    for notice_id in claimable(RetentionNotice, now).values_list("pk", flat=True):
        counts["noticed"] += notice_send(notice_id=notice_id)
    return counts
