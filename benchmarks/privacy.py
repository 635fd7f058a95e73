"""Time "My data" for a heavy user and measure the memory of the nightly retention run.

1. The export of a person with 2,000 diary entries (each with a comment) and 300
   uploaded files of 64 kB: how long ``export_build`` takes (the issue's bound: 60 s)
   and the ZIP's size.
2. The retention run over N access-log records and N finished outbox rows that are
   all due (default N = 100,000), plus 2,000 diary files of a completed cycle: its
   time and the peak of Python memory (tracemalloc), for N and N/10, to show the
   peak does not grow with N (rows are deleted in batches of ids).

Run from the repository root (a throw-away test database; set DATABASE_URL for
PostgreSQL, leave it unset for SQLite):

    .venv/bin/python benchmarks/privacy.py [--rows 100000]
"""

import argparse
import datetime
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

EXPORT_LIMIT_SECONDS = 60
ENTRIES, FILES, FILE_BYTES = 2_000, 300, 64 * 1024


def heavy_user():
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from research_cycle.models import Attachment, Comment, CycleStage, LogEntry
    from research_cycle.services import cycle_start
    from tests import factories

    year = factories.SchoolYearFactory(name="2025-2026", is_current=True)
    school = factories.SchoolFactory()
    team = factories.ResearchTeamFactory(school=school, school_year=year)
    person = factories.UserFactory(full_name="Zware Gebruiker")
    factories.TeamMembershipFactory(team=team, user=person, role="coach")
    cycle = cycle_start(team=team, user=person)
    stage = CycleStage.objects.order_by("order").first()
    entries = LogEntry.objects.bulk_create(
        LogEntry(
            cycle=cycle,
            stage=stage,
            author=person,
            occurred_on=datetime.date(2025, 10, 1),
            summary=f"Verslag {n}: " + "we lazen samen en praatten erover. " * 10,
        )
        for n in range(ENTRIES)
    )
    Comment.objects.bulk_create(Comment(log_entry=e, author=person, body="Goed") for e in entries)
    payload = os.urandom(FILE_BYTES)
    attachments = []
    for n in range(FILES):
        name = default_storage.save(
            f"private/attachments/{team.pk}/bench-{n}", ContentFile(payload)
        )
        attachments.append(
            Attachment(
                log_entry=entries[n],
                file=name,
                original_name=f"bijlage-{n}.pdf",
                content_type="application/pdf",
                size=FILE_BYTES,
                uploaded_by=person,
            )
        )
    Attachment.objects.bulk_create(attachments)
    return person, cycle, timezone.now()


def fill_due_rows(person, rows: int, now) -> None:
    from network_sessions.models import DigestDelivery
    from privacy.models import AccessRecord

    old = now - datetime.timedelta(days=800)
    for start in range(0, rows, 5_000):
        size = min(5_000, rows - start)
        AccessRecord.objects.bulk_create(
            AccessRecord(user=person, kind="attachment", what="x.pdf", path="/", at=old)
            for _ in range(size)
        )
        DigestDelivery.objects.bulk_create(
            DigestDelivery(
                recipient=person,
                week_of=datetime.date(2000, 1, 3) + datetime.timedelta(weeks=start + n),
                sent_at=old,
            )
            for n in range(size)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    try:
        from privacy.models import DataExport
        from privacy.retention import retention_run
        from privacy.services import export_build

        print(f"{connection.vendor}, load average {os.getloadavg()[0]:.2f} at start")
        person, cycle, now = heavy_user()
        export = DataExport.objects.create(user=person)
        started = time.perf_counter()
        export_build(export_id=export.pk)
        took = time.perf_counter() - started
        export.refresh_from_db()
        print(
            f"export of {ENTRIES} entries + {FILES} files: {took:.1f} s, "
            f"ZIP {export.size / 1e6:.1f} MB"
        )
        assert took < EXPORT_LIMIT_SECONDS, "the export must finish within 60 s"

        cycle.completed_at = now - datetime.timedelta(days=3 * 365)
        cycle.save(update_fields=["completed_at"])
        for rows in (args.rows // 10, args.rows):
            fill_due_rows(person, rows, now)
            tracemalloc.start()
            started = time.perf_counter()
            removed = retention_run(now=now)
            took = time.perf_counter() - started
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(
                f"retention over {rows} access records + {rows} outbox rows: {took:.1f} s, "
                f"peak Python memory {peak / 1e6:.1f} MB, removed {removed}"
            )
        print(f"load average {os.getloadavg()[0]:.2f} at the end")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
