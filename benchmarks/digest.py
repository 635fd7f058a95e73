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

Prints the time of each step. Results are kept in docs/performance.md.
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
            started = time.perf_counter()
            owed = mail.digests_create(period=Delivery.DAILY)
            created = time.perf_counter() - started
            queued = 0
            while True:  # beat's scan takes SCAN_BATCH (500) per run
                batch = mail.notification_mail_scan()
                queued += batch
                if not batch:
                    break
            total = time.perf_counter() - started
        sent = DigestMail.objects.filter(sent_at__isnull=False).count()
        print(
            f"daily digest: {owed} owed in {created:.1f} s, {sent} sent "
            f"({len(django_mail.outbox)} mails), total {total:.1f} s "
            f"({total / max(sent, 1) * 1000:.1f} ms a person)"
        )
    finally:
        teardown_databases(old, verbosity=0)


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
