"""Writes during a placement: the internship log, the confirmation of hours, the
evaluations and the student's response, and mentor training records.

Services trust their caller (the view checks who may act, see ``permissions``)
and enforce the domain's own rules with a ``ValidationError`` keyed by form field:
no hours in the future or outside the placement's period, at most 24 hours a day,
no level outside the rubric, a submitted evaluation is final. Each write is one
transaction; checks that span rows run with the placement row locked, so two
requests at once cannot both pass them.
"""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from placements.models import Placement

from .models import (
    MAX_DAY_HOURS,
    Evaluation,
    EvaluationResponse,
    EvaluatorRole,
    InternshipMail,
    Level,
    LogEntry,
    MentorTraining,
    Moment,
    Rubric,
    Score,
)
from .notifications import evaluation_complete_notify
from .permissions import INTERNSHIP_STATES, OPEN_STATES


def _locked(placement: Placement) -> Placement:
    """The placement row, locked until the transaction ends (its state read afresh)."""
    return Placement.objects.select_for_update().select_related("period").get(pk=placement.pk)


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the day's week: a week entry is dated on it."""
    return day - datetime.timedelta(days=day.weekday())


def countable_days(
    placement: Placement, *, span: str, date: datetime.date, today: datetime.date
) -> list[datetime.date]:
    """The days an entry covers that lie in the placement's period and are not in
    the future: one day, or the days of one week."""
    first = date if span == LogEntry.Span.DAY else week_of(date)
    length = 1 if span == LogEntry.Span.DAY else 7
    period = placement.period
    days = (first + datetime.timedelta(days=n) for n in range(length))
    return [d for d in days if period.starts_on <= d <= period.ends_on and d <= today]


def _check_entry(
    placement: Placement,
    *,
    span: str,
    date: datetime.date,
    hours: Decimal,
    entry: LogEntry | None,
    today: datetime.date,
) -> None:
    errors: dict[str, str] = {}
    period = placement.period
    first = date if span == LogEntry.Span.DAY else week_of(date)
    last = first + datetime.timedelta(days=0 if span == LogEntry.Span.DAY else 6)
    if first > today:
        errors["date"] = _("This day has not come yet: log hours once they are worked.")
    elif last < period.starts_on or first > period.ends_on:
        errors["date"] = _("Choose a date in the placement's period (%(start)s – %(end)s).") % {
            "start": period.starts_on.strftime("%d/%m/%Y"),
            "end": period.ends_on.strftime("%d/%m/%Y"),
        }
    if hours <= 0:
        errors["hours"] = _("Enter a number of hours above zero.")
    elif "date" not in errors:
        days = countable_days(placement, span=span, date=date, today=today)
        if hours > MAX_DAY_HOURS * len(days):
            errors["hours"] = _(
                "At most %(max)s hours: a day has 24 hours, and only days of the period "
                "that have passed count."
            ) % {"max": MAX_DAY_HOURS * len(days)}
    if "date" not in errors:
        others = placement.log_entries.all()
        if entry is not None:
            others = others.exclude(pk=entry.pk)
        if span == LogEntry.Span.DAY:
            clash = others.filter(span=LogEntry.Span.DAY, date=date).exists()
            week = others.filter(span=LogEntry.Span.WEEK, date=week_of(date)).exists()
        else:
            clash = others.filter(span=LogEntry.Span.WEEK, date=first).exists()
            week = others.filter(span=LogEntry.Span.DAY, date__range=(first, last)).exists()
        if clash:
            errors["date"] = _("There is already an entry for this day or week: change that one.")
        elif week:
            errors["date"] = _(
                "This week already has hours per day (or per week): keep one way for a week."
            )
    if errors:
        raise ValidationError(errors)


def log_entry_save(
    *,
    placement: Placement,
    span: str,
    date: datetime.date,
    hours: Decimal,
    reflection: str,
    entry: LogEntry | None = None,
    today: datetime.date | None = None,
) -> LogEntry:
    """Add an entry to the student's internship log, or change one the mentor has
    not confirmed yet. A week entry is dated on its Monday."""
    today = today or timezone.localdate()
    with transaction.atomic():
        placement = _locked(placement)
        if placement.state not in OPEN_STATES:
            raise ValidationError(_("The log of this placement is closed."))
        if entry is not None:
            entry = LogEntry.objects.select_for_update().get(pk=entry.pk, placement=placement)
            if entry.is_confirmed:
                raise ValidationError(_("Confirmed hours cannot be changed."))
        _check_entry(placement, span=span, date=date, hours=hours, entry=entry, today=today)
        entry = entry or LogEntry(placement=placement)
        entry.span = span
        entry.date = date if span == LogEntry.Span.DAY else week_of(date)
        entry.hours = hours
        entry.reflection = reflection
        entry.full_clean()
        entry.save()
    return entry


def log_entry_delete(*, entry: LogEntry) -> None:
    """Remove an entry the mentor has not confirmed."""
    with transaction.atomic():
        placement = _locked(entry.placement)
        if placement.state not in OPEN_STATES:
            raise ValidationError(_("The log of this placement is closed."))
        deleted, _rows = LogEntry.objects.filter(pk=entry.pk, confirmed_at__isnull=True).delete()
        if not deleted:
            raise ValidationError(_("Confirmed hours cannot be changed."))


