"""Writes of the privacy app: exports, erasure, the access log.

Services trust their caller (README, "Access layer"); they keep the domain's own
rules (an erasure of the last admin is refused) with ``ValidationError``.
"""

import datetime
import json
import logging
import shutil
import tempfile
import uuid
import zipfile
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import send_templated_mail
from config.absolute_urls import absolute_url
from network_sessions.mail import SEND_ERRORS, claim, mark_sent, release_after_failure
from network_sessions.models import ClaimedMail
from research_cycle import models as research_cycle
from research_cycle.models import ResearchTeam, TeamRole

from .models import (
    ERASURE_WAIT,
    EXPORT_VALID_FOR,
    AccessRecord,
    DataExport,
    ErasureRequest,
    ExportMail,
    TeamPseudonym,
)
from .registry import EXPORTERS, Exporter

logger = logging.getLogger(__name__)

#: A build that started longer ago than this died with its worker (hard limit 300 s).
STALE_BUILD = datetime.timedelta(minutes=10)


# --- Exports ------------------------------------------------------------------


#: The word of an erased person's stand-in ("Teamlid 3"), Dutch as the issue asks.
PSEUDONYM_WORD = "Teamlid"


def export_request(*, user: User) -> DataExport:
    """Ask for a new export; while one is waiting or being built, that one is it."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one at a time per person
        running = DataExport.objects.filter(
            user=user, status__in=[DataExport.Status.QUEUED, DataExport.Status.BUILDING]
        ).first()
        if running is not None:
            return running
        export = DataExport.objects.create(user=user)
        transaction.on_commit(lambda: _queue_build(export.pk))
    return export


def _queue_build(export_id: int) -> None:
    from .tasks import build_export

    try:
        build_export.delay(export_id)
    except Exception as exc:  # the broker is down: the beat scan queues it again
        logger.warning("could not queue export %s, the scan retries: %r", export_id, exc)


def _claim_build(export_id: int) -> bool:
    """Take the build (one conditional UPDATE): a waiting export, or one whose
    builder died. Two workers never build the same export."""
    now = timezone.now()
    claimable = Q(status=DataExport.Status.QUEUED) | Q(
        status=DataExport.Status.BUILDING, started_at__lt=now - STALE_BUILD
    )
    won = DataExport.objects.filter(claimable, pk=export_id).update(
        status=DataExport.Status.BUILDING, started_at=now, progress=0
    )
    return won == 1


def _progress(export: DataExport, done: int, total: int) -> None:
    DataExport.objects.filter(pk=export.pk).update(progress=min(99, done * 100 // max(total, 1)))


def _readme(user: User, counts: list[tuple[Exporter, int]]) -> str:
    with translation.override(user.language):
        return render_to_string(
            "privacy/export_readme.txt",
            {
                "person": user,
                "made_at": timezone.now(),
                "kinds": [
                    {
                        "file": f"{exporter.label}.json",
                        "description": exporter.description,
                        "count": count,
                        "fields": exporter.field_docs(),
                    }
                    for exporter, count in counts
                ],
            },
            using="text",
        )


def _write_zip(export: DataExport, archive: zipfile.ZipFile) -> None:
    user = export.user
    exporters = [e for e in EXPORTERS.values() if not e.not_about_the_person]
    total = len(exporters) + 1
    counts: list[tuple[Exporter, int]] = []
    file_names: list[tuple[str, str]] = []
    for done, exporter in enumerate(exporters, start=1):
        count = 0
        # Rows are streamed from the database into the ZIP: memory stays bounded.
        with archive.open(f"{exporter.label}.json", "w") as target:
            target.write(b"[\n")
            for row in exporter.rows(user):
                if count:
                    target.write(b",\n")
                target.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False).encode())
                count += 1
            target.write(b"\n]\n")
        counts.append((exporter, count))
        file_names.extend(exporter.file_names(user))
        _progress(export, done, total)
    for stored, inside in file_names:
        try:
            with default_storage.open(stored, "rb") as source, archive.open(inside, "w") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
        except FileNotFoundError:
            logger.warning("export %s: file %s is missing", export.pk, stored)
    archive.writestr("README.md", _readme(user, counts))


def export_build(*, export_id: int) -> bool:
    """Build the ZIP of one export and owe its mail. Safe to run twice and
    concurrently (the claim decides); a build whose worker died is taken again by
    the scan. Returns whether this call built it."""
    if not _claim_build(export_id):
        return False
    export = DataExport.objects.select_related("user").get(pk=export_id)
    try:
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                _write_zip(export, archive)
            spool.seek(0)
            name = default_storage.save(f"private/exports/{uuid.uuid4().hex}.zip", File(spool))
    except Exception:
        DataExport.objects.filter(pk=export_id).update(status=DataExport.Status.FAILED)
        raise
    now = timezone.now()
    with transaction.atomic():
        DataExport.objects.filter(pk=export_id).update(
            status=DataExport.Status.READY,
            progress=100,
            file=name,
            size=default_storage.size(name),
            ready_at=now,
            expires_at=now + EXPORT_VALID_FOR,
        )
        ExportMail.objects.get_or_create(
            export_id=export_id, defaults={"recipient_id": export.user_id, "next_attempt_at": now}
        )
    mail = ExportMail.objects.get(export_id=export_id)
    export_mail_send(mail_id=mail.pk)
    return True


def export_mail_send(*, mail_id: int) -> bool:
    """Send the "ready" mail once (the claim decides; see network_sessions.mail)."""
    mail = ExportMail.objects.select_related("export", "recipient").get(pk=mail_id)
    token = claim(ExportMail, mail_id)
    if token is None:
        return False
    try:
        send_templated_mail(
            template="emails/privacy_export_ready",
            to=[mail.recipient.email],
            language=mail.recipient.language,
            context={
                "recipient": mail.recipient,
                "export": mail.export,
                "url": absolute_url(reverse("privacy:export_download", args=[mail.export_id])),
            },
        )
    except SEND_ERRORS as exc:
        release_after_failure(ExportMail, mail_id, token, exc)
        return False
    mark_sent(ExportMail, mail_id, token)
    return True


# --- The access log -------------------------------------------------------------


def access_record(
    *, user: Any, kind: str, what: str, path: str, team: ResearchTeam | None = None
) -> AccessRecord:
    """Write down that ``user`` downloaded a private file or export."""
    return AccessRecord.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        kind=kind,
        what=what[:300],
        path=path[:500],
        team=team,
    )


# --- Erasure --------------------------------------------------------------------


def erasure_refusal(user: User) -> str:
    """Why this person cannot be erased now, or "" when they can."""
    admins = User.objects.filter(is_superuser=True, is_active=True)
    if user.is_superuser and user.is_active and not admins.exclude(pk=user.pk).exists():
        return _("They are the last network admin: make someone else an admin first.")
    running = Q(current_cycle__isnull=False, current_cycle__completed_at__isnull=True) | Q(
        school_year__is_current=True
    )
    other_coach = research_cycle.TeamMembership.objects.filter(
        team=OuterRef("pk"), role=TeamRole.COACH, user__is_active=True
    ).exclude(user=user)
    alone = ResearchTeam.objects.filter(
        running, memberships__user=user, memberships__role=TeamRole.COACH
    ).exclude(Exists(other_coach))
    team = alone.select_related("school").first()
    if team is not None:
        return _(
            "They are the only coach of the running team “%(team)s”: set another coach first."
        ) % {"team": team.theme}
    return ""


def erasure_request(*, user: User, now: datetime.datetime | None = None) -> ErasureRequest:
    """The person asks to be erased; an admin confirms, or it happens by itself
    after ``ERASURE_WAIT`` unless held. Asking twice returns the open request."""
    now = now or timezone.now()
    with transaction.atomic():
        open_request = (
            ErasureRequest.objects.select_for_update()
            .exclude(state=ErasureRequest.State.ERASED)
            .filter(user=user)
            .first()
        )
        if open_request is not None:
            return open_request
        return ErasureRequest.objects.create(user=user, requested_at=now, due_at=now + ERASURE_WAIT)


def erasure_hold(*, request: ErasureRequest, by: User, reason: str) -> None:
    """An admin holds the erasure with a reason (an ongoing evaluation)."""
    if not reason.strip():
        raise ValidationError({"hold_reason": _("Say why the erasure is held.")})
    if request.state == ErasureRequest.State.ERASED:
        raise ValidationError(_("This person is already erased."))
    ErasureRequest.objects.filter(pk=request.pk).exclude(state=ErasureRequest.State.ERASED).update(
        state=ErasureRequest.State.HELD, hold_reason=reason.strip(), held_by=by
    )


def erasure_release(*, request: ErasureRequest) -> None:
    """The hold ends; the request waits for its due day (or a confirmation) again."""
    ErasureRequest.objects.filter(pk=request.pk, state=ErasureRequest.State.HELD).update(
        state=ErasureRequest.State.REQUESTED, hold_reason="", held_by=None
    )


def erasure_confirm(*, request: ErasureRequest, by: User | None) -> ErasureRequest:
    """An admin confirms (or the due day came): erase now. Refused with the reason
    (kept on the request) when the person is the last admin or a running team's
    only coach."""
    ErasureRequest.objects.filter(
        pk=request.pk, state__in=[ErasureRequest.State.REQUESTED, ErasureRequest.State.HELD]
    ).update(state=ErasureRequest.State.CONFIRMED, confirmed_by=by)
    return erasure_perform(request_id=request.pk)


def _mail_models() -> list[type[ClaimedMail]]:
    return [m for m in apps.get_models() if issubclass(m, ClaimedMail)]


def _person_filter(model: type[models.Model], user: User) -> Q | None:
    """Rows of ``model`` addressed to the person, directly or through one hop."""
    from .registry import user_fields

    direct = user_fields(model)
    if direct:
        condition = Q()
        for name in direct:
            condition |= Q(**{name: user})
        return condition
    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model is not None:
            hop = user_fields(f.related_model)
            if hop:
                return Q(**{f"{f.name}__{hop[0]}": user})
    return None


#: The team records that follow the person's stand-in: (model, user field, path to the team).
TEAM_RECORDS: list[tuple[type[models.Model], str, str]] = [
    (research_cycle.TeamMembership, "user", "team"),
    (research_cycle.LogEntry, "author", "cycle__team"),
    (research_cycle.Comment, "author", "log_entry__cycle__team"),
    (research_cycle.Attachment, "uploaded_by", "log_entry__cycle__team"),
    (research_cycle.StageTransition, "user", "cycle__team"),
    (research_cycle.StudyFieldRevision, "author", "cycle__team"),
    (research_cycle.ChecklistCheck, "checked_by", "cycle__team"),
]


def _stand_in(request: ErasureRequest, team_id: int) -> User:
    """The person's stand-in in this team ("Teamlid 3"): made once, then reused."""
    existing = TeamPseudonym.objects.filter(team_id=team_id, erasure=request).first()
    if existing is not None:
        return existing.stand_in
    taken = TeamPseudonym.objects.select_for_update().filter(team_id=team_id)
    number = (taken.aggregate(top=models.Max("number"))["top"] or 0) + 1
    label = f"{PSEUDONYM_WORD} {number}"
    stand_in = User.objects.create_user(
        email=f"stand-in-{uuid.uuid4().hex}@erased.invalid", full_name=label, is_active=False
    )
    TeamPseudonym.objects.create(team_id=team_id, number=number, stand_in=stand_in, erasure=request)
    return stand_in


