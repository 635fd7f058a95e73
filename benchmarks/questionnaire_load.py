"""Load the public questionnaire form as respondents do, through gunicorn on the
production settings and PostgreSQL, and report throughput, latency and errors.

Each respondent is what a phone does: GET the form (which carries a fresh signed
one-time nonce), then POST the answers with that nonce, from its own address,
so the per-address rate limit in Redis counts as it would for real phones (one
address would meet it after 100 answers). Respondents start at the target rate
whether or not the server keeps up, so a slow server shows as queueing in the
latencies, not as a politely lower rate.

Two load generators (``--client``), both on the same 2 cores as the server, so
the cheaper one measures the server more fairly:

- ``wrk`` (the default; /usr/bin/wrk with ``questionnaire_load.lua``): each of
  ``--threads`` wrk threads holds one connection and plays every n-th respondent,
  each due at start + n / rate (at once when its thread is behind). Addresses in
  ``X-Forwarded-For``, with the server trusting one proxy
  (``LEERBRUG_TRUSTED_PROXIES=1``), as behind the production TLS proxy. About a
  tenth of the Python client's CPU a respondent.
- ``python``: a thread pool, a new connection per request from its own
  127.x.y.z address (Linux routes all of 127/8 to the loopback).

Needs DATABASE_URL (a throw-away PostgreSQL database: migrated here, and the test
factories' school and partnership stay behind) and REDIS_URL. Static files are
collected into a temporary directory, gunicorn is started with ``--workers``
workers (gthread with ``--server-threads`` threads for wrk, sync for python), a
20-question form (16 scales, 3 choices, an open question) is made for a throw-away
team and deleted afterwards with its answers (the next run vacuums them away first).

    DATABASE_URL=postgres://… REDIS_URL=redis://… \\
        .venv/bin/python benchmarks/questionnaire_load.py [--rate 200] [--seconds 30]

A benchmark, not a test; results are kept in docs/performance.md.
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NONCE = re.compile(rb'name="nonce" value="([^"]+)"')


def production_environment(var_dir: str) -> dict[str, str]:
    """The production settings, with what they demand from the environment."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "LEERBRUG_BASE_URL": "https://leerbrug.benchmark.test",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LEERBRUG_VAR_DIR": var_dir,
        "EMAIL_URL": "console://",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200, help="respondents a second")
    parser.add_argument("--seconds", type=float, default=30)
    # config/gunicorn.conf.py's cores + 1: on 2 cores 3 sync workers beat 5 in the
    # quiet runs (less CPU a respondent: fewer processes woken per connection).
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--threads", type=int, default=None, help="respondents in flight (wrk 32, python 64)"
    )
    # wrk's kept connections are shared out unevenly by accept(): with one thread a
    # worker, one worker queues requests while another idles (190 answers/s at most
    # over 30 s); two threads each keep 200/s (docs/performance.md).
    parser.add_argument(
        "--server-threads", type=int, default=2, help="gthread threads a worker (wrk client)"
    )
    parser.add_argument(
        "--client", choices=["wrk", "python"], default="wrk", help="the load generator"
    )
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    args.threads = args.threads or (32 if args.client == "wrk" else 64)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (and REDIS_URL).")

    with tempfile.TemporaryDirectory(prefix="leerbrug-load-") as var_dir:
        env = production_environment(var_dir)
        os.environ.update(env)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)  # noqa: S603
        collect = [*manage, "collectstatic", "--no-input", "-v0"]
        subprocess.run(collect, env=env, check=True)  # noqa: S603

        import django

        django.setup()
        round_ = _questionnaire()
        _vacuum()
        port = args.port or _free_port()
        server = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi:application",
                f"--config={ROOT / 'config' / 'gunicorn.conf.py'}",  # as in production
                f"--bind=127.0.0.1:{port}",
                f"--workers={args.workers}",
                "--backlog=2048",
                # wrk keeps its connection open between requests (HTTP/1.1, as a
                # proxy that keeps connections to gunicorn): a sync worker would
                # sit blocked on an idle connection; gthread parks it in a poller
                *(
                    ["--worker-class=gthread", f"--threads={args.server_threads}"]
                    if args.client == "wrk"
                    else []
                ),
                "--timeout=120",
                # No worker replaced mid-run (production: after 5,000 requests): wrk
                # would see its kept connections cut and lose those respondents,
                # where a proxy would retry on a new connection.
                "--max-requests=0",
                "--log-level=warning",
            ],
            # wrk's respondents send their address as the TLS proxy would.
            env={**env, "GUNICORN_ACCESS_LOG": "", "LEERBRUG_TRUSTED_PROXIES": "1"}
            if args.client == "wrk"
            else {**env, "GUNICORN_ACCESS_LOG": ""},
            cwd=ROOT,
        )
        try:
            _wait_for(port)
            _warm_up(port, f"/q/{round_.token}/", args.workers)
            cpu_before = _cpu_seconds(server.pid), _postgres_cpu_seconds(), time.process_time()
            if args.client == "wrk":
                report, client_cpu = _load_with_wrk(round_, port, args)
            else:
                report, client_cpu = _load(round_, port, args), 0.0
            report += _cpu_report(server.pid, cpu_before, round_, client_cpu)
        finally:
            server.terminate()
            server.wait(timeout=30)
            stored = round_.responses.count()
            round_.questionnaire.team.delete()
        print(report)
        print(f"responses stored: {stored}; load average (1, 5, 15 min): {_load_average()}")


