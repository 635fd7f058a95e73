"""Storage limitation (GDPR art. 5(1)(e)): the nightly run removes what has been
kept as long as its ``RetentionPeriod`` says, and reports it (``RetentionRun``).
Everything is deleted in batches of ids, so memory stays bounded however many
rows are due. Questionnaire answers keep their own policy and run
(``questionnaires.retention``); this run calls it and reports its counts.
"""

import datetime
import logging
from functools import partial

from django.apps import apps
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import send_templated_mail
from config.absolute_urls import absolute_url
from network_sessions.mail import (
    SEND_ERRORS,
    claim,
    claimable,
    mark_sent,
    release_after_failure,
)
from network_sessions.models import ClaimedMail
from questionnaires import retention as questionnaire_retention
from questionnaires.retention import add_months
from research_cycle.models import Attachment, ResearchCycle, TeamRole

from . import services
from .models import (
    AccessRecord,
    DataExport,
    ErasureRequest,
    ExportMail,
    RetentionPeriod,
    RetentionRun,
    TeamFilesNotice,
    retention_amount,
)

logger = logging.getLogger(__name__)

BATCH = 1000
Kind = RetentionPeriod.Kind


def delete_in_batches(queryset: models.QuerySet, batch: int = BATCH) -> int:
    """Delete what ``queryset`` selects, ``batch`` ids at a time (bounded memory,
    short transactions). Returns how many rows went."""
    total = 0
    manager = queryset.model._default_manager
    while True:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return total
        manager.filter(pk__in=ids).delete()
        total += len(ids)


def _delete_files(names: list[str]) -> None:
    """After the rows are gone for good (on commit): a crash before leaves the
    files and their rows, never rows pointing to missing files."""
    for name in names:
        default_storage.delete(name)


# --- Diary attachments ------------------------------------------------------------


def files_due(cycle: ResearchCycle) -> datetime.datetime:
    assert cycle.completed_at is not None
    return add_months(cycle.completed_at, retention_amount(Kind.DIARY_ATTACHMENTS))


def _attachments_delete(now: datetime.datetime) -> int:
    cutoff = add_months(now, -retention_amount(Kind.DIARY_ATTACHMENTS))
    due = Attachment.objects.filter(log_entry__cycle__completed_at__lte=cutoff)
    total = 0
    while True:
        batch = list(due.order_by("pk").values_list("pk", "file")[:BATCH])
        if not batch:
            return total
        with transaction.atomic():
            Attachment.objects.filter(pk__in=[pk for pk, _name in batch]).delete()
            transaction.on_commit(partial(_delete_files, [name for _pk, name in batch]))
        total += len(batch)


def _owe_file_notices(now: datetime.datetime) -> None:
    """A month before a cycle's files go, each coach of the team is owed a notice
    (one row per cycle and coach: once)."""
    months = retention_amount(Kind.DIARY_ATTACHMENTS)
    window_end = add_months(now, -(months - 1))
    window_start = add_months(now, -months)
    cycles = ResearchCycle.objects.filter(
        completed_at__gt=window_start,
        completed_at__lte=window_end,
        log_entries__attachments__isnull=False,
    ).distinct()
    for cycle in cycles.iterator():
        coaches = cycle.team.memberships.filter(role=TeamRole.COACH, user__is_active=True)
        TeamFilesNotice.objects.bulk_create(
            [
                TeamFilesNotice(cycle=cycle, recipient_id=user_id, next_attempt_at=now)
                for user_id in coaches.values_list("user", flat=True)
            ],
            ignore_conflicts=True,
        )


def files_notice_send(*, notice_id: int) -> bool:
    notice = TeamFilesNotice.objects.select_related("cycle__team", "recipient").get(pk=notice_id)
    token = claim(TeamFilesNotice, notice_id)
    if token is None:
        return False
    team = notice.cycle.team
    try:
        send_templated_mail(
            template="emails/privacy_files_notice",
            to=[notice.recipient.email],
            language=notice.recipient.language,
            context={
                "recipient": notice.recipient,
                "team": team,
                "due": files_due(notice.cycle),
                "url": absolute_url(reverse("research_cycle:team_workspace", args=[team.pk])),
            },
        )
    except SEND_ERRORS as exc:
        release_after_failure(TeamFilesNotice, notice_id, token, exc)
        return False
    mark_sent(TeamFilesNotice, notice_id, token)
    return True


# --- Accounts, mail, logs ---------------------------------------------------------


