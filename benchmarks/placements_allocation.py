"""Time the allocation suggestion (student-proposing deferred acceptance) for
1,000 student teachers and 200 schools; the issue asks for under 2 s.

Two measurements:

* the algorithm alone (``placements.allocation.suggest``) on generated requests:
  each school offers 1–3 lines of 1–6 places (about 1,400 places), and every
  student ranks five lines, drawn with a strong bias to popular schools (so many
  first choices are full and the algorithm has to work);
* with ``--database``, the coordinator's whole allocation board
  (``placements.selectors.allocation_board``: loading the requests, lines and
  placements and computing the suggestion with its reasons) on a throw-away test
  database (set DATABASE_URL for PostgreSQL, leave it unset for SQLite).

Run from the repository root:

    .venv/bin/python benchmarks/placements_allocation.py [--runs 7] [--database]

Prints the median and fastest time of each. Numbers depend on the machine;
results are kept in docs/performance.md.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

T0 = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)


def market(students: int, schools: int, seed: int = 2026):
    """(lines as (pk, school, places), requests as (student, [line pks], minutes, team))."""
    rng = random.Random(seed)
    lines = []
    for school in range(schools):
        for _level in range(rng.randint(1, 3)):
            lines.append((len(lines) + 1, school, rng.randint(1, 6)))
    weights = [1 / (1 + line[1]) ** 0.8 for line in lines]  # popular schools first
    requests = []
    for student in range(students):
        choices: list[int] = []
        while len(choices) < 5:
            pick = rng.choices(lines, weights)[0][0]
            if pick not in choices:
                choices.append(pick)
        requests.append((student + 1, choices, rng.randint(0, 60 * 24 * 14), rng.random() < 0.3))
    return lines, requests


def timed(function, runs: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), result


def bench_algorithm(students: int, schools: int, runs: int) -> None:
    from placements.allocation import Applicant, Line, suggest

    lines, requests = market(students, schools)
    with_team = {school for school in range(schools) if school % 4 == 0}
    line_objects = [
        Line(pk, free=places, has_team=school in with_team) for pk, school, places in lines
    ]
    applicants = [
        Applicant(pk, choices, T0 + datetime.timedelta(minutes=minutes), wants_research_team=team)
        for pk, choices, minutes, team in requests
    ]
    median, best, outcomes = timed(lambda: suggest(applicants, line_objects, period_id=1), runs)
    ranks = [o.rank for o in outcomes.values()]
    first = sum(1 for r in ranks if r == 1)
    unplaced = sum(1 for r in ranks if r is None)
    places = sum(line.free for line in line_objects)
    print(
        f"algorithm: {students} students, {schools} schools, {len(line_objects)} lines, "
        f"{places} places: median {median * 1000:.1f} ms, fastest {best * 1000:.1f} ms "
        f"({first} first choices, {unplaced} without a place)"
    )


def bench_database(students: int, schools: int, runs: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    settings.ALLOWED_HOSTS = ["testserver"]
    old = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
    try:
        period = _fill(students, schools)
        from placements.selectors import allocation_board

        connection.force_debug_cursor = True
        connection.queries_log.clear()
        allocation_board(period)
        queries = len(connection.queries)
        connection.force_debug_cursor = False
        median, best, _board = timed(lambda: allocation_board(period), runs)
        print(
            f"allocation board from {connection.vendor}: {queries} queries, "
            f"median {median * 1000:.1f} ms, fastest {best * 1000:.1f} ms"
        )
    finally:
        teardown_databases(old, verbosity=0)


def _fill(students: int, schools: int):
    from accounts.models import User
    from partnership.models import Institution, Partnership, SchoolYear
    from placements.models import (
        HostingCapacity,
        HostingOffer,
        PlacementPeriod,
        PlacementRequest,
        PlacementSlot,
        Preference,
    )
    from schools.models import School

    year = SchoolYear.objects.create(
        name="2025-2026",
        starts_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2026, 8, 31),
        is_current=True,
    )
    institution = Institution.objects.create(name="Lerarenopleiding")
    partnership = Partnership.objects.create(name="Netwerk", institution=institution)
    period = PlacementPeriod.objects.create(
        institution=institution,
        school_year=year,
        name="Stage 1",
        starts_on=datetime.date(2026, 2, 2),
        ends_on=datetime.date(2026, 2, 20),
    )
    lines, requests = market(students, schools)
    school_rows = School.objects.bulk_create(
        School(
            partnership=partnership,
            name=f"School {n:03d}",
            institution_number=f"{n:06d}",
            level="primary",
            city="Brussel",
        )
        for n in range(schools)
    )
    offers = HostingOffer.objects.bulk_create(
        HostingOffer(school=s, school_year=year, institution=institution) for s in school_rows
    )
    capacity = HostingCapacity.objects.bulk_create(
        HostingCapacity(
            offer=offers[school],
            period=period,
            level=("nursery", "primary", "secondary_1")[pk % 3],
            subject=f"vak {pk}",
            places=places,
        )
        for pk, school, places in lines
    )
    PlacementSlot.objects.bulk_create(
        PlacementSlot(capacity=c, number=n) for c in capacity for n in range(1, c.places + 1)
    )
    users = User.objects.bulk_create(
        User(email=f"student{pk}@bench.test", full_name=f"Student {pk}") for pk, *_ in requests
    )
    request_rows = PlacementRequest.objects.bulk_create(
        PlacementRequest(
            student=user,
            period=period,
            submitted_at=T0 + datetime.timedelta(minutes=minutes),
            wants_research_team=team,
        )
        for user, (_pk, _choices, minutes, team) in zip(users, requests, strict=True)
    )
    Preference.objects.bulk_create(
        Preference(request=row, rank=rank, capacity=capacity[choice - 1])
        for row, (_pk, choices, _m, _t) in zip(request_rows, requests, strict=True)
        for rank, choice in enumerate(choices, start=1)
    )
    return period


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--database", action="store_true", help="also time the allocation board")
    args = parser.parse_args()
    bench_algorithm(args.students, args.schools, args.runs)
    if args.database:
        bench_database(args.students, args.schools, args.runs)


if __name__ == "__main__":
    main()