def _team_ids(user: User) -> set[int]:
    ids: set[int] = set()
    for model, field, team_path in TEAM_RECORDS:
        ids.update(
            model._default_manager.filter(**{field: user})
            .values_list(team_path, flat=True)
            .distinct()
        )
    ids.discard(None)
    return ids


def _erase(request: ErasureRequest) -> list[str]:
    """Every write of one erasure (inside the caller's transaction). Returns the
    storage names of files to delete once it commits."""
    from allauth.account.models import EmailAddress
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    from knowledge_base.models import Study, StudyAuthor
    from knowledge_base.public import is_public
    from network_sessions.models import CalendarFeed
    from notifications.models import Notification

    user = request.user
    # 1. Team history: the records move to the person's stand-in of that team.
    for team_id in sorted(_team_ids(user)):
        stand_in = _stand_in(request, team_id)
        for model, field, team_path in TEAM_RECORDS:
            model._default_manager.filter(**{field: user, team_path: team_id}).update(
                **{field: stand_in}
            )
    # 2. Studies: no longer an author of unpublished ones; on published ones the
    #    name goes from every public surface (they read the author rows), the study stays.
    authorships = StudyAuthor.objects.filter(user=user)
    authorships.exclude(study__in=Study.objects.filter(is_public())).delete()
    authorships.update(
        user=None,
        name="",
        email="",
        consent=StudyAuthor.Consent.DECLINED,
        consent_token="",
    )
    # 3. Mail queues: every outbox row to the person, sent or not.
    for model in _mail_models():
        condition = _person_filter(model, user)
        if condition is not None:
            model._default_manager.filter(condition).delete()
    # 3b. Notifications: their own inbox goes; in other people's inboxes the name
    #     they were told by ("Sara commented…") becomes the team pseudonym's word.
    Notification.objects.filter(recipient=user).delete()
    for notification in Notification.objects.filter(actor=user).iterator():
        notification.actor = None
        if "actor" in notification.params:
            notification.params["actor"] = PSEUDONYM_WORD
        notification.save(update_fields=["actor", "params"])
    # 4. What only served the account.
    EmailAddress.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    # Sessions through the configured engine, so a cached copy (cached_db) goes too.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            keys.add(session.session_key)
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    files = [
        name for name in DataExport.objects.filter(user=user).values_list("file", flat=True) if name
    ]
    DataExport.objects.filter(user=user).delete()
    AccessRecord.objects.filter(user=user).update(user=None)
    # 5. The account keeps its id (figures and shared records point to it) and nothing else.
    User.objects.filter(pk=user.pk).update(
        full_name="",
        email=f"erased-{uuid.uuid4().hex}@erased.invalid",
        password=f"!{uuid.uuid4().hex}",  # unusable
        is_active=False,
        is_staff=False,
        is_superuser=False,
    )
    return files


