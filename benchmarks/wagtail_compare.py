"""Leerbrug's library search against a stock Wagtail site searching the same corpus.

Issue 17 asks that the library search at 100,000 studies stays at least 100 times
the throughput of a stock Wagtail site on the same studies. This script measures
that on this machine, both sites under the same load one after the other:

1. Wagtail (pinned below) goes into a virtualenv of its own, ``var/wagtail-venv``;
   Leerbrug never imports it.
2. ``wagtail start`` makes the site as shipped (``var/wagtail-site``): its search
   page (``Page.objects.live().search(query)``, ten results a page) and the
   PostgreSQL database search backend, told to use the Dutch configuration as a
   Dutch site would. ``benchmarks/wagtail_site/studies`` adds one page type with
   the fields Leerbrug's search reads (title, summary, research question, findings,
   lessons, theme names, city).
3. The published studies of the Leerbrug database (``benchmarks/load.py --search``
   makes it: ``<DATABASE_URL's name>_load_search``) are copied into the page tree,
   once (``<that name>_wagtail``; about 95,000 pages).
4. Both sites run under gunicorn with the same number of sync workers (Leerbrug's
   ``config/gunicorn.conf.py``: cores + 1; Wagtail's production settings with
   ``DEBUG = False``), and wrk asks each the same distinct searches
   (``load.py``'s ``search_paths``): the words and the page. Wagtail has no facets,
   so it is asked the words only; Leerbrug is measured twice, with the facets of
   the mixed workload (its own counts and filters on top) and with the words only.
   The runs alternate, in both orders.

    DATABASE_URL=postgres://.../leerbrug_perf REDIS_URL=redis://localhost:6379/8 \
        .venv/bin/python benchmarks/wagtail_compare.py
"""

import argparse
import os
import runpy
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import (  # noqa: E402
    Server,
    create_database,
    get,
    load_average,
    manage,
    run_wrk,
    search_paths,
    server_environment,
)

WAGTAIL = "wagtail==8.0.1"
VENV = ROOT / "var" / "wagtail-venv"
SITE = ROOT / "var" / "wagtail-site"
LOCAL_SETTINGS = """
import os

from .base import INSTALLED_APPS as STOCK_APPS

# django.contrib.postgres: as Wagtail's docs ask for its search on PostgreSQL
INSTALLED_APPS = ["studies", *STOCK_APPS, "django.contrib.postgres"]
SECRET_KEY = "wagtail-compare-only"
ALLOWED_HOSTS = ["*"]
DATABASES = {{"default": {{
    "ENGINE": "django.db.backends.postgresql",
    "NAME": {name!r}, "USER": {user!r}, "PASSWORD": {password!r},
    "HOST": {host!r}, "PORT": {port!r},
}}}}
WAGTAILSEARCH_BACKENDS = {{"default": {{
    "BACKEND": "wagtail.search.backends.database",
    "SEARCH_CONFIG": "dutch",
    # Off while the pages are copied in: indexing each saved page rescans the whole
    # index for its mean title length (measured: 50 pages a second at first, 27 at
    # 25,000 and falling). update_index then indexes them all at once.
    "AUTO_UPDATE": os.environ.get("WAGTAIL_AUTO_UPDATE", "1") == "1",
}}}}
LANGUAGE_CODE = "nl"
"""


def wagtail_python() -> Path:
    """The virtualenv's Python, made on the first run."""
    python = VENV / "bin" / "python"
    if not (VENV / "bin" / "wagtail").exists():  # also after an install that failed
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)  # noqa: S603
        subprocess.run(  # noqa: S603
            [str(python), "-m", "pip", "install", "-q", WAGTAIL, "gunicorn", "psycopg[binary]"],
            check=True,
        )
    return python


def wagtail_site(database_url: str) -> dict[str, str]:
    """The stock site with the studies app, pointed at its database; its environment."""
    if not (SITE / "manage.py").exists():
        SITE.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603
            [str(VENV / "bin" / "wagtail"), "start", "wagtailsite", str(SITE)], check=True
        )
    shutil.copytree(
        ROOT / "benchmarks" / "wagtail_site" / "studies", SITE / "studies", dirs_exist_ok=True
    )
    url = urlparse(database_url)
    (SITE / "wagtailsite" / "settings" / "local.py").write_text(
        LOCAL_SETTINGS.format(
            name=url.path.lstrip("/"),
            user=url.username or "",
            password=url.password or "",
            host=url.hostname or "",
            port=str(url.port or 5432),
        )
    )
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "wagtailsite.settings.production",
    }


def wagtail_manage(python: Path, env: dict[str, str], *arguments: str) -> None:
    subprocess.run([str(python), "manage.py", *arguments], cwd=SITE, env=env, check=True)  # noqa: S603


def wagtail_server(env: dict[str, str], port: int, workers: int) -> Server:
    """gunicorn serving the stock Wagtail site, with as many workers as Leerbrug's."""
    command = [str(VENV / "bin" / "gunicorn"), "wagtailsite.wsgi:application"]
    command += ["--workers", str(workers), "--timeout", "300"]
    return Server(env, port, command=command, cwd=SITE, ready="/", wait=60)


