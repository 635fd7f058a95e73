"""iCalendar (RFC 5545) for sessions: one event, or a person's whole feed."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from config.absolute_urls import absolute_url

from .models import NetworkSession

PRODID = "-//Leerbrug//Network sessions//NL"


def _uid(session: NetworkSession) -> str:
    # Stable for the session's whole life: calendar programs match updates on it.
    return f"{session.uid}@leerbrug"


def _event(session: NetworkSession) -> Event:
    event = Event()
    event.add("uid", _uid(session))
    event.add("dtstamp", timezone.now())
    event.add("created", session.created_at)
    event.add("last-modified", session.updated_at)
    local = timezone.get_default_timezone()
    event.add("dtstart", session.starts_at.astimezone(local))
    event.add("dtend", session.ends_at.astimezone(local))
    event.add("summary", session.title)
    url = absolute_url(reverse("network_sessions:detail", args=[session.pk]))
    description = "\n\n".join(
        part
        for part in (
            session.get_kind_display(),
            session.agenda.strip(),
            f"{_('Materials')}:\n{session.materials.strip()}" if session.materials.strip() else "",
            f"{_('Online')}: {session.online_url}" if session.online_url else "",
            url,
        )
        if part
    )
    event.add("description", description)
    location = session.location or session.online_url
    if location:
        event.add("location", vText(location))
    event.add("url", url)
    event.add("sequence", session.sequence)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    event.add("categories", [session.get_kind_display()])
    return event


def calendar_bytes(sessions: Iterable[NetworkSession], *, name: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for session in sessions:
        calendar.add_component(_event(session))
    # A VTIMEZONE for Europe/Brussels, so every DTSTART;TZID= is self-contained.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def session_ics(session: NetworkSession) -> bytes:
    return calendar_bytes([session])


def session_ics_filename(session: NetworkSession) -> str:
    day = timezone.localdate(session.starts_at)
    return f"leerbrug-{day:%Y-%m-%d}-{session.pk}.ics"