def erasure_perform(*, request_id: int) -> ErasureRequest:
    """Erase a confirmed request's person: one transaction from *confirmed* to
    *erased*, so a crash leaves either nothing done (the scan runs it again) or
    everything; files go after the commit (``files_pending``) and a second run
    finishes any left. Safe to run twice: an erased request only purges files."""
    with transaction.atomic():
        request = (
            ErasureRequest.objects.select_for_update().select_related("user").get(pk=request_id)
        )
        if request.state == ErasureRequest.State.CONFIRMED:
            reason = erasure_refusal(request.user)
            if reason:
                # Back to waiting, with the reason for the person and the admins.
                request.state = ErasureRequest.State.REQUESTED
                request.refusal = reason
                request.save(update_fields=["state", "refusal"])
                return request
            request.files_pending = _erase(request)
            request.state = ErasureRequest.State.ERASED
            request.refusal = ""
            request.erased_at = timezone.now()
            request.save(update_fields=["state", "refusal", "erased_at", "files_pending"])
    if request.state == ErasureRequest.State.ERASED and request.files_pending:
        erasure_purge_files(request=request)
    return request


def erasure_purge_files(*, request: ErasureRequest) -> None:
    """Delete the files an erasure left to delete (again after a crash: deleting
    a missing file is harmless)."""
    for name in request.files_pending:
        default_storage.delete(name)
    ErasureRequest.objects.filter(pk=request.pk).update(files_pending=[])
    request.files_pending = []
