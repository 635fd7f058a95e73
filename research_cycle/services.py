"""Writes for the research cycle: cycles, stages, the study, the research diary.

Every function is keyword-only, atomic and validates before it writes, so a
refused change leaves nothing half-saved. Permission checks happen in the views
(through ``permissions.py``); these functions enforce the domain's own rules.
"""

import datetime
import logging
import os
from collections.abc import Collection, Iterable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import (
    INLINE_CONTENT_TYPES,
    STUDY_FIELD_MAX_LENGTH,
    STUDY_FIELD_NAMES,
    Attachment,
    ChecklistCheck,
    ChecklistItem,
    Comment,
    CycleStage,
    LogEntry,
    Perspective,
    PreviewStatus,
    ResearchCycle,
    ResearchTeam,
    StageTransition,
    StudyFieldRevision,
)
from .notifications import comment_notify, entry_mentions_notify, mentioned
from .previews import PreviewError, make_thumbnail
from .uploads import validate_attachment

logger = logging.getLogger(__name__)


class StaleEdit(ValidationError):
    """Someone else saved this field since the editor loaded it."""


def _validate_perspectives(perspectives: Collection[str]) -> list[str]:
    valid = {p.value for p in Perspective}
    unknown = [p for p in perspectives if p not in valid]
    if unknown:
        raise ValidationError({"perspectives": _("Unknown perspective: %s") % ", ".join(unknown)})
    return [p.value for p in Perspective if p.value in set(perspectives)]


@transaction.atomic
def cycle_start(*, team: ResearchTeam, user: User) -> ResearchCycle:
    """Start the team's next cycle at the first stage (a team may run several a year)."""
    # Lock the team so two coaches clicking "start" at once cannot both start one.
    ResearchTeam.objects.select_for_update().get(pk=team.pk)
    if team.cycles.open().exists():
        raise ValidationError(_("Finish the current cycle before starting a new one."))
    first = CycleStage.objects.order_by("order").first()
    assert first is not None, "the stages are created by a data migration"
    now = timezone.now()
    number = (team.cycles.aggregate(n=Max("number"))["n"] or 0) + 1
    cycle = ResearchCycle.objects.create(
        team=team, number=number, current_stage=first, stage_entered_at=now, started_at=now
    )
    StageTransition.objects.create(
        cycle=cycle, kind=StageTransition.Kind.START, to_stage=first, user=user
    )
    team.current_cycle = cycle
    team.save(update_fields=["current_cycle"])
    return cycle


def _lock(cycle: ResearchCycle) -> ResearchCycle:
    return (
        ResearchCycle.objects.select_for_update().select_related("current_stage").get(pk=cycle.pk)
    )


def unchecked_items(cycle: ResearchCycle) -> list[ChecklistItem]:
    checked = set(cycle.checks.values_list("item_id", flat=True))
    return [i for i in cycle.current_stage.checklist_items.all() if i.pk not in checked]


@transaction.atomic
def cycle_advance_stage(*, cycle: ResearchCycle, user: User, reason: str = "") -> ResearchCycle:
    """Move to the next stage; from the last stage, complete the cycle.

    Advancing with unchecked checklist items needs a short reason.
    """
    cycle = _lock(cycle)
    if cycle.is_completed:
        raise ValidationError(_("This cycle is already completed."))
    reason = reason.strip()
    if unchecked_items(cycle) and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Not every checklist item is ticked. Say briefly why the team moves on anyway."
                )
            }
        )
    if len(reason) > 1000:
        raise ValidationError({"reason": _("Keep the reason under 1000 characters.")})
    following = (
        CycleStage.objects.filter(order__gt=cycle.current_stage.order).order_by("order").first()
    )
    now = timezone.now()
    if following is None:
        StageTransition.objects.create(
            cycle=cycle,
            kind=StageTransition.Kind.COMPLETE,
            from_stage=cycle.current_stage,
            user=user,
            reason=reason,
        )
        cycle.completed_at = now
        cycle.save(update_fields=["completed_at"])
        return cycle
    StageTransition.objects.create(
        cycle=cycle,
        kind=StageTransition.Kind.ADVANCE,
        from_stage=cycle.current_stage,
        to_stage=following,
        user=user,
        reason=reason,
    )
    cycle.current_stage = following
    cycle.stage_entered_at = now
    cycle.save(update_fields=["current_stage", "stage_entered_at"])
    return cycle


