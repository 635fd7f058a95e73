"""Reminders under chaos: a real Celery worker on Redis killed with kill -9 every
5–20 s, a second beat for part of the time, and a burst of reminders falling due.

What an operator tried (issue 10): 16 sessions of 85 invitees, the worker killed
again and again, a second beat for 4 minutes. This runs the same, scaled down to a
few minutes (the flags scale it up), against PostgreSQL and Redis:

    DATABASE_URL=postgres://leerbrug:leerbrug@localhost:5432/leerbrug \\
    REDIS_URL=redis://localhost:6379/0 \\
      .venv/bin/python benchmarks/mail_chaos.py [--chaos-seconds 240] [--sessions 16]

It creates its own database (``<name>_mail_chaos``, dropped afterwards), flushes
the Redis database it is given, starts beat and a worker (``--concurrency 2``, as
docker-compose) with ``config.settings.local`` and mail written to files, and
prints:

* the send tasks waiting in Redis against the unsent mails (sampled every second;
  target: queued <= 2 x unsent),
* the tasks the worker ran and how many were no-ops (the mail was sent or taken),
* the delay from a reminder's due time to its sending (target: median <= 60 s),
* mails lost (owed, never sent) and duplicated (two mails for one row): must be 0.

A benchmark, not a test: the numbers depend on the machine (check ``uptime``
first). Results are kept in docs/performance.md.
"""

import argparse
import collections
import contextlib
import datetime
import email
import email.policy
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--invitees", type=int, default=85, help="per session")
    parser.add_argument("--chaos-seconds", type=int, default=240, help="how long workers die")
    parser.add_argument(
        "--due-spread",
        type=int,
        default=150,
        help="the sessions' reminders fall due one after another over this many seconds",
    )
    parser.add_argument("--kill-min", type=float, default=5)
    parser.add_argument("--kill-max", type=float, default=20)
    parser.add_argument(
        "--second-beat",
        type=int,
        default=120,
        help="seconds a second beat runs (from a quarter into the chaos)",
    )
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument(
        "--settle-seconds",
        type=int,
        default=900,
        help="after the chaos, how long to wait for the last mails at most (a claim of "
        "a killed worker is taken again after CLAIM_TIMEOUT, 10 minutes)",
    )
    parser.add_argument(
        "--send-seconds",
        type=float,
        default=0,
        help="how long each mail takes to send (a slow SMTP server; 0 = files only)",
    )
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--keep-database", action="store_true")
    return parser.parse_args()


def database_urls() -> tuple[str, str]:
    """The URL given, and the benchmark's own database next to it."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://… (the benchmark creates <name>_mail_chaos).")
    parsed = urlparse(url)
    own = parsed._replace(path=parsed.path.rstrip("/") + "_mail_chaos")
    return url, urlunparse(own)


def recreate_database(admin_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


class Platform:
    """The worker and beat processes, each in its own process group so that one
    kill -9 takes the worker's pool children with it (as a container kill does)."""

    def __init__(self, env: dict, logs: Path, concurrency: int):
        self.env, self.logs, self.concurrency = env, logs, concurrency
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str) -> None:
        celery = [sys.executable, "-m", "celery", "-A", "config"]
        if name == "worker":
            command = [
                *celery,
                "worker",
                "--loglevel=INFO",
                f"--concurrency={self.concurrency}",
                "--without-gossip",
                "--without-mingle",
            ]
        else:
            schedule = self.logs / f"{name}-schedule"
            command = [*celery, "beat", "--loglevel=INFO", f"--schedule={schedule}"]
        with open(self.logs / f"{name}.log", "a") as log:
            self.processes[name] = subprocess.Popen(  # noqa: S603 - our own command line
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            process = self.processes.pop(name)
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            except ProcessLookupError:
                pass


def plan_sessions(args, first_due: datetime.datetime) -> None:
    """16 sessions of 85 named invitees each; session i's one-day reminder falls
    due at ``first_due + i * spread / sessions``."""
    from accounts.models import User
    from network_sessions.services import session_create
    from partnership.models import SchoolYear

    today = datetime.date.today()
    SchoolYear.objects.create(
        name="chaos",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=300),
        is_current=True,
    )
    organiser = User.objects.create_user("organiser@chaos.test", full_name="Organiser")
    step = args.due_spread / max(args.sessions - 1, 1)
    for number in range(args.sessions):
        people = User.objects.bulk_create(
            User(email=f"s{number:02d}-p{person:03d}@chaos.test", full_name=f"P {person}")
            for person in range(args.invitees)
        )
        starts_at = first_due + datetime.timedelta(days=1, seconds=number * step)
        session_create(
            organiser=organiser,
            kind="learning_network",
            title=f"Chaos {number:02d}",
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            reminder_days=[1],
            audience_people=people,
        )


def queued_sends(broker) -> int:
    """Send tasks waiting in the queue (scan tasks left out)."""
    count = 0
    for raw in broker.lrange("celery", 0, -1):
        if b"send_delivery" in raw[:2000] and (
            json.loads(raw)["headers"]["task"] == "network_sessions.tasks.send_delivery"
        ):
            count += 1
    return count


def mails_written(folder: Path) -> collections.Counter:
    """(recipient, subject) of every mail the file backend wrote."""
    sent = collections.Counter()
    for path in folder.glob("*.log"):
        for chunk in path.read_text(errors="replace").split("-" * 79):
            if "Subject:" not in chunk:
                continue
            message = email.message_from_string(chunk.strip("\n"), policy=email.policy.default)
            sent[(str(message["To"]), str(message["Subject"]))] += 1
    return sent


