"""Writes for network sessions: planning, answers, attendance and calendar feeds.

Every function is keyword-only, validates before it writes and is atomic. The
mails these changes owe (updates, cancellations) are rows created in the same
transaction; ``mail.py`` sends them exactly once.
"""

import datetime
from collections.abc import Collection, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from knowledge_base.models import Theme
from partnership.models import LearningCommunity, SchoolYear
from research_cycle.models import CycleStage
from schools.models import Role, School

from .mail import (
    MAX_REMINDER_DAYS,
    not_declined,
    owe_mail,
    queue_scan_after_commit,
    skip_unsent_reminders,
)
from .models import AudienceRole, CalendarFeed, Delivery, NetworkSession, Participation
from .notifications import CANCELLED, CHANGED, INVITED, session_notify
from .selectors import invitees

#: Changes to these fields send an update to the invitees.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "location", "online_url")
EDITABLE_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "agenda",
    "materials",
    "reminder_days",
)


# --- Planning -----------------------------------------------------------------


def _normalise_reminder_days(value: Iterable[int | str] | None) -> list[int]:
    if value is None:
        return list(NetworkSession._meta.get_field("reminder_days").default())
    try:
        days = sorted({int(day) for day in value}, reverse=True)
    except (TypeError, ValueError):
        raise ValidationError(
            {"reminder_days": _("Give whole numbers of days, separated by commas.")}
        ) from None
    if any(day < 0 or day > MAX_REMINDER_DAYS for day in days):
        raise ValidationError(
            {
                "reminder_days": _("Reminders can be sent from 0 to %(max)d days before.")
                % {"max": MAX_REMINDER_DAYS}
            }
        )
    return days


def _school_year_for(starts_at: datetime.datetime) -> SchoolYear:
    day = timezone.localdate(starts_at)
    year = SchoolYear.objects.filter(starts_on__lte=day, ends_on__gte=day).first()
    year = year or SchoolYear.objects.current()
    if year is None:
        raise ValidationError(_("No school year has been set up yet."))
    return year


def _validate_audience(
    *,
    roles: Collection[str],
    communities: Collection[LearningCommunity],
    schools: Collection[School],
    people: Collection[User],
) -> None:
    if not (roles or communities or schools or people):
        raise ValidationError(
            {"audience_roles": _("Choose who is invited: roles, communities, schools or people.")}
        )
    valid = {role.value for role in Role}
    if any(role not in valid for role in roles):
        raise ValidationError({"audience_roles": _("Unknown role.")})


def _set_audience(
    session: NetworkSession,
    *,
    roles: Collection[str],
    communities: Collection[LearningCommunity],
    schools: Collection[School],
    people: Collection[User],
) -> None:
    session.audience_roles.exclude(role__in=roles).delete()
    AudienceRole.objects.bulk_create(
        [AudienceRole(session=session, role=role) for role in roles], ignore_conflicts=True
    )
    session.audience_communities.set(communities)
    session.audience_schools.set(schools)
    session.audience_people.set(people)


def session_create(
    *,
    organiser: User,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str = "",
    online_url: str = "",
    agenda: str = "",
    materials: str = "",
    reminder_days: list[int] | None = None,
    audience_roles: Iterable[str] = (),
    audience_communities: Collection[LearningCommunity] = (),
    audience_schools: Collection[School] = (),
    audience_people: Collection[User] = (),
    stages: Collection[CycleStage] = (),
    themes: Collection[Theme] = (),
) -> NetworkSession:
    """Plan a session. Its invitees follow from the audience; reminders are armed
    by the beat scan when their time comes."""
    roles = list(dict.fromkeys(audience_roles))
    _validate_audience(
        roles=roles, communities=audience_communities, schools=audience_schools,
        people=audience_people,
    )  # fmt: skip
    session = NetworkSession(
        organiser=organiser,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        online_url=online_url,
        agenda=agenda,
        materials=materials,
        reminder_days=_normalise_reminder_days(reminder_days),
    )
    if starts_at:
        session.school_year = _school_year_for(starts_at)
    session.full_clean()
    with transaction.atomic():
        session.save()
        _set_audience(
            session,
            roles=roles,
            communities=audience_communities,
            schools=audience_schools,
            people=audience_people,
        )
        session.stages.set(stages)
        session.themes.set(themes)
        session_notify(kind=INVITED, session=session, recipients=invitees(session))
    queue_scan_after_commit()
    return session