def _deactivated_accounts_erase(now: datetime.datetime) -> int:
    """Deactivated accounts whose last role ended long enough ago are erased (the
    same service as a person's own request)."""
    years = retention_amount(Kind.DEACTIVATED_ACCOUNTS)
    cutoff = add_months(now, -12 * years).date()
    candidates = (
        User.objects.filter(is_active=False, team_pseudonym__isnull=True)
        .exclude(erasure_requests__state=ErasureRequest.State.ERASED)
        .annotate(last_role_ended=Max("role_memberships__school_year__ends_on"))
        .filter(
            Q(last_role_ended__lt=cutoff)
            | Q(last_role_ended__isnull=True, date_joined__date__lt=cutoff)
        )
    )
    erased = 0
    for user in candidates.iterator():
        request = services.erasure_request(user=user, now=now)
        if request.state == ErasureRequest.State.HELD:
            continue
        done = services.erasure_confirm(request=request, by=None)
        erased += done.state == ErasureRequest.State.ERASED
    return erased


def _mail_rows_delete(now: datetime.datetime) -> int:
    cutoff = now - datetime.timedelta(days=retention_amount(Kind.MAIL_OUTBOX))
    total = 0
    for model in apps.get_models():
        if issubclass(model, ClaimedMail):
            finished = model._default_manager.annotate(
                finished_at=Coalesce("sent_at", "skipped_at", "failed_at")
            ).filter(finished_at__lt=cutoff)
            total += delete_in_batches(finished)
    return total


def _expired_exports_delete(now: datetime.datetime) -> int:
    expired = DataExport.objects.filter(expires_at__lt=now)
    total = 0
    for export in expired.iterator():
        with transaction.atomic():
            DataExport.objects.filter(pk=export.pk).delete()
            if export.file.name:
                transaction.on_commit(partial(_delete_files, [export.file.name]))
        total += 1
    return total


def retention_run(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """What beat runs every night. Safe to run twice: what is gone stays gone."""
    now = now or timezone.now()
    answers = questionnaire_retention.retention_run(now=now)
    _owe_file_notices(now)
    removed = {
        "diary_attachments": _attachments_delete(now),
        "questionnaire_responses": answers["deleted"],
        "deactivated_accounts": _deactivated_accounts_erase(now),
        "mail_outbox_rows": _mail_rows_delete(now),
        "access_log_records": delete_in_batches(
            AccessRecord.objects.filter(at__lt=add_months(now, -retention_amount(Kind.ACCESS_LOG)))
        ),
        "admin_log_records": delete_in_batches(
            AdminLogEntry.objects.filter(
                action_time__lt=add_months(now, -retention_amount(Kind.ADMIN_LOG))
            )
        ),
        "expired_exports": _expired_exports_delete(now),
    }
    notices = sum(
        files_notice_send(notice_id=pk)
        for pk in claimable(TeamFilesNotice, now).values_list("pk", flat=True)
    )
    RetentionRun.objects.create(ran_at=now, removed={**removed, "notices_sent": notices})
    logger.info("retention run removed %s", removed)
    return removed


# --- The scan ------------------------------------------------------------------


def privacy_scan(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """What beat runs every few minutes: rebuild exports whose worker died, send
    owed mails, carry out erasures that are due or were cut short."""
    now = now or timezone.now()
    counts = {"exports": 0, "mails": 0, "erasures": 0}
    stale = DataExport.objects.filter(
        Q(status=DataExport.Status.QUEUED, requested_at__lt=now - datetime.timedelta(minutes=1))
        | Q(status=DataExport.Status.BUILDING, started_at__lt=now - services.STALE_BUILD)
    )
    for export_id in stale.values_list("pk", flat=True):
        services._queue_build(export_id)
        counts["exports"] += 1
    for mail_id in claimable(ExportMail, now).values_list("pk", flat=True):
        counts["mails"] += services.export_mail_send(mail_id=mail_id)
    due = ErasureRequest.objects.filter(
        Q(state=ErasureRequest.State.REQUESTED, due_at__lte=now)
        | Q(state=ErasureRequest.State.CONFIRMED)
    )
    for request in due:
        done = services.erasure_confirm(request=request, by=None)
        counts["erasures"] += done.state == ErasureRequest.State.ERASED
    for request in ErasureRequest.objects.filter(state=ErasureRequest.State.ERASED).exclude(
        files_pending=[]
    ):
        services.erasure_purge_files(request=request)
    return counts