@transaction.atomic
def cycle_step_back(
    *, cycle: ResearchCycle, user: User, to_stage: CycleStage, reason: str = ""
) -> ResearchCycle:
    """Go back to an earlier stage: the cycle is iterative. Recorded like any move."""
    cycle = _lock(cycle)
    if cycle.is_completed:
        raise ValidationError(_("This cycle is already completed."))
    if to_stage.order >= cycle.current_stage.order:
        raise ValidationError({"to_stage": _("Choose a stage before the current one.")})
    StageTransition.objects.create(
        cycle=cycle,
        kind=StageTransition.Kind.BACK,
        from_stage=cycle.current_stage,
        to_stage=to_stage,
        user=user,
        reason=reason.strip()[:1000],
    )
    cycle.current_stage = to_stage
    cycle.stage_entered_at = timezone.now()
    cycle.save(update_fields=["current_stage", "stage_entered_at"])
    return cycle


@transaction.atomic
def checklist_set(*, cycle: ResearchCycle, item: ChecklistItem, checked: bool, user: User) -> bool:
    """Tick or untick an item of the current stage's checklist."""
    if item.stage_id != cycle.current_stage_id:
        raise ValidationError(_("This checklist item belongs to another stage."))
    if checked:
        ChecklistCheck.objects.get_or_create(cycle=cycle, item=item, defaults={"checked_by": user})
    else:
        ChecklistCheck.objects.filter(cycle=cycle, item=item).delete()
    return checked


@transaction.atomic
def study_field_update(
    *, cycle: ResearchCycle, field: str, value: Any, expected_version: int, user: User
) -> ResearchCycle:
    """Save one field of the study, refusing a stale edit (optimistic locking).

    ``value`` is the text, or the perspective codes for ``perspectives``.
    ``expected_version`` is the version the editor started from; if someone saved
    the field since, the save is refused and nothing is lost on either side: the
    other person's text stays, and the form keeps what this person typed.
    """
    if field not in STUDY_FIELD_NAMES and field != "perspectives":
        raise ValidationError(_("Unknown field."))
    cycle = _lock(cycle)
    current_version = cycle.field_version(field)
    if expected_version != current_version:
        raise StaleEdit(
            {
                field: _(
                    "Someone else saved this field while you were editing it. "
                    "Your text is kept below: compare it with theirs and save again."
                )
            }
        )
    if field == "perspectives":
        value = _validate_perspectives(value)
        stored = ",".join(value)
    else:
        value = (value or "").strip()
        if len(value) > STUDY_FIELD_MAX_LENGTH:
            raise ValidationError(
                {
                    field: _("Keep this under %(max)d characters (now %(count)d).")
                    % {"max": STUDY_FIELD_MAX_LENGTH, "count": len(value)}
                }
            )
        stored = value
    if getattr(cycle, field) == value:
        return cycle
    setattr(cycle, field, value)
    cycle.field_versions = {**cycle.field_versions, field: current_version + 1}
    cycle.save(update_fields=[field, "field_versions"])
    StudyFieldRevision.objects.create(
        cycle=cycle, field=field, version=current_version + 1, value=stored, author=user
    )
    return cycle


def _clean_entry(
    *,
    cycle: ResearchCycle,
    stage: CycleStage,
    occurred_on: datetime.date | None,
    summary: str,
    perspectives: Collection[str] | None,
) -> list[str]:
    errors: dict[str, Any] = {}
    if not (summary or "").strip():
        errors["summary"] = _("Write what the team did.")
    if stage.order > cycle.current_stage.order:
        errors["stage"] = _("The team has not reached this stage yet.")
    if occurred_on and occurred_on > timezone.localdate() + datetime.timedelta(days=1):
        errors["occurred_on"] = _("The date cannot be in the future.")
    try:
        valid = _validate_perspectives(perspectives or [])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return valid