def _load(round_, port: int, args) -> str:
    questions = list(round_.questionnaire.questions.all())
    path = f"/q/{round_.token}/"
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    lock = threading.Lock()
    timings: dict[str, list[float]] = {"GET": [], "POST": [], "respondent": []}
    errors: dict[str, int] = {}

    def request(number: int, method: str, body: bytes | None = None):
        address = f"127.{1 + number // 65536 % 254}.{number // 256 % 256}.{number % 256 or 1}"
        connection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=60, source_address=(address, 0)
        )
        extra = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        before = time.perf_counter()
        connection.request(method, path, body=body, headers={**headers, **extra})
        response = connection.getresponse()
        content = response.read()
        with lock:
            timings[method].append(time.perf_counter() - before)
        connection.close()
        return response.status, content

    def respondent(number: int, scheduled: float) -> None:
        if time.perf_counter() > deadline:  # the server fell too far behind: not sent
            with lock:
                errors["not sent: over a minute behind"] = (
                    errors.get("not sent: over a minute behind", 0) + 1
                )
            return
        try:
            status, page = request(number, "GET")
            found = NONCE.search(page)
            if status != 200 or found is None:
                raise RuntimeError(f"GET {status}")
            data = [("nonce", found.group(1).decode()), ("lang", "nl")]
            data += _answers(questions, number)
            status, _page = request(number, "POST", urllib.parse.urlencode(data).encode())
            if status != 200:
                raise RuntimeError(f"POST {status}")
        except Exception as error:  # noqa: BLE001 - every failure is counted and reported
            with lock:
                key = str(error) or type(error).__name__
                errors[key] = errors.get(key, 0) + 1
            return
        with lock:
            timings["respondent"].append(time.perf_counter() - scheduled)

    total = int(args.rate * args.seconds)
    started = time.perf_counter()
    deadline = started + args.seconds + 60
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        for number in range(total):
            scheduled = started + number / args.rate
            time.sleep(max(0.0, scheduled - time.perf_counter()))
            pool.submit(respondent, number, scheduled)
    elapsed = time.perf_counter() - started
    setup = f"gunicorn {args.workers} sync workers, {args.threads} Python client threads"
    return _report(args, total, setup, timings, errors, elapsed)


def _report(
    args, total: int, setup: str, timings: dict[str, list[float]], errors: dict, elapsed: float
) -> str:
    """What a run achieved: answers and requests a second, errors, percentiles."""
    answered = len(timings["respondent"])
    lines = [
        f"target {args.rate:.0f} respondents/s for {args.seconds:.0f} s ({total}),"
        f" {setup}, PostgreSQL",
        f"achieved: {answered / elapsed:.1f} answers/s ({answered} in {elapsed:.1f} s),"
        f" {(len(timings['GET']) + len(timings['POST'])) / elapsed:.1f} requests/s;"
        f" errors: {sum(errors.values())} {errors or ''}",
    ]
    for name, values in timings.items():
        if values:
            lines.append(f"{name:>10}: " + ", ".join(_percentiles(values)))
    return "\n".join(lines)


def _answers(questions, number: int) -> list[tuple[str, str]]:
    """Respondent ``number``'s answers to the benchmark's form."""
    data = []
    for index, question in enumerate(questions):
        name = f"q{question.pk}"
        if question.kind == "open":
            data.append((name, "Meer tijd om samen te lezen"))
        elif question.kind == "multiple":
            data += [(name, "1"), (name, "3")]
        else:
            data.append((name, str(1 + (number + index) % len(question.options))))
    return data