def hours_confirm(*, placement: Placement, entries: Iterable[LogEntry], mentor: User) -> int:
    """The mentor teacher confirms these entries' hours. Entries of another
    placement and entries already confirmed are left alone. Returns how many were
    confirmed by this call."""
    ids = [entry.pk for entry in entries]
    with transaction.atomic():
        placement = _locked(placement)
        if placement.state not in INTERNSHIP_STATES:
            raise ValidationError(_("This placement has no internship to confirm."))
        return LogEntry.objects.filter(
            placement=placement, pk__in=ids, confirmed_at__isnull=True
        ).update(confirmed_at=timezone.now(), confirmed_by=mentor)


def rubric_for(placement: Placement) -> Rubric | None:
    """The rubric in use at the placement's institution."""
    return Rubric.objects.filter(institution=placement.institution_id, is_active=True).first()


def moment_complete(placement: Placement, moment: str) -> bool:
    return Evaluation.objects.filter(
        placement=placement, moment=moment, submitted_at__isnull=False
    ).values("evaluator_role").distinct().count() == len(EvaluatorRole.choices)


def evaluation_save(
    *,
    placement: Placement,
    moment: str,
    evaluator_role: str,
    author: User,
    levels: Mapping[int, Level | None],
    summary: str,
    submit: bool,
) -> Evaluation:
    """Save the evaluator's evaluation of one moment (``levels``: criterion id →
    the chosen level), as a draft or submitted. Submitted, it is final; when it
    completes the moment (both evaluations in), the student is mailed once."""
    if moment not in Moment.values or evaluator_role not in EvaluatorRole.values:
        raise ValidationError(_("Unknown evaluation."))
    with transaction.atomic():
        placement = _locked(placement)
        if placement.state not in INTERNSHIP_STATES:
            raise ValidationError(_("This placement has no internship to evaluate."))
        evaluation = (
            Evaluation.objects.select_for_update()
            .filter(placement=placement, moment=moment, evaluator_role=evaluator_role)
            .first()
        )
        if evaluation is not None and evaluation.is_submitted:
            raise ValidationError(_("This evaluation has been submitted and is final."))
        rubric = evaluation.rubric if evaluation else rubric_for(placement)
        if rubric is None:
            raise ValidationError(
                _("The institution has no rubric in use yet: the coordinator adds one.")
            )
        criteria = {c.pk: c for c in rubric.criteria.all()}
        errors: dict[str, str] = {}
        chosen: dict[int, Level] = {}
        for criterion_id, level in levels.items():
            if level is None:
                continue
            if criterion_id not in criteria or level.criterion_id != criterion_id:
                errors[f"criterion_{criterion_id}"] = _("Choose one of this criterion's levels.")
            else:
                chosen[criterion_id] = level
        if submit:
            for criterion_id in criteria:
                if criterion_id not in chosen and f"criterion_{criterion_id}" not in errors:
                    errors[f"criterion_{criterion_id}"] = _(
                        "Choose a level: an evaluation is submitted complete."
                    )
        if errors:
            raise ValidationError(errors)
        if evaluation is None:
            evaluation = Evaluation(
                placement=placement, moment=moment, evaluator_role=evaluator_role, rubric=rubric
            )
        evaluation.author = author
        evaluation.summary = summary
        evaluation.submitted_at = timezone.now() if submit else None
        evaluation.full_clean()
        evaluation.save()
        evaluation.scores.exclude(criterion_id__in=chosen).delete()
        for criterion_id, level in chosen.items():
            Score.objects.update_or_create(
                evaluation=evaluation, criterion_id=criterion_id, defaults={"level": level}
            )
        if submit and moment_complete(placement, moment):
            _owe_completion_mail(placement, moment)
            evaluation_complete_notify(
                placement=placement, moment=moment, moment_label=str(Moment(moment).label)
            )
    return evaluation


def _owe_completion_mail(placement: Placement, moment: str) -> None:
    from .mail import queue_scan_after_commit

    InternshipMail.objects.bulk_create(
        [
            InternshipMail(
                kind=InternshipMail.Kind.EVALUATION_COMPLETE,
                recipient_id=placement.student_id,
                placement=placement,
                moment=moment,
            )
        ],
        ignore_conflicts=True,
    )
    queue_scan_after_commit()


def evaluation_respond(
    *, placement: Placement, moment: str, student: User, body: str
) -> EvaluationResponse:
    """The student's response to a complete evaluation moment (added or changed)."""
    with transaction.atomic():
        placement = _locked(placement)
        if not moment_complete(placement, moment):
            raise ValidationError(_("You can respond once both evaluations are in."))
        response, _created = EvaluationResponse.objects.select_for_update().get_or_create(
            placement=placement, moment=moment, defaults={"author": student, "body": body}
        )
        response.body = body
        response.full_clean()
        response.save()
    return response


def mentor_training_add(
    *,
    mentor: User,
    title: str,
    completed_on: datetime.date,
    hours: Decimal,
    provider: str = "",
    recorded_by: User | None = None,
    today: datetime.date | None = None,
) -> MentorTraining:
    """Record a mentor training the teacher completed."""
    today = today or timezone.localdate()
    if completed_on > today:
        raise ValidationError(
            {"completed_on": _("Record a training once it is completed, not before.")}
        )
    training = MentorTraining(
        mentor=mentor,
        title=title,
        completed_on=completed_on,
        hours=hours,
        provider=provider,
        recorded_by=recorded_by,
    )
    with transaction.atomic():
        training.full_clean()
        training.save()
    return training
