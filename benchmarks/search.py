"""Benchmark of the library search on the realistic corpus (issues 15 and 17).

Not a test. Times whole Django requests in-process (test client, ``DEBUG`` off,
caches off: ``LIBRARY_FACET_CACHE_SECONDS = 0``) over ``--queries`` DISTINCT
searches (default 2,400) on a database filled by ``generate_studies``: words
drawn from the corpus' own Zipf–Mandelbrot vocabulary (common, medium and rare
words, two words, a phrase, ``-word``, ``OR``, a typo), random facets, pages 1-5
and every sort order. Prints median / p95 / p99 server time per kind of search
and overall, the load average before and after, and the number of studies
holding each benchmark word:

    DATABASE_URL=postgres://leerbrug:leerbrug@localhost:5432/leerbrug_search_corpus_100000 \\
    REDIS_URL=redis://localhost:6379/5 \\
      .venv/bin/python benchmarks/search.py [--prepare 105300] [--queries 2400]

``--prepare N`` first migrates the database and fills it with N studies
(``generate_studies --seed 100000``; ~5 % stay unpublished). The load test with
16 clients against gunicorn is ``benchmarks/load.py --search``.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = 100000


def prepare(count: int) -> None:
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True)  # noqa: S603
    subprocess.run([*manage, "createcachetable"], check=True)  # noqa: S603
    generate = [*manage, "generate_studies", "--count", str(count), "--seed", str(SEED)]
    subprocess.run(generate, check=True)  # noqa: S603


def queries(count: int, seed: int) -> list[tuple[str, str]]:
    """``count`` distinct (kind, URL) searches."""
    from knowledge_base.generator import THEME_WORDS, THEMES, Corpus
    from knowledge_base.models import Study
    from research_cycle.models import Perspective

    corpus = Corpus(SEED)
    rng = random.Random(seed)
    cities = sorted(set(Study.objects.published().values_list("city", flat=True)))
    years = [f"{start}-{start + 1}" for start in range(2016, 2026)]
    themes = [slug for slug, _, _ in THEMES]

    def word() -> str:
        return rng.choices(corpus.words, cum_weights=corpus.cumulative)[0]

    def typo(text: str) -> str:
        at = rng.randrange(1, len(text) - 1)
        return text[:at] + text[at + 1 :]

    kinds = {
        "one word": lambda: word(),
        "common word": lambda: rng.choice(["leerlingen", "school", "leerkrachten", "klas"]),
        "medium word": lambda: rng.choice(corpus.words[250:1200]),
        "rare word": lambda: rng.choice(corpus.rare),
        "theme word": lambda: rng.choice(THEME_WORDS[rng.choice(themes)].split()),
        "two words": lambda: f"{word()} {word()}",
        "phrase": lambda: f'"{rng.choice(corpus.words[:400])} {rng.choice(corpus.words[:400])}"',
        "-word": lambda: f"{word()} -{rng.choice(corpus.words[60:400])}",
        "OR": lambda: f"{rng.choice(corpus.words[200:2000])} OR {rng.choice(corpus.rare)}",
        "typo": lambda: typo(rng.choice([w for w in corpus.words[200:3000] if len(w) > 7])),
        "no words": lambda: "",
    }
    weights = [22, 10, 12, 8, 10, 10, 6, 5, 5, 6, 6]
    found: dict[str, str] = {}
    while len(found) < count:
        kind = rng.choices(list(kinds), weights)[0]
        query = {"q": kinds[kind]()}
        if rng.random() < 0.4:
            query["theme"] = rng.choice(themes)
        if rng.random() < 0.2:
            query["level"] = rng.choice(["primary", "secondary"])
        if rng.random() < 0.2:
            query["city"] = rng.choice(cities)
        if rng.random() < 0.15:
            query["year"] = rng.choice(years)
        if rng.random() < 0.1:
            query["perspective"] = rng.choice(Perspective.values)
        if rng.random() < 0.3:
            query["page"] = str(rng.randint(2, 5))
        query["sort"] = rng.choices(["relevance", "newest", "oldest", "title"], [80, 10, 5, 5])[0]
        url = "/studies/?" + urlencode({k: v for k, v in query.items() if v})
        found.setdefault(url, kind)
    return [(kind, url) for url, kind in found.items()]


def match_counts() -> dict[str, tuple[str, int, float]]:
    """How many published studies hold each benchmark word."""
    from django.db import connection

    from knowledge_base.generator import benchmark_words

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM knowledge_base_search_entry")
        total = cursor.fetchone()[0]
        counts = {}
        for kind, word in benchmark_words(SEED).items():
            cursor.execute(
                "SELECT count(*) FROM knowledge_base_search_entry WHERE search_vector @@ "
                "(websearch_to_tsquery('dutch', %s) || websearch_to_tsquery('english', %s))",
                [word, word],
            )
            found = cursor.fetchone()[0]
            counts[kind] = (word, found, 100 * found / max(total, 1))
    return counts


def backend_cpu(connection) -> float:
    """Seconds of CPU the PostgreSQL backend of ``connection`` has used (Linux; the
    server on this machine): on a shared machine steadier than wall-clock time."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prepare", type=int, default=0)
    parser.add_argument("--queries", type=int, default=2400)
    parser.add_argument("--seed", type=int, default=15)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "0"
    if options.prepare:
        prepare(options.prepare)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.LIBRARY_FACET_CACHE_SECONDS = 0  # every search counts and finds its page
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM knowledge_base_search_entry")
        published = cursor.fetchone()[0]
        cursor.execute("SELECT to_regclass('knowledge_base_search_entry_vector_rum')")
        rum = cursor.fetchone()[0] is not None
    print(f"{published:,} published studies; RUM index: {'yes' if rum else 'no (GIN only)'}")
    # The heads of the common words, as Celery keeps them after any change.
    call_command("refresh_search_heads", "--if-stale")
    for kind, (word, found, share) in match_counts().items():
        print(f"  {kind} word {word!r}: {found:,} studies ({share:.3f} %)")
    workload = queries(options.queries, options.seed)
    client = Client(HTTP_HOST="localhost")
    for _, url in workload[:20]:  # warm the connection and the templates
        client.get(url)
    timings: dict[str, list[float]] = defaultdict(list)
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
    cpu_before, backend_before = time.process_time(), backend_cpu(connection)
    for kind, url in workload:
        start = time.perf_counter()
        response = client.get(url)
        timings[kind].append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    cpu = (time.process_time() - cpu_before) * 1000 / len(workload)
    backend = (backend_cpu(connection) - backend_before) * 1000 / len(workload)
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"CPU per search: {cpu:.1f} ms in Django, {backend:.1f} ms in PostgreSQL")
    print(f"\n{len(workload):,} distinct searches, caches off (ms of server time)\n")
    print("| search | n | median | p95 | p99 |\n|---|---:|---:|---:|---:|")
    every = []
    for kind, values in sorted(timings.items(), key=lambda item: -len(item[1])):
        every += values
        print(
            f"| {kind} | {len(values)} | {statistics.median(values):.1f} | {p(values, 0.95):.1f} "
            f"| {p(values, 0.99):.1f} |"
        )
    print(
        f"| **all** | {len(every)} | {statistics.median(every):.1f} | {p(every, 0.95):.1f} "
        f"| {p(every, 0.99):.1f} |"
    )


if __name__ == "__main__":
    main()
