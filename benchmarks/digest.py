"""Time the daily digest for 2,000 people; the issue asks for under 60 s.

On a throw-away test database (set DATABASE_URL for PostgreSQL, leave it unset for
SQLite): 2,000 coaches at 40 schools, each with the daily digest chosen for
session invitations, are invited to three sessions planned yesterday (6,000
notifications, made through the real ``session_create`` service). Then, at 07:00,
what beat runs: ``digests_create`` (owe the digests) and the outbox scan that
claims, renders (in each person's language, a third in English) and sends every
digest (Django's in-memory mail backend: no SMTP time is counted), checking each
notification's access rule again at sending.

Run from the repository root:

    .venv/bin/python benchmarks/digest.py [--people 2000]
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/digest.py --people 2000

Prints the load average, each step's wall-clock and CPU time, the time per
person and the number of mails sent (one per person). Results are kept in
docs/performance.md.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    args = parser.parse_args()

    import django

    django.setup()
    import time_machine
    from django.conf import settings
    from django.core import mail as django_mail
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    django_mail.outbox = []
    zone = timezone.get_default_timezone()
    yesterday = datetime.datetime(2025, 11, 11, 15, 0, tzinfo=zone)
    morning = datetime.datetime(2025, 11, 12, 7, 0, tzinfo=zone)
    old = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
    try:
        with time_machine.travel(yesterday, tick=False):
            started = time.perf_counter()
            _fill(args.people)
            print(f"setup ({connection.vendor}): {time.perf_counter() - started:.1f} s")
        from notifications import mail
        from notifications.models import DigestMail, Notification
        from notifications.registry import Delivery

        print(f"{Notification.objects.count()} notifications for {args.people} people")
        with time_machine.travel(morning, tick=True):
            owed, owe_wall, owe_cpu = _timed(lambda: mail.digests_create(period=Delivery.DAILY))
            _queued, send_wall, send_cpu = _timed(
                lambda: _scan_until_done(mail.notification_mail_scan)
            )
        sent = DigestMail.objects.filter(sent_at__isnull=False).count()
        mails = len(django_mail.outbox)
        wall, cpu = owe_wall + send_wall, owe_cpu + send_cpu
        load = " ".join(f"{value:.2f}" for value in os.getloadavg())
        print(f"load average (1, 5, 15 min): {load}")
        print(f"owe {owed} digests (digests_create): {_wall_cpu(owe_wall, owe_cpu)}")
        print(f"claim, render and send {sent} digests: {_wall_cpu(send_wall, send_cpu)}")
        print(
            f"total: {_wall_cpu(wall, cpu)}, {wall / args.people * 1000:.1f} ms a person "
            f"(CPU {cpu / args.people * 1000:.1f} ms)"
        )
        mismatch = "" if mails == args.people else " (not one each!)"
        print(f"mails sent: {mails} for {args.people} people{mismatch}")
    finally:
        teardown_databases(old, verbosity=0)


def _timed(step):
    """Run a step; its result, wall-clock and CPU seconds (CPU: this process only,
    so the figure stays comparable when other work loads the machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _wall_cpu(wall: float, cpu: float) -> str:
    return f"{wall:.1f} s (CPU {cpu:.1f} s)"


def _scan_until_done(scan) -> int:
    """Beat's scan takes SCAN_BATCH (500) per run: run it until nothing is owed."""
    queued = 0
    while batch := scan():
        queued += batch
    return queued


def _fill(people: int) -> None:
    from accounts.models import User
    from network_sessions.services import session_create
    from notifications.models import Preference
    from partnership.models import Institution, Partnership, SchoolYear
    from schools.models import Role, RoleMembership, School

    year = SchoolYear.objects.create(
        name="2025-2026",
        starts_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2026, 8, 31),
        is_current=True,
    )
    institution = Institution.objects.create(name="Lerarenopleiding")
    partnership = Partnership.objects.create(name="Netwerk", institution=institution)
    schools = School.objects.bulk_create(
        [
            School(
                name=f"School {n}",
                partnership=partnership,
                city="Brussel",
                level="primary",
                institution_number=f"{n:06d}",
            )
            for n in range(40)
        ]
    )
    users = User.objects.bulk_create(
        [
            User(
                email=f"coach{n}@school.test",
                full_name=f"Coach {n}",
                preferred_language="en" if n % 3 == 0 else "nl",
            )
            for n in range(people)
        ]
    )
    RoleMembership.objects.bulk_create(
        [
            RoleMembership(user=user, role=Role.COACH, school=schools[n % 40], school_year=year)
            for n, user in enumerate(users)
        ]
    )
    Preference.objects.bulk_create(
        [Preference(user=user, kind="session_invited", delivery="daily") for user in users]
    )
    organiser = User.objects.create(email="organiser@school.test", full_name="Organiser")
    for day in range(3):
        starts = datetime.datetime(2025, 11, 20 + day, 14, 0, tzinfo=datetime.UTC)
        session_create(
            organiser=organiser,
            kind="learning_network",
            title=f"Lerend netwerk {day + 1}",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            audience_roles=[Role.COACH],
        )


if __name__ == "__main__":
    main()