def task_outcomes(log: Path) -> collections.Counter:
    outcomes = collections.Counter()
    for line in log.read_text(errors="replace").splitlines():
        if "network_sessions.tasks.send_delivery" in line and " succeeded in " in line:
            outcomes["sent" if line.rstrip().endswith(": True") else "no-op"] += 1
        elif "network_sessions.tasks.scan_due_mail" in line and " succeeded in " in line:
            outcomes["scans"] += 1
    return outcomes


def main() -> None:
    args = parse_args()
    admin_url, bench_url = database_urls()
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url.startswith("redis://"):
        sys.exit("Set REDIS_URL=redis://… (the benchmark flushes that Redis database).")
    work = Path(tempfile.mkdtemp(prefix="mail-chaos-"))
    (work / "mail").mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.chaos_settings",
        "MAIL_CHAOS_SEND_SECONDS": str(args.send_seconds),
        "DEBUG": "false",
        "DATABASE_URL": bench_url,
        "EMAIL_URL": f"file://{work / 'mail'}",
        "LEERBRUG_VAR_DIR": str(work),
        "LOG_LEVEL": "INFO",
    }
    os.environ.update(env)
    bench_name = urlparse(bench_url).path.lstrip("/")
    recreate_database(admin_url, bench_name)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )

    import django

    django.setup()
    import redis
    from django.db.models import F
    from django.utils import timezone

    from network_sessions.models import Delivery

    broker = redis.Redis.from_url(redis_url)
    broker.flushdb()
    random.seed(args.seed)
    # Reminders start falling due once the worker and beat are up.
    first_due = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=20)
    plan_sessions(args, first_due)
    broker.flushdb()  # planning queued scans; beat decides when scans run
    owed = args.sessions * args.invitees
    print(
        f"{args.sessions} sessions x {args.invitees} invitees = {owed} reminders falling due "
        f"over {args.due_spread} s; chaos for {args.chaos_seconds} s, worker killed every "
        f"{args.kill_min:g}-{args.kill_max:g} s, a second beat for {args.second_beat} s, "
        f"{args.send_seconds:g} s per mail",
        flush=True,
    )
    print(f"load average before: {os.getloadavg()}", flush=True)

    platform = Platform(env, work, args.concurrency)
    unsent = Delivery.objects.filter(
        sent_at__isnull=True, skipped_at__isnull=True, failed_at__isnull=True
    )
    samples: list[tuple[float, int, int]] = []
    kills = 0
    started = time.monotonic()
    second_beat = (args.chaos_seconds / 4, args.chaos_seconds / 4 + args.second_beat)
    try:
        platform.start("beat")
        platform.start("worker")
        next_kill = started + random.uniform(args.kill_min, args.kill_max)
        while True:
            now = time.monotonic()
            elapsed = now - started
            chaos = elapsed < args.chaos_seconds
            if chaos and now >= next_kill:
                platform.kill("worker")
                platform.start("worker")
                kills += 1
                next_kill = now + random.uniform(args.kill_min, args.kill_max)
            running_two = second_beat[0] <= elapsed < second_beat[1] and chaos
            if running_two and "beat2" not in platform.processes:
                platform.start("beat2")
            elif not running_two and "beat2" in platform.processes:
                platform.kill("beat2")
            owed_now = unsent.count()
            samples.append((elapsed, queued_sends(broker), owed_now))
            all_due = timezone.now() > first_due + datetime.timedelta(seconds=args.due_spread)
            done = all_due and owed_now == 0 and Delivery.objects.count() == owed
            if not chaos and (done or elapsed > args.chaos_seconds + args.settle_seconds):
                break
            time.sleep(1)
        time.sleep(3)  # let the last tasks finish and log
    finally:
        platform.stop_all()
        print(f"load average after: {os.getloadavg()}", flush=True)

    rows = Delivery.objects.filter(kind=Delivery.Kind.REMINDER)
    delays = [
        delay.total_seconds()
        for delay in rows.filter(sent_at__isnull=False)
        .annotate(delay=F("sent_at") - F("due_at"))
        .values_list("delay", flat=True)
    ]
    written = mails_written(work / "mail")
    outcomes = task_outcomes(work / "worker.log")
    worst = max(samples, key=lambda s: s[1])
    ratios = [queued / owed_now for _t, queued, owed_now in samples if owed_now]
    over = sum(1 for _t, queued, owed_now in samples if queued > 2 * owed_now)
    duplicated = sum(count - 1 for count in written.values() if count > 1)

    print(f"\nran {time.monotonic() - started:.0f} s, worker killed {kills} times")
    print(
        f"queued send tasks: peak {worst[1]} with {worst[2]} unsent (at {worst[0]:.0f} s); "
        f"worst queued/unsent {max(ratios, default=0):.2f}; "
        f"samples with queued > 2 x unsent: {over} of {len(samples)}"
    )
    print(
        f"send tasks run: {outcomes['sent'] + outcomes['no-op']} "
        f"({outcomes['sent']} sent, {outcomes['no-op']} no-ops), scans run: {outcomes['scans']} "
        "(tasks running at a kill are not logged)"
    )
    if delays:
        print(
            f"delay due -> sent: median {statistics.median(delays):.0f} s, "
            f"p90 {statistics.quantiles(delays, n=10)[-1]:.0f} s, worst {max(delays):.0f} s"
        )
    sent = rows.filter(sent_at__isnull=False).count()
    print(
        f"reminders owed {owed}, rows {rows.count()}, sent {sent}, "
        f"mails written {sum(written.values())} to {len(written)} (recipient, subject) pairs"
    )
    print(f"lost: {owed - sent}, duplicated: {duplicated}")
    print(f"logs: {work}")

    from django.db import connections

    connections.close_all()
    if not args.keep_database:
        recreate_database(admin_url, bench_name, drop_only=True)


if __name__ == "__main__":
    main()
