"""Benchmark of the workspace's "Inspiration for this stage" panel at 100k studies.

Not a test: it prints the median and p95 server time of the panel (its reads,
``inspiration.selectors.inspiration_for``, and its template, rendered as the
workspace renders it) over distinct random questions and themes (no question
repeated), and checks the number of queries stays the same for every one. The
library is the database of ``library_search.py`` (``generate_studies``), made once
and reused:

    DATABASE_URL=postgres://leerbrug:leerbrug@localhost:5432/leerbrug_knowledge \\
        .venv/bin/python benchmarks/suggestions_panel.py --size 100000 --queries 2000

or, with ``--as-is``, the database of DATABASE_URL as it is (e.g. the corpus of
``benchmarks/search.py``). The teams it needs are made in a transaction that is
rolled back at the end: the database is left as it was.

A question is 4-9 words: words of the team's themes, everyday words of teachers'
questions (``leerlingen`` among them), words drawn from the corpus' own Zipf
vocabulary (``knowledge_base.generator.Corpus``) and, in a third of them, a rare
compound. It prints the CPU time of this process and of its PostgreSQL backend
beside the wall-clock times (on a shared machine the CPU time is the steadier).
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

from library_search import database_url_for, p95, prepare  # noqa: E402
from search import SEED, backend_cpu  # noqa: E402

TEAMS = 12
#: Words teams use in their questions besides the generator's topics.
EVERYDAY = [
    "hoe",
    "helpt",
    "versterkt",
    "leerlingen",
    "kleuters",
    "jongeren",
    "ouders",
    "leerkrachten",
    "klas",
    "school",
    "motivatie",
    "lezen",
    "schrijven",
    "rekenen",
    "taal",
    "feedback",
    "gesprekken",
    "zelfvertrouwen",
    "samen",
    "groepen",
    "huiswerk",
    "toetsen",
    "spelen",
    "buiten",
    "digitale",
    "instructie",
    "begeleiding",
    "klasgesprek",
    "observatie",
    "vragenlijst",
    "welbevinden",
    "pesten",
    "rust",
    "speelplaats",
    "meertalige",
    "woordenschat",
]


def setup_teams(rng: random.Random):
    """A current school year, a coach, and teams at generator schools in stage 4
    with one to three themes each (main rolls them back at the end)."""
    from django.utils import timezone

    from accounts.models import User
    from knowledge_base.models import Theme
    from partnership.models import SchoolYear
    from research_cycle.models import CycleStage, ResearchCycle, ResearchTeam, TeamMembership
    from schools.models import School

    year = SchoolYear.objects.filter(is_current=True).first()
    if year is None:
        today = timezone.localdate()
        start = today.year if today.month >= 9 else today.year - 1
        year, _ = SchoolYear.objects.get_or_create(
            name=f"{start}-{start + 1}",
            defaults={
                "starts_on": datetime.date(start, 9, 1),
                "ends_on": datetime.date(start + 1, 6, 30),
            },
        )
        SchoolYear.objects.filter(pk=year.pk).update(is_current=True)
    coach, _ = User.objects.get_or_create(
        email="bench-coach@example.test", defaults={"full_name": "Bench Coach"}
    )
    themes = list(Theme.objects.all())
    stage = CycleStage.objects.get(order=4)
    teams = []
    for number, school in enumerate(School.objects.order_by("pk")[:TEAMS]):
        team, created = ResearchTeam.objects.get_or_create(
            school=school, school_year=year, defaults={"theme": f"Benchmark {number}"}
        )
        if created:
            team.themes.set(rng.sample(themes, rng.randint(1, 3)))
            now = timezone.now()
            cycle = ResearchCycle.objects.create(
                team=team, current_stage=stage, stage_entered_at=now, started_at=now
            )
            team.current_cycle = cycle
            team.save(update_fields=["current_cycle"])
            TeamMembership.objects.create(team=team, user=coach, role="coach")
        teams.append(team)
    return coach, list(
        ResearchTeam.objects.filter(pk__in=[t.pk for t in teams]).select_related(
            "school", "current_cycle__current_stage"
        )
    )


def questions(count: int, teams, rng: random.Random) -> list[tuple[object, str]]:
    """``count`` distinct (team, question) pairs."""
    from knowledge_base.generator import THEME_WORDS, Corpus

    corpus = Corpus(SEED)
    found: dict[str, object] = {}
    index = 0
    while len(found) < count:
        team = teams[index % len(teams)]
        index += 1
        theme_words = [w for t in team.themes.all() for w in THEME_WORDS.get(t.slug, "").split()]
        drawn = rng.choices(corpus.words, cum_weights=corpus.cumulative, k=12)
        words = rng.sample(theme_words, min(len(theme_words), rng.randint(0, 2)))
        words += rng.sample(EVERYDAY, rng.randint(1, 3))
        words += [w for w in drawn if len(w) >= 4][: rng.randint(1, 4)]
        if rng.random() < 1 / 3:
            words.append(rng.choice(corpus.rare))
        words = words[:9]
        if len(words) >= 4:
            found.setdefault(" ".join(rng.sample(words, len(words))).capitalize() + "?", team)
    return [(team, question) for question, team in found.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument(
        "--no-prepare", action="store_true", help="measure the database as it is (no top-up)"
    )
    parser.add_argument(
        "--as-is", action="store_true", help="measure the database of DATABASE_URL as it is"
    )
    options = parser.parse_args()
    if not options.as_is:
        if not options.no_prepare:
            prepare(options.size)
        os.environ["DATABASE_URL"] = database_url_for(options.size)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.db import connection, transaction
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext

    from inspiration.selectors import inspiration_for

    rng = random.Random(15)
    with transaction.atomic():
        coach, teams = setup_teams(rng)
        workload = questions(options.queries, teams, rng)

        def panel(team, question: str):
            team.current_cycle.research_question = question
            found = inspiration_for(team, coach)
            render_to_string(
                "inspiration/_panel.html",
                {"inspiration": found, "team": team, "can_send_injection": False},
            )
            return found

        for team, question in workload[:10]:  # warm the connection and the template
            panel(team, question + " warm")
        timings, query_counts, found = [], set(), 0
        cpu_before, backend_before = time.process_time(), backend_cpu(connection)
        for team, question in workload:
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                shown = panel(team, question)
            timings.append((time.perf_counter() - start) * 1000)
            query_counts.add(len(queries))
            found += bool(shown.studies)
        cpu = time.process_time() - cpu_before
        backend = backend_cpu(connection) - backend_before
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM knowledge_base_search_entry")
            published = cursor.fetchone()[0]
        transaction.set_rollback(True)  # the teams were only for this run
    print(f"{published:,} published studies, {len(timings)} distinct questions, {len(teams)} teams")
    print(
        f"median {statistics.median(timings):.1f} ms, p95 {p95(timings):.1f} ms, "
        f"max {max(timings):.1f} ms; queries per panel: {sorted(query_counts)}; "
        f"panels with studies: {found}"
    )
    print(
        f"CPU per panel: {1000 * cpu / len(timings):.1f} ms in Django, "
        f"{1000 * backend / len(timings):.1f} ms in PostgreSQL; "
        f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
