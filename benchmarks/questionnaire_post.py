"""Time the public questionnaire form in one process: GET the form, POST the answers.

A 20-question form (scales, choices, an open question). Each respondent GETs the
form and POSTs a complete set of answers with the form's own signed one-time
nonce, from its own address (a class behind many phones; one address would meet
the rate limit). Requests go through the whole Django stack in this process
(the test client: middleware, form, service, database, templates), one at a
time, so the figures are what one web worker spends on a respondent. With
``--production`` the production settings are used (the Redis cache, the hashed
static file names, the cached sessions), as gunicorn runs them.

CPU time (``time.process_time``) is reported beside the wall clock: on a busy
machine the wall clock mostly measures waiting for a core; the CPU time is what
the worker itself spends (PostgreSQL's and Redis's work is in their processes).

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python \\
        benchmarks/questionnaire_post.py [--respondents 300] [--production] \\
        [--profile get|post]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=300)
    parser.add_argument("--production", action="store_true", help="the production settings")
    parser.add_argument(
        "--profile",
        choices=["get", "post"],
        help="print where the CPU time of the GETs or the POSTs goes (pyinstrument)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="leerbrug-post-") as var_dir:
        if args.production:
            from benchmarks.questionnaire_load import production_environment

            os.environ.update(production_environment(var_dir))
            os.environ["ALLOWED_HOSTS"] = "testserver"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        _run(args)


def _run(args) -> None:
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
        if args.production:
            call_command("collectstatic", interactive=False, verbosity=0)
        round_ = _questionnaire()
        from questionnaires.models import Response

        questions = list(round_.questionnaire.questions.all())
        client = Client(enforce_csrf_checks=True)
        url = f"/q/{round_.token}/"
        wall: dict[str, list[float]] = {"get": [], "post": []}
        cpu: dict[str, float] = {"get": 0.0, "post": 0.0}
        profiler = None
        if args.profile:
            from pyinstrument import Profiler
            from pyinstrument.stack_sampler import get_stack_sampler

            get_stack_sampler().timer_func = time.process_time  # CPU time, not the wall clock
            profiler = Profiler(interval=0.0005)

        def timed(kind: str, call, *arguments, **options):
            if profiler is not None and args.profile == kind:
                profiler.start()
            before, before_cpu = time.perf_counter(), time.process_time()
            response = call(*arguments, **options)
            cpu[kind] += time.process_time() - before_cpu
            wall[kind].append(time.perf_counter() - before)
            if profiler is not None and args.profile == kind:
                profiler.stop()
            return response

        client.get(url, secure=True)  # imports the URLconf and its views: not timed
        for number in range(args.respondents):
            address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
            page = timed("get", client.get, url, REMOTE_ADDR=address, secure=True)
            assert page.status_code == 200, page.status_code
            data = [("nonce", _nonce(page)), ("lang", "nl")]
            for index, question in enumerate(questions):
                name = f"q{question.pk}"
                if question.kind == "open":
                    data.append((name, "Meer tijd om samen te lezen"))
                elif question.kind == "multiple":
                    data += [(name, "1"), (name, "3")]
                else:
                    data.append((name, str(1 + (number + index) % len(question.options))))
            response = timed(
                "post",
                client.post,
                url,
                urlencode(data),  # as a browser posts a form without files
                content_type="application/x-www-form-urlencoded",
                REMOTE_ADDR=address,
                secure=True,
            )
            assert response.status_code == 200, response.status_code
        if profiler is not None:
            print(profiler.output_text(color=False, show_all=bool(os.environ.get("SHOW_ALL"))))
        assert Response.objects.filter(round=round_).count() == args.respondents
        print(
            f"{connection.vendor}, {'production' if args.production else 'test'} settings:"
            f" {args.respondents} respondents, {len(questions)} answers each"
        )
        for kind in ("get", "post"):
            timings = sorted(wall[kind])
            p95 = timings[int(len(timings) * 0.95) - 1]
            print(
                f"  {kind.upper():>4}: CPU {cpu[kind] / args.respondents * 1000:.1f} ms a request;"
                f" wall clock median {statistics.median(timings) * 1000:.1f} ms,"
                f" p95 {p95 * 1000:.1f} ms"
            )
    finally:
        teardown_databases(old_config, verbosity=0)


def _nonce(page) -> str:
    from benchmarks.questionnaire_load import NONCE

    found = NONCE.search(page.content)
    assert found is not None
    return found.group(1).decode()


def _questionnaire():
    import datetime
    import secrets

    from django.utils import timezone

    from questionnaires import services
    from tests import factories

    # Own names: the load benchmark leaves the school behind in its database, and
    # the factories' numbers start again at 0 in every run.
    tag = secrets.token_hex(4)
    team = factories.ResearchTeamFactory(
        school__name=f"Benchmarkschool {tag}",
        school__institution_number=f"bench-{tag}",
        school__partnership__name=f"Benchmarkpartnerschap {tag}",
        school__partnership__institution__name=f"Benchmarkopleiding {tag}",
        theme=f"Benchmark {tag}",
    )
    coach = factories.UserFactory(email=f"benchmark-{tag}@school.test")
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
