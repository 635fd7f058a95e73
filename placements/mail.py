"""The mails of placements, exactly once through the outbox of
``network_sessions.mail`` (rows with a unique constraint, claimed before sending,
marked after; see that module for the protocol and its one remaining window).

* **Capacity reminders**: once a week (keyed by the Monday of the week) to the
  leader, coaches and bridge-builders of every partner school that has not yet
  stated its capacity for the institution's school year, while a period of the
  institution that year is still to start.
* **Confirmation**: when a placement is confirmed, one mail each to the student,
  the mentor teacher, the school's coaches and the supervising bridge-builder.
"""

import datetime

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import send_templated_mail
from config.absolute_urls import absolute_url
from network_sessions.mail import (
    SEND_ERRORS,
    _queue_scan,
    claim,
    lease_and_queue,
    mark_sent,
    mark_skipped,
    release_after_failure,
)
from partnership.models import SchoolYear
from schools.models import School

from .models import HostingOffer, Placement, PlacementMail, PlacementPeriod
from .roles import coaches_of, school_contacts

Kind = PlacementMail.Kind


def week_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def owe_confirmation(placement: Placement) -> None:
    """Owe the confirmation to everyone who must know (in the caller's transaction)."""
    recipients = {placement.student_id, placement.mentor_id, placement.bridge_builder_id}
    recipients |= set(
        coaches_of(placement.school, placement.school_year).values_list("pk", flat=True)
    )
    PlacementMail.objects.bulk_create(
        [
            PlacementMail(kind=Kind.CONFIRMATION, recipient_id=pk, placement=placement)
            for pk in sorted(pk for pk in recipients if pk is not None)
        ],
        ignore_conflicts=True,
    )


def reminders_arm(*, now: datetime.datetime) -> int:
    """Owe this week's reminder to the contacts of each school that has not answered."""
    today = timezone.localdate(now)
    year = SchoolYear.objects.current()
    if year is None:
        return 0
    asking = (
        PlacementPeriod.objects.filter(school_year=year)
        .values("institution")
        .annotate(last_start=Max("starts_on"))
        .filter(last_start__gt=today)
        .values_list("institution", flat=True)
    )
    answered = HostingOffer.objects.filter(
        school=OuterRef("pk"),
        institution=OuterRef("partnership__institution"),
        school_year=year,
        answered_at__isnull=False,
    )
    schools = (
        School.objects.active()
        .filter(partnership__institution__in=list(asking))
        .exclude(Exists(answered))
        .select_related("partnership")
    )
    rows = [
        PlacementMail(
            kind=Kind.CAPACITY_REMINDER,
            recipient_id=recipient_id,
            school=school,
            institution_id=school.partnership.institution_id,
            school_year=year,
            week_of=week_of(today),
            next_attempt_at=now,
        )
        for school in schools
        for recipient_id in school_contacts(school, year).values_list("pk", flat=True)
    ]
    PlacementMail.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _why_obsolete(row: PlacementMail) -> str:
    if not row.recipient.is_active:
        return "recipient inactive"
    if row.kind == Kind.CAPACITY_REMINDER:
        if HostingOffer.objects.filter(
            school=row.school_id,
            institution=row.institution_id,
            school_year=row.school_year_id,
            answered_at__isnull=False,
        ).exists():
            return "answered"
    elif row.placement is not None and row.placement.state == Placement.State.CANCELLED:
        return "placement cancelled"
    return ""


def _send(row: PlacementMail) -> None:
    recipient: User = row.recipient
    if row.kind == Kind.CAPACITY_REMINDER:
        assert row.school is not None
        send_templated_mail(
            template="emails/placement_capacity_reminder",
            to=[recipient.email],
            language=recipient.language,
            context={
                "recipient": recipient,
                "school": row.school,
                "institution": row.institution,
                "school_year": row.school_year,
                "url": absolute_url(reverse("placements:capacity", args=[row.school_id])),
            },
        )
        return
    placement = row.placement
    assert placement is not None
    send_templated_mail(
        template="emails/placement_confirmed",
        to=[recipient.email],
        language=recipient.language,
        context={
            "recipient": recipient,
            "placement": placement,
            "url": absolute_url(reverse("placements:detail", args=[placement.pk])),
        },
    )


def placement_mail_send(*, mail_id: int) -> bool:
    """Send one placement mail if it is still owed; concurrent calls send it once."""
    row = (
        PlacementMail.objects.select_related(
            "recipient",
            "school",
            "institution",
            "school_year",
            "placement__student",
            "placement__school",
            "placement__period",
            "placement__mentor",
            "placement__bridge_builder",
            "placement__research_team",
        )
        .filter(pk=mail_id)
        .first()
    )
    if row is None or row.sent_at or row.skipped_at or row.failed_at:
        return False
    if _why_obsolete(row):
        mark_skipped(PlacementMail, mail_id)
        return False
    token = claim(PlacementMail, mail_id)
    if token is None:
        return False
    try:
        _send(row)
    except SEND_ERRORS as exc:
        release_after_failure(PlacementMail, mail_id, token, exc)
        return False
    mark_sent(PlacementMail, mail_id, token)
    return True


def placement_mail_scan(*, now: datetime.datetime | None = None) -> int:
    """What beat runs: arm this week's reminders, queue every owed mail once."""
    from .tasks import send_placement_mail

    now = now or timezone.now()
    reminders_arm(now=now)
    return lease_and_queue(send_placement_mail, PlacementMail, now, "pk")


def queue_scan_after_commit() -> None:
    """Send the confirmations soon after they are owed (beat would within the hour)."""
    from .tasks import scan_placement_mail

    transaction.on_commit(lambda: _queue_scan(scan_placement_mail))