def _attach(
    *, entry: LogEntry, files: Iterable["UploadedFile[bytes]"], user: User
) -> list[Attachment]:
    attachments: list[Attachment] = []
    try:
        for upload in files:
            content_type = validate_attachment(upload)
            # A file that came through a form always has a name and a size.
            assert upload.name is not None and upload.size is not None
            attachment = Attachment(
                log_entry=entry,
                original_name=os.path.basename(upload.name)[:255],
                content_type=content_type,
                size=upload.size,
                uploaded_by=user,
                preview_status=(
                    PreviewStatus.PENDING
                    if content_type in INLINE_CONTENT_TYPES
                    else PreviewStatus.NONE
                ),
            )
            attachment.file.save(upload.name, upload, save=False)
            attachments.append(attachment)
            attachment.save()
    except BaseException:
        # The transaction rolls the rows back; the files already written must go too,
        # or a failure halfway (disk full, a dropped connection) leaves orphans.
        for written in attachments:
            written.file.storage.delete(written.file.name or "")
        raise
    pending = [a.pk for a in attachments if a.preview_status == PreviewStatus.PENDING]
    if pending:
        transaction.on_commit(partial(_queue_previews, pending))
    return attachments


def _queue_previews(attachment_ids: list[int]) -> None:
    from . import tasks  # tasks call the services: import here, not at the top

    for attachment_id in attachment_ids:
        tasks.make_attachment_preview.delay(attachment_id)


def _entry_mentions(cycle: ResearchCycle, *texts: str) -> list[User]:
    """The team members an entry mentions; anyone else refuses the entry."""
    try:
        return mentioned(cycle.team, "\n".join(t or "" for t in texts))
    except ValidationError as error:
        raise ValidationError({"summary": error.messages}) from None


@transaction.atomic
def log_entry_create(
    *,
    cycle: ResearchCycle,
    author: User,
    stage: CycleStage,
    occurred_on: datetime.date,
    summary: str,
    decisions: str = "",
    next_steps: str = "",
    perspectives: Collection[str] = (),
    files: Collection["UploadedFile[bytes]"] = (),
) -> LogEntry:
    """Add an entry to the research diary, with its evidence files."""
    for upload in files:
        validate_attachment(upload)
    perspectives = _clean_entry(
        cycle=cycle,
        stage=stage,
        occurred_on=occurred_on,
        summary=summary,
        perspectives=perspectives,
    )
    people = _entry_mentions(cycle, summary, decisions, next_steps)
    entry = LogEntry.objects.create(
        cycle=cycle,
        stage=stage,
        author=author,
        occurred_on=occurred_on,
        summary=summary.strip(),
        decisions=(decisions or "").strip(),
        next_steps=(next_steps or "").strip(),
        perspectives=perspectives,
    )
    # Every file was validated above, before any row or file was written, so a
    # refused entry leaves neither rows nor orphaned files behind.
    _attach(entry=entry, files=files, user=author)
    entry_mentions_notify(entry=entry, mentions=people)
    return entry


@transaction.atomic
def log_entry_update(
    *,
    entry: LogEntry,
    user: User,
    stage: CycleStage,
    occurred_on: datetime.date,
    summary: str,
    decisions: str = "",
    next_steps: str = "",
    perspectives: Collection[str] = (),
    files: Collection["UploadedFile[bytes]"] = (),
    remove_attachments: Iterable[int] = (),
) -> LogEntry:
    """Edit one's own entry (the view checks authorship)."""
    for upload in files:
        validate_attachment(upload)
    entry = (
        LogEntry.objects.select_for_update().select_related("cycle__current_stage").get(pk=entry.pk)
    )
    perspectives = _clean_entry(
        cycle=entry.cycle,
        stage=stage,
        occurred_on=occurred_on,
        summary=summary,
        perspectives=perspectives,
    )
    people = _entry_mentions(entry.cycle, summary, decisions, next_steps)
    entry.stage = stage
    entry.occurred_on = occurred_on
    entry.summary = summary.strip()
    entry.decisions = (decisions or "").strip()
    entry.next_steps = (next_steps or "").strip()
    entry.perspectives = perspectives
    entry.save()
    for attachment in entry.attachments.filter(pk__in=list(remove_attachments)):
        attachment_delete(attachment=attachment)
    _attach(entry=entry, files=files, user=user)
    entry_mentions_notify(entry=entry, mentions=people)
    return entry


