"""Writes of the retention app: the school leader's staff confirmation and the
reminder for schools that have not confirmed.

Services trust their caller (the view checks who may confirm); they enforce the
domain's rules with a ``ValidationError`` and write all or nothing. The reminder
is a ``ConfirmationReminder`` row sent through the exactly-once outbox of
``network_sessions.mail`` (claim, send, mark sent; a back-off on SMTP errors).
"""

import datetime
import logging
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import send_templated_mail
from config.absolute_urls import absolute_url
from network_sessions.mail import (
    SEND_ERRORS,
    claim,
    lease_and_queue,
    mark_sent,
    mark_skipped,
    release_after_failure,
)
from partnership.models import SchoolYear
from schools.models import INDUCTION_ROLES, Role, RoleMembership, School

from .models import ConfirmationReminder, StaffConfirmation, StaffConfirmationEntry, StaffStatus
from .selectors import confirmation_roster, previous_year

logger = logging.getLogger(__name__)

#: The reminder goes out this long before the school year ends, to the school
#: leaders of schools that have not confirmed their starters yet.
REMINDER_BEFORE_END = datetime.timedelta(days=45)


def staff_confirm(
    *, school: School, school_year: SchoolYear, user: User, statuses: Mapping[int, str]
) -> StaffConfirmation:
    """Record the school leader's word on every starter and career changer of the
    school (person id -> ``StaffStatus``). Everyone on the roster must be answered
    and nobody else: otherwise nothing is saved. Confirming again replaces the
    earlier answers of that year."""
    roster = {
        row.person.pk: row.person
        for row in confirmation_roster(school=school, school_year=school_year)
    }
    strangers = set(statuses) - set(roster)
    if strangers:
        raise ValidationError(
            _("Only the school's starting teachers and career changers can be confirmed."),
            code="not_at_school",
        )
    missing = [roster[pk] for pk in roster if not statuses.get(pk)]
    if missing:
        raise ValidationError(
            _("Choose a status for %(names)s.")
            % {"names": ", ".join(p.full_name or p.email for p in missing)},
            code="missing",
        )
    if any(status not in StaffStatus.values for status in statuses.values()):
        raise ValidationError(_("Choose one of the listed statuses."), code="invalid_status")
    with transaction.atomic():
        confirmation, _created = StaffConfirmation.objects.update_or_create(
            school=school,
            school_year=school_year,
            defaults={"confirmed_by": user, "confirmed_at": timezone.now()},
        )
        confirmation.entries.all().delete()
        StaffConfirmationEntry.objects.bulk_create(
            StaffConfirmationEntry(confirmation=confirmation, person_id=pk, status=statuses[pk])
            for pk in roster
        )
    return confirmation


# --- The reminder -------------------------------------------------------------------


def reminder_starts_on(school_year: SchoolYear) -> datetime.date:
    return school_year.ends_on - REMINDER_BEFORE_END


def schools_to_confirm(school_year: SchoolYear) -> QuerySet[School]:
    """Schools with starters or career changers this year or last, and no
    confirmation this year."""
    years = [school_year.pk] + [y.pk for y in [previous_year(school_year)] if y is not None]
    starters = RoleMembership.objects.filter(
        school=OuterRef("pk"), school_year__in=years, role__in=[str(r) for r in INDUCTION_ROLES]
    )
    confirmed = StaffConfirmation.objects.filter(school=OuterRef("pk"), school_year=school_year)
    return School.objects.filter(Exists(starters)).exclude(Exists(confirmed))


def confirmation_reminders_arm(*, now: datetime.datetime) -> int:
    """Owe the reminder to every school leader of a school that has not confirmed,
    once the current year's reminder date has come (a row per leader, school and
    year: a second scan creates nothing). Returns the rows attempted."""
    school_year = SchoolYear.objects.current()
    today = timezone.localdate(now)
    if school_year is None or not reminder_starts_on(school_year) <= today <= school_year.ends_on:
        return 0
    leaders = RoleMembership.objects.filter(
        role=Role.SCHOOL_LEADER,
        school_year=school_year,
        school__in=schools_to_confirm(school_year),
        user__is_active=True,
    ).values_list("user_id", "school_id")
    rows = [
        ConfirmationReminder(
            recipient_id=user_id, school_id=school_id, school_year=school_year, next_attempt_at=now
        )
        for user_id, school_id in leaders
    ]
    ConfirmationReminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _why_obsolete(reminder: ConfirmationReminder) -> str:
    if not reminder.recipient.is_active:
        return "recipient inactive"
    if StaffConfirmation.objects.filter(
        school=reminder.school_id, school_year=reminder.school_year_id
    ).exists():
        return "school confirmed"
    if not RoleMembership.objects.filter(
        user=reminder.recipient_id,
        role=Role.SCHOOL_LEADER,
        school=reminder.school_id,
        school_year=reminder.school_year_id,
    ).exists():
        return "no longer school leader"
    return ""


def confirmation_reminder_send(*, reminder_id: int) -> bool:
    """Send one reminder if it is still owed; safe to call any number of times,
    concurrently: it goes out once. Returns whether this call sent it."""
    reminder = (
        ConfirmationReminder.objects.select_related("recipient", "school", "school_year")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.sent_at or reminder.skipped_at or reminder.failed_at:
        return False
    reason = _why_obsolete(reminder)
    if reason:
        logger.info("skipping confirmation reminder %s: %s", reminder_id, reason)
        mark_skipped(ConfirmationReminder, reminder_id)
        return False
    token = claim(ConfirmationReminder, reminder_id)
    if token is None:
        return False
    try:
        send_templated_mail(
            template="emails/retention_confirmation_reminder",
            to=[reminder.recipient.email],
            language=reminder.recipient.language,
            context={
                "recipient": reminder.recipient,
                "school": reminder.school,
                "school_year": reminder.school_year,
                "url": absolute_url(reverse("retention:confirm", args=[reminder.school_id])),
            },
        )
    except SEND_ERRORS as exc:
        release_after_failure(ConfirmationReminder, reminder_id, token, exc)
        return False
    mark_sent(ConfirmationReminder, reminder_id, token)
    return True


def confirmation_reminders_scan(*, now: datetime.datetime | None = None) -> int:
    """What celery beat runs every hour: owe the reminders that are due, then queue
    every one that is owed and not waiting in the queue already. Returns how many
    were queued."""
    from .tasks import send_confirmation_reminder

    now = now or timezone.now()
    confirmation_reminders_arm(now=now)
    return lease_and_queue(send_confirmation_reminder, ConfirmationReminder, now, "pk")
