"""The internship log through the pages: the student logs hours, bad input gets a
field message and keeps what was typed, the mentor confirms by ticking entries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from internships import services
from internships.models import LogEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def new_entry(client, internship, **overrides):
    data = {
        "span": "day",
        "date": "2026-03-03",
        "hours": "6.5",
        "reflection": "Kringgesprek geleid",
    } | overrides
    return client.post(f"/internships/{internship.pk}/log/new/", data)


def test_the_student_logs_a_day(client, network, internship):
    client.force_login(network.people["student_teacher"])
    response = new_entry(client, internship)
    assert response.status_code == 302
    entry = LogEntry.objects.get()
    assert (entry.date, entry.hours, entry.reflection) == (
        datetime.date(2026, 3, 3),
        Decimal("6.5"),
        "Kringgesprek geleid",
    )
    html = client.get(f"/internships/{internship.pk}/").content.decode()
    assert "Kringgesprek geleid" in html and "3 maart 2026" in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": "2026-03-05"}, "Deze dag is nog niet gekomen"),
        ({"date": "2026-01-12"}, "Kies een datum in de periode van de stage"),
        ({"hours": "25"}, "Hoogstens 24 uur"),
        ({"hours": "-2"}, "Vul een aantal uren boven nul in"),
        ({"hours": "veel"}, "Voer een getal in"),
        ({"hours": "123456"}, "Zorg dat er niet meer dan 4 cijfers"),
        ({"date": "2026-02-30"}, "Voer een geldige datum in"),
        ({"span": "maand"}, "Selecteer een geldige keuze"),
    ],
)
def test_bad_input_gets_a_field_message_and_keeps_what_was_typed(
    client, network, internship, overrides, message
):
    client.force_login(network.people["student_teacher"])
    response = new_entry(client, internship, **overrides)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Kringgesprek geleid" in html
    assert not LogEntry.objects.exists()


def test_english_speakers_read_the_message_in_english(client, english, network, internship):
    client.force_login(network.people["student_teacher"])
    html = new_entry(client, internship, hours="30").content.decode()
    assert "At most 24 hours" in html


def test_the_mentor_ticks_the_entries_whose_hours_they_confirm(client, network, internship):
    entries = [
        services.log_entry_save(
            placement=internship,
            span="day",
            date=datetime.date(2026, 3, day),
            hours=Decimal("6"),
            reflection=f"Dag {day}",
        )
        for day in (2, 3, 4)
    ]
    client.force_login(network.people["mentor"])
    page = client.get(f"/internships/{internship.pk}/").content.decode()
    assert page.count('name="entries"') == 3
    assert "2 maart 2026: 6,0 uur" in page
    response = client.post(
        f"/internships/{internship.pk}/log/confirm/",
        {"entries": [entries[0].pk, entries[1].pk]},
    )
    assert response.status_code == 302
    assert list(
        LogEntry.objects.filter(confirmed_at__isnull=False).values_list("pk", flat=True)
    ) == [entries[0].pk, entries[1].pk]
    page = client.get(f"/internships/{internship.pk}/").content.decode()
    assert "18,0 uren gelogd, waarvan 12,0 bevestigd" in page
    # Nothing ticked, or an entry of nobody: a field message, nothing confirmed.
    response = client.post(f"/internships/{internship.pk}/log/confirm/", {})
    assert response.status_code == 400
    assert "Vink de regels aan" in response.content.decode()
    response = client.post(f"/internships/{internship.pk}/log/confirm/", {"entries": [10**23]})
    assert response.status_code == 400
    assert LogEntry.objects.filter(confirmed_at__isnull=True).count() == 1


def test_the_student_cannot_change_confirmed_hours(client, network, internship):
    entry = services.log_entry_save(
        placement=internship,
        span="day",
        date=datetime.date(2026, 3, 2),
        hours=Decimal("6"),
        reflection="Dag",
    )
    services.hours_confirm(placement=internship, entries=[entry], mentor=network.people["mentor"])
    client.force_login(network.people["student_teacher"])
    response = client.post(
        f"/internships/{internship.pk}/log/{entry.pk}/edit/",
        {"span": "day", "date": "2026-03-02", "hours": "9", "reflection": "Meer"},
    )
    assert response.status_code == 302
    client.post(f"/internships/{internship.pk}/log/{entry.pk}/delete/")
    entry.refresh_from_db()
    assert entry.hours == 6


@pytest.mark.parametrize(
    ("persona", "sees_link"),
    [
        ("student_teacher", True),
        ("mentor", True),
        ("bridge_builder", True),
        ("placement_coordinator", True),
        ("coach", False),
    ],
)
def test_the_placement_page_leads_to_the_internship_for_those_who_follow_it(
    client, network, internship, persona, sees_link
):
    """From the placement, the people who follow the internship reach its log and
    evaluations in one click; others who may see the placement get no dead link."""
    client.force_login(network.people[persona])
    response = client.get(reverse("placements:detail", args=[internship.pk]))
    if response.status_code == 404:
        assert not sees_link
        return
    link = reverse("internships:detail", args=[internship.pk])
    assert (f'href="{link}"' in response.content.decode()) is sees_link