@transaction.atomic
def log_entry_delete(*, entry: LogEntry) -> None:
    for attachment in entry.attachments.all():
        attachment_delete(attachment=attachment)
    entry.delete()


def attachment_delete(*, attachment: Attachment) -> None:
    names = [attachment.file.name, attachment.preview.name]
    storage = attachment.file.storage
    attachment.delete()
    for name in filter(None, names):
        transaction.on_commit(partial(storage.delete, name))


def attachment_make_preview(*, attachment_id: int) -> str | None:
    """Make the thumbnail of a PDF or image attachment; return the preview status.

    Idempotent: the row is locked and only a PENDING preview is made, under a name
    derived from the file's, so a retry after a crash overwrites its own leftovers
    and a second worker finds the work done. A file that cannot be previewed (broken,
    encrypted, a decompression bomb) is logged and marked FAILED: the page then shows
    the file without a thumbnail."""
    with transaction.atomic():
        attachment = Attachment.objects.select_for_update().filter(pk=attachment_id).first()
        if attachment is None or attachment.preview_status != PreviewStatus.PENDING:
            return attachment.preview_status if attachment else None
        with attachment.file.open("rb") as stored:
            data = stored.read()
        try:
            thumbnail = make_thumbnail(data, attachment.content_type)
        except PreviewError as error:
            logger.warning("No preview for attachment %s: %s", attachment.pk, error)
            attachment.preview_status = PreviewStatus.FAILED
        except Exception:
            # Decoders of hostile files can fail in any way; the page must not.
            logger.exception("Preview of attachment %s failed", attachment.pk)
            attachment.preview_status = PreviewStatus.FAILED
        else:
            storage = attachment.file.storage
            name = f"{attachment.file.name}.preview.jpg"
            storage.delete(name)  # a crashed earlier attempt's file, if any
            attachment.preview.name = storage.save(name, ContentFile(thumbnail))
            attachment.preview_status = PreviewStatus.READY
        attachment.save(update_fields=["preview", "preview_status"])
        return attachment.preview_status


#: A preview task lost with its worker (or queued while the broker was down) is
#: queued again by the beat scan after this long.
PREVIEW_RETRY_AFTER = datetime.timedelta(minutes=10)


def attachment_previews_scan(*, limit: int = 200) -> int:
    """Queue the previews still pending after PREVIEW_RETRY_AFTER; return how many."""
    cutoff = timezone.now() - PREVIEW_RETRY_AFTER
    ids = list(
        Attachment.objects.filter(
            preview_status=PreviewStatus.PENDING, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:limit]
    )
    _queue_previews(ids)
    return len(ids)


@transaction.atomic
@transaction.atomic
def comment_add(
    *, entry: LogEntry, author: User, body: str, mention: User | None = None
) -> Comment:
    """Post a comment and notify the entry's author, the people it mentions (in
    the text as ``@handle`` or picked as ``mention``) and the rest of the team.
    Mentioning someone outside the team refuses the whole comment."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if len(body) > 4000:
        raise ValidationError({"body": _("Keep the comment under 4000 characters.")})
    try:
        people = mentioned(entry.cycle.team, body, [mention] if mention else [])
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from None
    comment = Comment.objects.create(log_entry=entry, author=author, body=body)
    comment_notify(comment=comment, mentions=people)
    return comment