def _load_with_wrk(round_, port: int, args) -> tuple[str, float]:
    """The respondents played by wrk (``questionnaire_load.lua``); returns the
    report and wrk's CPU seconds."""
    questions = list(round_.questionnaire.questions.all())
    total = int(args.rate * args.seconds)
    with tempfile.TemporaryDirectory(prefix="leerbrug-wrk-") as out_dir:
        bodies = Path(out_dir) / "bodies"
        sets = [urllib.parse.urlencode(_answers(questions, number)) for number in range(60)]
        bodies.write_text("\n".join(sets) + "\n")
        start_ms = (time.monotonic() + 1.0) * 1000  # wrk's threads start meanwhile
        threads = max(1, min(args.threads, total))
        wrk = subprocess.Popen(  # noqa: S603
            [
                shutil.which("wrk") or sys.exit("wrk is not installed (apt install wrk)"),
                f"--threads={threads}",
                f"--connections={threads}",
                f"--duration={int(args.seconds) + 120}s",
                "--timeout=60s",
                f"--script={ROOT / 'benchmarks' / 'questionnaire_load.lua'}",
                f"http://127.0.0.1:{port}/q/{round_.token}/",
                "--",
                str(args.rate),
                str(total),
                f"{start_ms:.3f}",
                out_dir,
                str(bodies),
                str(threads),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        deadline = start_ms / 1000 + args.seconds + 60
        done = [Path(out_dir) / f"done-{number}" for number in range(threads)]
        while not all(path.exists() for path in done) and time.monotonic() < deadline:
            if wrk.poll() is not None:
                break
            time.sleep(0.05)
        finished = time.monotonic()
        wrk_cpu = _process_cpu(str(wrk.pid)) if wrk.poll() is None else 0.0
        wrk.send_signal(signal.SIGINT)  # wrk prints its summary (connection errors)
        summary, _ = wrk.communicate(timeout=30)
        rows = []
        for number in range(threads):
            path = Path(out_dir) / f"thread-{number}"
            if path.exists():
                rows += [line.split() for line in path.read_text().splitlines()]
    timings: dict[str, list[float]] = {"GET": [], "POST": [], "respondent": []}
    errors: dict[str, int] = {}
    for get_ms, post_ms, respondent_ms, get_status, post_status in rows:
        timings["GET"].append(float(get_ms) / 1000)
        if post_ms == "-":
            errors[f"GET {get_status}"] = errors.get(f"GET {get_status}", 0) + 1
            continue
        timings["POST"].append(float(post_ms) / 1000)
        if post_status != "200":
            errors[f"POST {post_status}"] = errors.get(f"POST {post_status}", 0) + 1
            continue
        timings["respondent"].append(float(respondent_ms) / 1000)
    if len(rows) < total:
        errors["not played (wrk behind or failed)"] = total - len(rows)
    elapsed = finished - start_ms / 1000
    setup = (
        f"gunicorn {args.workers} gthread workers ({args.server_threads} threads each),"
        f" wrk keeping {threads} connections"
    )
    report = _report(args, total, setup, timings, errors, elapsed)
    return f"{report}\n{summary.strip()}", wrk_cpu


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of the gunicorn workers so far, including workers
    that have ended (gunicorn replaces a worker after ``max_requests``; the master
    collects their CPU time when it reaps them)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return sum(_process_cpu(child) for child in children) + _reaped_cpu(str(pid))


def _postgres_cpu_seconds() -> float:
    """CPU time of PostgreSQL for this database: its backends (the process title
    names the database) and the server's shared processes (the WAL writer, the
    checkpointer, the postmaster), but not the backends of other databases that
    other people's tests use on a shared machine."""
    from django.db import connection

    database, total = connection.settings_dict["NAME"], 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if not stat.read_text().split("(", 1)[1].startswith("postgres)"):
                continue
            title = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            other_backend = "(" in title and f" {database} " not in title  # client's address
            if not other_backend:
                total += _process_cpu(stat.parent.name)
            if title.startswith("/usr/lib/postgresql/"):  # the postmaster: the backends
                total += _reaped_cpu(stat.parent.name)  # that ended (of any database)
        except (OSError, IndexError):
            continue
    return total


def _process_cpu(pid: str) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _reaped_cpu(pid: str) -> float:
    """CPU time of the ended children a process has reaped (cutime + cstime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def _cpu_report(
    pid: int, before: tuple[float, float, float], round_, client_cpu: float = 0.0
) -> str:
    """Where the machine's CPU went: the web workers, PostgreSQL and the load
    generator (this process and wrk, on the same 2 cores), per respondent (a GET
    and a POST)."""
    answered = max(1, round_.responses.count())
    web = (_cpu_seconds(pid) - before[0]) * 1000 / answered
    database = (_postgres_cpu_seconds() - before[1]) * 1000 / answered
    client = (time.process_time() - before[2] + client_cpu) * 1000 / answered
    capacity = (os.cpu_count() or 1) * 1000 / (web + database)
    return (
        f"\nCPU per respondent: web workers {web:.1f} ms, PostgreSQL {database:.1f} ms,"
        f" the load generator {client:.1f} ms; the server alone could answer"
        f" about {capacity:.0f} respondents/s on {os.cpu_count()} cores"
        " with the load generator on another machine"
    )


def _percentiles(values: list[float]) -> list[str]:
    values = sorted(values)
    return [
        f"p{p} {values[min(len(values) - 1, int(len(values) * p / 100))] * 1000:.0f} ms"
        for p in (50, 95, 99)
    ]


def _questionnaire():
    """The form of benchmarks/questionnaire_post.py, opened, for a throw-away team."""
    from benchmarks.questionnaire_post import _questionnaire as build

    return build()


def _vacuum() -> None:
    """Clear what earlier runs left (each deletes its answers): otherwise autovacuum
    cleans up their dead rows in the middle of this run."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) questionnaires_answer, questionnaires_response,"
            " questionnaires_usednonce"
        )


def _warm_up(port: int, path: str, workers: int) -> None:
    """A few GETs per worker before the clock starts: each worker imports the URLconf
    and its views on its first request (seconds on a busy machine), which is a
    deployment's first minute, not its throughput."""

    def get(_number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
        connection.getresponse().read()
        connection.close()

    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        list(pool.map(get, range(workers * 6)))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