def session_update(
    *,
    session: NetworkSession,
    audience_roles: Iterable[str] | None = None,
    audience_communities: Collection[LearningCommunity] | None = None,
    audience_schools: Collection[School] | None = None,
    audience_people: Collection[User] | None = None,
    stages: Collection[CycleStage] | None = None,
    themes: Collection[Theme] | None = None,
    **changes: Any,
) -> NetworkSession:
    """Change a session. A new time or place raises the iCalendar SEQUENCE, sends
    an update to every invitee and re-arms the reminders for the new time."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"session_update() got unexpected fields: {sorted(unknown)}")
    if session.is_cancelled:
        raise ValidationError(_("A cancelled session cannot be changed."))
    if "reminder_days" in changes:
        changes["reminder_days"] = _normalise_reminder_days(changes["reminder_days"])
    audience: dict[str, Any] = {
        "roles": list(audience_roles)
        if audience_roles is not None
        else list(session.audience_roles.values_list("role", flat=True)),
        "communities": audience_communities
        if audience_communities is not None
        else list(session.audience_communities.all()),
        "schools": audience_schools
        if audience_schools is not None
        else list(session.audience_schools.all()),
        "people": audience_people
        if audience_people is not None
        else list(session.audience_people.all()),
    }
    _validate_audience(**audience)
    with transaction.atomic():
        locked = NetworkSession.objects.select_for_update().get(pk=session.pk)
        schedule_changed = any(
            field in changes and changes[field] != getattr(locked, field)
            for field in SCHEDULE_FIELDS
        )
        changed = [f for f in changes if changes[f] != getattr(locked, f)]
        for field, value in changes.items():
            setattr(locked, field, value)
        if "starts_at" in changes:
            locked.school_year = _school_year_for(locked.starts_at)
        if changed:
            locked.sequence = F("sequence") + 1
        locked.full_clean(exclude=["sequence"])
        locked.save()
        locked.refresh_from_db()
        _set_audience(locked, **audience)
        if stages is not None:
            locked.stages.set(stages)
        if themes is not None:
            locked.themes.set(themes)
        if schedule_changed:
            skip_unsent_reminders(locked)
            owe_mail(locked, Delivery.Kind.UPDATE, invitees(locked))
            session_notify(kind=CHANGED, session=locked, recipients=invitees(locked))
    queue_scan_after_commit()
    return locked


def session_cancel(*, session: NetworkSession, reason: str) -> NetworkSession:
    """Cancel a session: STATUS:CANCELLED in every calendar, a cancellation with
    the reason to the invitees who had not declined, and no more reminders."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why: the invitees read it in the mail.")})
    with transaction.atomic():
        locked = NetworkSession.objects.select_for_update().get(pk=session.pk)
        if locked.is_cancelled:
            return locked
        if locked.has_started:
            raise ValidationError(_("A session that has started cannot be cancelled."))
        locked.status = NetworkSession.Status.CANCELLED
        locked.cancellation_reason = reason
        locked.sequence = F("sequence") + 1
        locked.full_clean(exclude=["sequence"])
        locked.save(update_fields=["status", "cancellation_reason", "sequence", "updated_at"])
        locked.refresh_from_db()
        skip_unsent_reminders(locked)
        owe_mail(locked, Delivery.Kind.CANCELLATION, not_declined(locked))
        session_notify(kind=CANCELLED, session=locked, recipients=not_declined(locked))
    queue_scan_after_commit()
    return locked


# --- Answers and attendance ------------------------------------------------------


def session_respond(*, session: NetworkSession, user: User, response: str) -> Participation:
    """Record (or change) an invitee's answer: going, maybe or not going. Answers
    close when the session starts; a cancelled session takes none."""
    if response not in Participation.Response.values:
        raise ValidationError({"response": _("Choose going, maybe or not going.")})
    session = NetworkSession.objects.get(pk=session.pk)  # judge the session as it is now
    if session.is_cancelled:
        raise ValidationError(_("This session has been cancelled."))
    if session.has_started:
        raise ValidationError(_("This session has already started; answers are closed."))
    if not NetworkSession.objects.invited(user).filter(pk=session.pk).exists():
        raise ValidationError(_("You are not invited to this session."))
    with transaction.atomic():
        participation, _created = Participation.objects.select_for_update().get_or_create(
            session=session, user=user
        )
        participation.response = response
        participation.responded_at = timezone.now()
        participation.save(update_fields=["response", "responded_at"])
    return participation


def session_register_attendance(
    *, session: NetworkSession, present_ids: Iterable[int | str]
) -> int:
    """After the session, the organiser ticks who was there. Every invitee not
    ticked is recorded as absent. Returns how many were present."""
    if session.is_cancelled:
        raise ValidationError(_("This session has been cancelled."))
    if not session.has_started:
        raise ValidationError(_("Attendance can be registered once the session has started."))
    invited = set(invitees(session).values_list("pk", flat=True))
    present = {int(pk) for pk in present_ids}
    if present - invited:
        raise ValidationError(_("Only invitees can be registered as present."))
    with transaction.atomic():
        existing = {p.user_id: p for p in session.participations.select_for_update()}
        to_create, to_update = [], []
        for user_id in invited:
            participation = existing.get(user_id)
            attended = user_id in present
            if participation is None:
                to_create.append(Participation(session=session, user_id=user_id, attended=attended))
            elif participation.attended != attended:
                participation.attended = attended
                to_update.append(participation)
        Participation.objects.bulk_create(to_create)
        Participation.objects.bulk_update(to_update, ["attended"])
    return len(present)


# --- Calendar feeds --------------------------------------------------------------


def calendar_feed_for(*, user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    from .models import new_feed_key, new_feed_secret

    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        if not created:
            feed.key = new_feed_key()
            feed.secret = new_feed_secret()
            feed.created_at = timezone.now()
            feed.save(update_fields=["key", "secret", "created_at"])
    return feed
