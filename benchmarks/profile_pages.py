"""Where a page's time goes: pyinstrument over the pages of benchmarks/load.py.

Development only (pyinstrument is a dev dependency): runs in-process with the
production settings against ``DATABASE_URL`` (seeded by benchmarks/load.py) and
``REDIS_URL``, requests each page ``--rounds`` times as its demo persona after a
warm-up, and prints pyinstrument's call tree (``--tree``) or its flat list of the
functions with the most time of their own plus time spent *inside* them
(``flat_time="total"``), so template tags, the access layer and SQL show up:

    DATABASE_URL=... REDIS_URL=... .venv/bin/python benchmarks/profile_pages.py --only team
"""

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class SqlTimer:
    """Counts the SQL queries and the time spent waiting for them, per statement."""

    def __init__(self) -> None:
        self.count, self.seconds = 0, 0.0
        self.statements: dict[str, list[float]] = {}

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - start
            self.count += 1
            self.seconds += took
            self.statements.setdefault(" ".join(sql.split())[:110], []).append(took)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--tree", action="store_true", help="the call tree, not the flat list")
    parser.add_argument("--lines", type=int, default=25)
    parser.add_argument(
        "--time-only", action="store_true", help="no profiler: CPU and SQL per request only"
    )
    parser.add_argument(
        "--queries", action="store_true", help="with --time-only: each statement's mean time"
    )
    options = parser.parse_args()

    from benchmarks.load import HOST, PAGES, server_environment

    os.environ.update(server_environment(os.environ["DATABASE_URL"]))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from pyinstrument import Profiler
    from pyinstrument.renderers import ConsoleRenderer

    from benchmarks.load import persona_sessions

    state = persona_sessions()
    for label, persona, path in PAGES:
        if options.only and not any(o in label for o in options.only):
            continue
        client = Client(HTTP_HOST=HOST)
        if persona:
            name, value = state["cookies"][persona].split("=", 1)
            client.cookies[name] = value
        url = path.format(team=state["team"])
        for _ in range(3):
            status = client.get(url, secure=True).status_code
        if status != 200:
            print(f"## {label}: {status}, skipped")
            continue
        sql = SqlTimer()
        profiler = Profiler(interval=0.0005)
        start, cpu = time.perf_counter(), time.process_time()
        with (
            contextlib.nullcontext() if options.time_only else profiler,
            connection.execute_wrapper(sql),
        ):
            for _ in range(options.rounds):
                client.get(url, secure=True)
        per_request = (time.perf_counter() - start) * 1000 / options.rounds
        cpu_per_request = (time.process_time() - cpu) * 1000 / options.rounds
        how = "in-process" if options.time_only else "in-process, profiled"
        print(
            f"\n## {label}: {per_request:.1f} ms a request ({how}), "
            f"{cpu_per_request:.1f} ms of it CPU here; {sql.count / options.rounds:.0f} SQL "
            f"queries taking {sql.seconds * 1000 / options.rounds:.1f} ms"
        )
        if options.time_only:
            if options.queries:
                for statement, times in sorted(sql.statements.items(), key=lambda i: -sum(i[1])):
                    mean = sum(times) * 1000 / len(times)
                    each = len(times) / options.rounds
                    print(f"  {mean:6.3f} ms x{each:g}  {statement}")
            continue
        renderer = ConsoleRenderer(
            unicode=True,
            flat=not options.tree,
            flat_time="self",
            time="percent_of_total",
            show_all=False,
        )
        print("\n".join(profiler.output(renderer).splitlines()[: options.lines + 6]))


if __name__ == "__main__":
    main()
