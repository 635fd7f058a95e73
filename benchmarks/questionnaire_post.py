"""Post answers to the public questionnaire form and report throughput and p95.

A 20-question form (scales, choices, an open question), each post a complete set of
answers with its own signed one-time nonce, from rotating addresses (as a class
behind many phones; one address would meet the rate limit). Requests go through
the whole Django stack in this process (the test client: middleware, form,
service, database), one at a time, so the throughput is what one web worker
manages; multiply by the workers the host runs.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/questionnaire_post.py \\
        [--posts 1000] [--profile]
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
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument(
        "--profile", action="store_true", help="print where the posts' time goes (pyinstrument)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases

    settings.ALLOWED_HOSTS = ["testserver"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("createcachetable", verbosity=0)
        round_ = _questionnaire()
        from questionnaires.forms import new_nonce
        from questionnaires.models import Response

        questions = list(round_.questionnaire.questions.all())
        client = Client()
        url = f"/q/{round_.token}/"
        timings = []
        profiler = None
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
        started = time.perf_counter()
        for number in range(args.posts):
            data = {"nonce": new_nonce(round_.token), "lang": "nl"}
            for index, question in enumerate(questions):
                if question.kind == "open":
                    data[f"q{question.pk}"] = "Meer tijd om samen te lezen"
                elif question.kind == "multiple":
                    data[f"q{question.pk}"] = ["1", "3"]
                else:
                    data[f"q{question.pk}"] = str(1 + (number + index) % len(question.options))
            address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
            before = time.perf_counter()
            response = client.post(url, data, REMOTE_ADDR=address)
            timings.append(time.perf_counter() - before)
            assert response.status_code == 200, response.status_code
        elapsed = time.perf_counter() - started
        if profiler is not None:
            profiler.stop()
            print(profiler.output_text(color=False, show_all=False))
        assert Response.objects.count() == args.posts
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"{connection.vendor}: {args.posts} posts of {len(questions)} answers"
            f" in {elapsed:.1f} s"
            f" = {args.posts / elapsed:.0f} posts/s in one process;"
            f" median {statistics.median(timings) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"
        )
    finally:
        teardown_databases(old_config, verbosity=0)


def _questionnaire():
    import datetime

    from django.utils import timezone

    from questionnaires import services
    from tests import factories

    team = factories.ResearchTeamFactory()
    coach = factories.UserFactory()
    questionnaire = services.questionnaire_create(
        team=team, user=coach, title="Benchmark", perspective="parents"
    )
    scale = [{"nl": label} for label in ("Oneens", "Eerder oneens", "Eerder eens", "Eens")]
    for number in range(16):
        services.question_add(
            questionnaire=questionnaire,
            kind="scale",
            text={"nl": f"Stelling {number}"},
            options=scale,
        )
    choices = [{"nl": label} for label in ("Thuis", "Op school", "In de bib")]
    services.question_add(
        questionnaire=questionnaire, kind="single", text={"nl": "Waar?"}, options=choices
    )
    services.question_add(
        questionnaire=questionnaire, kind="multiple", text={"nl": "Wat?"}, options=choices
    )
    services.question_add(
        questionnaire=questionnaire, kind="single", text={"nl": "Wie?"}, options=choices
    )
    services.question_add(questionnaire=questionnaire, kind="open", text={"nl": "Tips?"})
    today = timezone.localdate()
    services.consent_confirm(
        questionnaire=questionnaire, user=coach, asks_no_names=True, today=today, now=timezone.now()
    )
    return services.round_open(
        questionnaire=questionnaire, closes_on=today + datetime.timedelta(days=7), today=today
    )


if __name__ == "__main__":
    main()
