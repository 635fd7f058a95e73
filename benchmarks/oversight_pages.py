"""Time the oversight and network pages against the personal dashboard on the same
data: 60 schools × 2 research teams × 200 log entries (24,000 entries).

Run from the repository root (uses a throw-away test database; set DATABASE_URL for
PostgreSQL, leave it unset for SQLite):

    .venv/bin/python benchmarks/oversight_pages.py [--runs 15]

Prints, per page, the number of SQL queries and the median / fastest response time.
A benchmark, not a test: numbers depend on the machine; compare pages with each
other, not with a threshold. Results are kept in docs/oversight.md.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--schools", type=int, default=60)
    parser.add_argument("--entries", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import (
        setup_databases,
        teardown_databases,
    )

    # Not setup_test_environment(): its instrumented template rendering makes the
    # test client copy every template context, which is not what production does.
    settings.ALLOWED_HOSTS = ["testserver"]
    # As in Django's TestCase: keep the connection between requests, so queries
    # can be counted (and the throw-away database is not closed under us).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("createcachetable", verbosity=0)
        import time_machine

        from tests.oversight.bulk import build

        started = time.perf_counter()
        network = build(schools=args.schools, teams_per_school=2, entries_per_team=args.entries)
        built = time.perf_counter() - started
        # Judge the data in the middle of its school year.
        traveller = time_machine.travel("2026-03-16 10:00 +01:00", tick=True)
        traveller.start()
        pages = [
            ("dashboard (coach of all teams)", network.coach, "/dashboard/"),
            ("oversight (bridge-builder)", network.bridge_builder, "/oversight/"),
            (
                "oversight CSV (bridge-builder)",
                network.bridge_builder,
                "/oversight/export/teams.csv",
            ),
            ("network (process facilitator)", network.process_facilitator, "/oversight/network/"),
            ("network (network admin)", network.admin, "/oversight/network/"),
        ]
        print(
            f"{connection.vendor}: {args.schools} schools × 2 teams × {args.entries} entries "
            f"(built in {built:.1f} s), {args.runs} runs per page"
        )
        print(f"{'page':<34} {'queries':>7} {'median ms':>10} {'min ms':>8}")
        for label, user, url in pages:
            client = Client()
            client.force_login(user)
            assert client.get(url).status_code == 200, url  # warm up
            queries = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(url)
            timings = []
            for _ in range(args.runs):
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            print(
                f"{label:<34} {len(queries):>7} {statistics.median(timings):>10.1f} "
                f"{min(timings):>8.1f}"
            )
        traveller.stop()
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