def site_counts(database_url: str) -> tuple[int, int]:
    """The Wagtail site's study pages and search index entries."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        pages = connection.execute("SELECT count(*) FROM studies_studypage").fetchone()[0]
        entries = connection.execute("SELECT count(*) FROM wagtailsearch_indexentry").fetchone()[0]
    return pages, entries


def words_only(path: str, prefix: str, word_key: str) -> str:
    """The words and the page of a Leerbrug search, as ``prefix`` with ``word_key``."""
    query = dict(parse_qsl(urlparse(path).query))
    kept = {word_key: query["q"]}
    if "page" in query:
        kept["page"] = query["page"]
    return prefix + "?" + urlencode(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per Leerbrug run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--wagtail-duration",
        type=int,
        default=240,
        help="seconds of wrk per Wagtail run: its searches take seconds each, so a run "
        "needs minutes to finish enough of them",
    )
    parser.add_argument(
        "--wagtail-connections",
        type=int,
        default=0,
        help="clients for Wagtail (default: one per worker; more only queue, as its "
        "workers are busy with one search each)",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="alternations of the three runs")
    parser.add_argument(
        "--distinct",
        type=int,
        default=4_000,
        help="distinct searches; a run that asks more than these repeats some, and a "
        "repeated search is a cache hit in Leerbrug (the script says so)",
    )
    parser.add_argument("--port", type=int, default=8927)
    parser.add_argument("--fill-only", action="store_true", help="make the Wagtail site, no runs")
    options = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres") or not os.environ.get("REDIS_URL"):
        raise SystemExit("Set DATABASE_URL (PostgreSQL) and REDIS_URL, as for load.py.")
    url = urlparse(database_url)
    source = urlunparse(url._replace(path=url.path + "_load_search"))
    target = urlunparse(url._replace(path=url.path + "_load_search_wagtail"))

    python = wagtail_python()
    wagtail_env = wagtail_site(target)
    create_database(target)
    wagtail_manage(python, wagtail_env, "migrate", "-v0")
    wagtail_manage(python, wagtail_env, "collectstatic", "--noinput", "-v0")
    filling = {**wagtail_env, "WAGTAIL_AUTO_UPDATE": "0"}
    wagtail_manage(python, filling, "fill_studies", "--source", source)
    pages, entries = site_counts(target)
    if entries < pages:
        wagtail_manage(python, wagtail_env, "update_index")
        pages, entries = site_counts(target)
    if options.fill_only:
        return
    print(f"Wagtail: {pages:,} study pages, {entries:,} search index entries")

    leerbrug_env = server_environment(source)
    manage(leerbrug_env, "migrate", "-v0")
    manage(leerbrug_env, "collectstatic", "--noinput", "-v0")
    manage(leerbrug_env, "refresh_search_heads", "--if-stale")  # as Celery keeps them
    paths = search_paths(source, options.distinct, seed=17)
    workloads = {
        "Leerbrug, words and facets": paths,
        "Leerbrug, words only": [words_only(p, "/studies/", "q") for p in paths],
        "Wagtail, words only": [words_only(p, "/search/", "query") for p in paths],
    }
    # As many as Leerbrug's own gunicorn configuration starts (WEB_CONCURRENCY or cores + 1)
    workers = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))["workers"]
    leerbrug = Server(leerbrug_env, options.port)
    wagtail = wagtail_server(wagtail_env, options.port + 1, workers)
    servers = {name: wagtail if name.startswith("Wagtail") else leerbrug for name in workloads}
    try:
        for name, server in servers.items():  # both warmed, as load.py does
            for path in workloads[name][-3:]:
                assert get(server.port, path)[0] == 200, (name, path)
        # One search at a time on the quiet server: 15 of Leerbrug's, 5 of Wagtail's
        # (each takes seconds there).
        idle = {
            name: statistics.median(
                get(server.port, p)[1]
                for p in workloads[name][-18 if server is leerbrug else -8 : -3]
            )
            for name, server in servers.items()
        }
        print(f"load average before: {load_average()}", flush=True)
        results: dict[str, list[dict[str, float]]] = {name: [] for name in workloads}
        order = list(workloads)
        for round_ in range(options.rounds):
            for name in order if round_ % 2 == 0 else order[::-1]:
                if name.startswith("Leerbrug"):  # every search a miss, as in load.py
                    manage(
                        leerbrug_env,
                        "shell",
                        "-c",
                        "from django.core.cache import cache; cache.clear()",
                    )
                how = options
                if name.startswith("Wagtail"):
                    how = argparse.Namespace(
                        threads=1,
                        connections=options.wagtail_connections or workers,
                        duration=options.wagtail_duration,
                    )
                result = run_wrk(servers[name], "/", "", how, workloads[name], timeout=600)
                results[name].append(result)
                if result["requests"] > len(workloads[name]):
                    print(f"  NOTE: {name} asked some searches twice; raise --distinct")
                print(
                    f"  {name}: {result['rps']:.2f} req/s, p95 {result['p95'] / 1000:.0f} ms, "
                    f"{result['socket_errors']} timeouts, {result['non2xx']} not 200",
                    flush=True,
                )
        print(f"load average after: {load_average()}")
    finally:
        leerbrug.stop()
        wagtail.stop()

    wagtail_rps = [r["rps"] for r in results["Wagtail, words only"]]
    print(
        f"\n{workers} gunicorn workers each; Leerbrug {options.connections} clients for "
        f"{options.duration} s a run, Wagtail {options.wagtail_connections or workers} "
        f"for {options.wagtail_duration} s\n"
    )
    print("| workload | idle (ms) | req/s per run | p50 (ms) | p95 (ms) | × Wagtail |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, runs in results.items():
        rps = [r["rps"] for r in runs]
        ratio = (
            ""
            if name.startswith("Wagtail")
            else (f"{statistics.mean(rps) / statistics.mean(wagtail_rps):.0f}×")
        )
        print(
            f"| {name} | {idle[name]:.1f} | {' / '.join(f'{v:.1f}' for v in rps)} "
            f"| {' / '.join(f'{r["p50"] / 1000:.0f}' for r in runs)} "
            f"| {' / '.join(f'{r["p95"] / 1000:.0f}' for r in runs)} | {ratio} |"
        )


if __name__ == "__main__":
    main()
