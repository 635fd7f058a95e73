"""Benchmark of the public library search at 1k, 10k and 100k published studies.

Not a test: it prints the median and p95 *server time* (the whole Django request,
measured in-process with the test client, so no network or browser) of typical
searches, for each size. Each size lives in its own PostgreSQL database, created,
migrated and filled once with ``generate_studies`` and reused on later runs:

    DATABASE_URL=postgres://leerbrug:leerbrug@localhost:5432/leerbrug_kb_search \\
        .venv/bin/python benchmarks/library_search.py --sizes 1000 10000 100000

The databases are named after DATABASE_URL's database plus ``_bench_<size>``.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEARCHES = {
    "rare phrase": "/studies/?q=%22exit+tickets%22",
    "medium word": "/studies/?q=leesmotivatie",
    "common word": "/studies/?q=leerlingen",
    "query + 2 facets": "/studies/?q=feedback&theme=feedback&level=primary",
    "common + 2 facets": "/studies/?q=leerlingen&theme=welbevinden&city=Jette",
    "no query (landing)": "/studies/",
    "landing + 2 facets": "/studies/?theme=stem&year=2021-2022",
    "API query + facet": "/api/studies/?q=leesmotivatie&perspective=parents",
}


BASE_DATABASE_URL = os.environ.get("DATABASE_URL", "")


def database_url_for(size: int) -> str:
    base = urlparse(BASE_DATABASE_URL)
    return urlunparse(base._replace(path=f"{base.path}_bench_{size}"))


def prepare(size: int) -> None:
    """Create, migrate and fill the database of one size (once)."""
    import psycopg

    url = urlparse(database_url_for(size))
    name = url.path.lstrip("/")
    admin = urlunparse(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": database_url_for(size)}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)  # noqa: S603
    subprocess.run([*manage, "createcachetable"], env=env, check=True)  # noqa: S603
    with psycopg.connect(database_url_for(size)) as connection:
        published = connection.execute(
            "SELECT count(*) FROM knowledge_base_study WHERE status = 'published'"
        ).fetchone()[0]
    if published < size:
        missing = int((size - published) / 0.95) + 1
        print(f"  generating {missing} studies for {size} …", flush=True)
        generate = [*manage, "generate_studies", "--count", str(missing), "--seed", str(size)]
        subprocess.run(generate, env=env, check=True)  # noqa: S603
        with psycopg.connect(database_url_for(size), autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")


def measure(size: int, rounds: int, *, cached: bool) -> dict[str, list[float]]:
    os.environ["DATABASE_URL"] = database_url_for(size)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "0"  # no query log, templates cached: as in production
    import django

    if not hasattr(measure, "ready"):
        django.setup()
        measure.ready = True
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connections
    from django.test import Client

    # Cold: every request recounts the facets (as after each change to the library).
    # Warm: the facet counts come from the version-keyed cache.
    settings.LIBRARY_FACET_CACHE_SECONDS = 600 if cached else 0
    cache.clear()

    connections.close_all()
    connections["default"].settings_dict.update(
        {"NAME": os.environ["DATABASE_URL"].rsplit("/", 1)[1]}
    )
    client = Client(HTTP_HOST="localhost")
    timings: dict[str, list[float]] = {name: [] for name in SEARCHES}
    for name, url in SEARCHES.items():
        for _ in range(3):  # warm the caches
            assert client.get(url).status_code == 200, url
        for _ in range(rounds):
            start = time.perf_counter()
            response = client.get(url)
            timings[name].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM knowledge_base_study WHERE status = 'published'")
        timings["_published"] = [cursor.fetchone()[0]]
    return timings


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--prepare-only", action="store_true")
    options = parser.parse_args()
    for size in options.sizes:
        prepare(size)
    if options.prepare_only:
        return
    for size in options.sizes:
        cold = measure(size, options.rounds, cached=False)
        warm = measure(size, options.rounds, cached=True)
        published = cold.pop("_published")[0]
        warm.pop("_published")
        print(f"\n## {published:,} published studies ({options.rounds} rounds per search)")
        print("| search | cold median | cold p95 | warm median | warm p95 |")
        print("|---|---:|---:|---:|---:|")
        every_cold, every_warm = [], []
        for name in cold:
            every_cold += cold[name]
            every_warm += warm[name]
            print(
                f"| {name} | {statistics.median(cold[name]):.1f} | {p95(cold[name]):.1f} "
                f"| {statistics.median(warm[name]):.1f} | {p95(warm[name]):.1f} |"
            )
        print(
            f"| **all searches** | {statistics.median(every_cold):.1f} | {p95(every_cold):.1f} "
            f"| {statistics.median(every_warm):.1f} | {p95(every_warm):.1f} |"
        )


if __name__ == "__main__":
    main()
