"""Calendar files, parsed back with the icalendar library, field by field."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from network_sessions.services import (
    calendar_feed_for,
    calendar_feed_reset,
    session_cancel,
    session_update,
)

from .conftest import BRUSSELS, brussels

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(brussels(2025, 11, 1, 9, 0), tick=False):
        yield


def download(client, session):
    response = client.get(reverse("network_sessions:ics", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return Calendar.from_ical(response.content)


def only_event(calendar):
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_the_download_is_a_valid_calendar_with_the_session(client, plan, network):
    session = plan(online_url="https://meet.example.org/x")
    client.force_login(network.people["coach"])
    calendar = download(client, session)
    assert calendar["VERSION"] == "2.0"
    assert "PRODID" in calendar
    event = only_event(calendar)
    assert str(event["SUMMARY"]) == "Lerend netwerk november"
    assert event["UID"] == f"{session.uid}@leerbrug"
    start = event["DTSTART"]
    assert start.params["TZID"] == "Europe/Brussels"
    assert start.dt == brussels(2025, 11, 20, 14, 0)
    assert start.dt.tzinfo.key == "Europe/Brussels"
    assert event["DTEND"].dt == brussels(2025, 11, 20, 17, 0)
    assert str(event["LOCATION"]) == "VUB Campus Etterbeek"
    assert "Data verzamelen" in str(event["DESCRIPTION"])
    assert "https://meet.example.org/x" in str(event["DESCRIPTION"])
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "DTSTAMP" in event
    # The time zone is defined in the file itself, as RFC 5545 asks.
    zones = calendar.walk("VTIMEZONE")
    assert [str(zone["TZID"]) for zone in zones] == ["Europe/Brussels"]


def test_uid_stays_and_sequence_goes_up_when_the_session_changes(client, plan, network):
    session = plan()
    client.force_login(network.people["coach"])
    before = only_event(download(client, session))
    new_start = brussels(2025, 11, 27, 13, 30)
    session = session_update(
        session=session, starts_at=new_start, ends_at=new_start + datetime.timedelta(hours=2)
    )
    after = only_event(download(client, session))
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after["DTSTART"].dt == new_start
    assert after["DTSTART"].dt.astimezone(datetime.UTC) == datetime.datetime(
        2025, 11, 27, 12, 30, tzinfo=datetime.UTC
    )


def test_a_summer_session_carries_summer_time(client, plan, network):
    session = plan(starts_at=brussels(2026, 6, 25, 10, 0))
    client.force_login(network.people["coach"])
    event = only_event(download(client, session))
    assert event["DTSTART"].dt.utcoffset() == datetime.timedelta(hours=2)
    assert event["DTSTART"].dt.tzinfo == BRUSSELS or event["DTSTART"].dt.tzinfo.key == (
        "Europe/Brussels"
    )


def test_a_cancelled_session_says_so(client, plan, network):
    session = plan()
    client.force_login(network.people["coach"])
    before = only_event(download(client, session))
    session = session_cancel(session=session, reason="De spreker is ziek.")
    event = only_event(download(client, session))
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == before["SEQUENCE"] + 1
    assert event["UID"] == before["UID"]


def test_the_feed_holds_my_sessions_and_no_others(client, plan, network):
    mine = plan(title="Voor coaches", audience_roles=["coach"])
    plan(title="Voor schoolleiders", audience_roles=["school_leader"])
    feed = calendar_feed_for(user=network.people["coach"])
    response = client.get(reverse("network_sessions:feed", args=[feed.token]))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Voor coaches"]
    assert events[0]["UID"] == f"{mine.uid}@leerbrug"
    assert "no-cache" in response["Cache-Control"]


def test_a_wrong_or_reset_token_finds_nothing(client, plan, network):
    plan()
    coach = network.people["coach"]
    feed = calendar_feed_for(user=coach)
    old = feed.token
    assert client.get(reverse("network_sessions:feed", args=[old])).status_code == 200
    wrong = f"{feed.key}.{'x' * len(feed.secret)}"
    assert client.get(reverse("network_sessions:feed", args=[wrong])).status_code == 404
    assert client.get(reverse("network_sessions:feed", args=["nonsense"])).status_code == 404
    new = calendar_feed_reset(user=coach).token
    assert new != old
    assert client.get(reverse("network_sessions:feed", args=[old])).status_code == 404
    assert client.get(reverse("network_sessions:feed", args=[new])).status_code == 200


def test_resetting_through_the_page(client, network):
    coach = network.people["coach"]
    old = calendar_feed_for(user=coach).token
    client.force_login(coach)
    page = client.get(reverse("network_sessions:calendar")).content.decode()
    assert old in page
    response = client.post(reverse("network_sessions:calendar_reset"), follow=True)
    html = response.content.decode()
    assert "Je agenda-adres is vervangen" in html
    assert old not in html


def test_a_deactivated_persons_feed_stops(client, plan, network):
    coach = network.people["coach"]
    feed = calendar_feed_for(user=coach)
    coach.is_active = False
    coach.save()
    assert client.get(reverse("network_sessions:feed", args=[feed.token])).status_code == 404


def test_feed_query_budget(client, plan, network, django_assert_max_num_queries):
    for day in range(12):
        plan(title=f"Sessie {day}", starts_at=brussels(2025, 12, 1 + day, 14, 0))
    feed = calendar_feed_for(user=network.people["coach"])
    with django_assert_max_num_queries(3):
        response = client.get(reverse("network_sessions:feed", args=[feed.token]))
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 12
