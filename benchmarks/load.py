"""Load test of the logged-in pages, measured from outside against a hello-world view.

Starts gunicorn with the production settings and ``config/gunicorn.conf.py`` against
``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL``, seeds the demo network, logs the demo
personas in (sessions created server-side, as a login would), then, per page, times
one request on the idle server and runs ``wrk`` (Debian package ``wrk``) with
``--connections`` clients. The hello-world view (``/hello/``, only routed when
``LEERBRUG_HELLO_VIEW`` is on) goes through the same Django stack in the same run, so
the ratio to it survives a noisy machine better than absolute numbers do:

    DATABASE_URL=postgres://leerbrug:leerbrug@localhost:5432/leerbrug_perf \\
    REDIS_URL=redis://localhost:6379/8 \\
      .venv/bin/python benchmarks/load.py [--duration 15] [--connections 20] [--only team]

``--search`` measures the public library instead: it fills a database of its own
(``<name>_load_search``) with ``generate_studies`` (once; later runs reuse it) and runs
wrk over ``--distinct`` different searches (random words, facets and pages: cache
misses) and over one repeated search.

The signed-in pages are answered from the page cache (config/page_cache.py) after the
first request of a session while nothing changes, as they are in production; wrk asks
the same page of the same session again and again, so it measures that path.
``--no-page-cache`` turns it off: every request builds the page, as a first visit or
the first visit after any change in the network does.

A benchmark, not a test: record ``uptime`` with the numbers (it prints the load
average before and after). Results are kept in docs/performance.md.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "leerbrug.test"

#: (label, persona, path); ``{team}`` is the coach's first team.
PAGES = [
    ("hello world", None, "/hello/"),
    ("/healthz", None, "/healthz"),
    ("/dashboard/ (coach)", "coach", "/dashboard/"),
    ("/teams/<id>/ (coach)", "coach", "/teams/{team}/"),
    ("/oversight/ (bridge-builder)", "bridge_builder", "/oversight/"),
    ("/oversight/network/ (process facilitator)", "process_facilitator", "/oversight/network/"),
    ("/oversight/agreements/ (bridge-builder)", "bridge_builder", "/oversight/agreements/"),
    ("/sessions/ (coach)", "coach", "/sessions/"),
    ("/studies/manage/ (coach)", "coach", "/studies/manage/"),
    ("/teams/<id>/questionnaires/ (coach)", "coach", "/teams/{team}/questionnaires/"),
    ("/monitoring/ (coach)", "coach", "/monitoring/"),
    ("/placements/ (placement coordinator)", "placement_coordinator", "/placements/"),
    ("/internships/ (placement coordinator)", "placement_coordinator", "/internships/"),
    ("/internships/mentors/ (mentor)", "mentor", "/internships/mentors/"),
    ("/induction/ (school leader)", "school_leader", "/induction/"),
    ("/dashboard/ (starting teacher)", "starting_teacher", "/dashboard/"),
    ("/vacancies/ (coach)", "coach", "/vacancies/"),
    ("/vacancies/school/ (school leader)", "school_leader", "/vacancies/school/"),
    ("/continuum/cohorts/ (bridge-builder)", "bridge_builder", "/continuum/cohorts/"),
    ("/monitoring/retention/ (school leader)", "school_leader", "/monitoring/retention/"),
]

WRK_SCRIPT = r"""
local cookie = os.getenv("LOAD_COOKIE") or ""
wrk.headers["Host"] = os.getenv("LOAD_HOST")
wrk.headers["X-Forwarded-Proto"] = "https"
if cookie ~= "" then wrk.headers["Cookie"] = cookie end

local paths = {}
local file = os.getenv("LOAD_PATHS")
if file then for line in io.lines(file) do paths[#paths + 1] = line end end
-- Each wrk thread starts at its own part of the list, so no search is asked twice
-- (a second ask would be a cache hit) until the list runs out.
local started = 0
setup = function(thread)
  thread:set("offset", started)
  started = started + 1
end
local counter = 0
init = function(args)
  counter = (offset or 0) * math.floor(#paths / tonumber(os.getenv("LOAD_THREADS") or 1))
end
request = function()
  if #paths == 0 then return wrk.format(nil) end
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, '
    .. '"non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
"""


def server_environment(database_url: str) -> dict[str, str]:
    """What production settings need, pointed at this machine."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "load-" + secrets.token_urlsafe(40),
        "LEERBRUG_BASE_URL": f"https://{HOST}",
        "ALLOWED_HOSTS": f"{HOST},localhost,127.0.0.1",
        "EMAIL_URL": f"file://{ROOT / 'var' / 'mail'}",
        "LEERBRUG_HELLO_VIEW": "1",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *arguments: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *arguments], env=env, check=True)  # noqa: S603


def prepare_demo(env: dict[str, str], *, setup: bool = True) -> dict[str, object]:
    """Migrate, seed, collect the static files; returns the personas' cookies and ids."""
    if setup:
        manage(env, "migrate", "-v0")
        manage(env, "createcachetable")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "seed_demo", "--force")
    code = (
        "import json\n"
        "from benchmarks.load import persona_sessions\n"
        "print('SESSIONS', json.dumps(persona_sessions()))\n"
    )
    output = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("SESSIONS "))
    return json.loads(line.removeprefix("SESSIONS "))


def persona_sessions() -> dict[str, object]:
    """Run inside Django: a fresh session per demo persona, as a login makes it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    from accounts.models import User
    from partnership.demo import DEMO_PEOPLE
    from research_cycle.models import ResearchTeam

    SessionStore = import_string(f"{settings.SESSION_ENGINE}.SessionStore")  # noqa: N806
    cookies = {}
    for persona, (email, _name, _language) in DEMO_PEOPLE.items():
        user = User.objects.get(email=email)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "accounts.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[persona] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    coach = User.objects.get(email=DEMO_PEOPLE["coach"][0])
    team = ResearchTeam.objects.visible_to(coach).order_by("pk").first()
    return {"cookies": cookies, "team": team.pk if team else 0}


class Server:
    """gunicorn with the production settings, on a free port. ``command``, ``cwd``
    and ``ready`` (a path answering 200) serve another site the same way
    (benchmarks/wagtail_compare.py)."""

    def __init__(
        self,
        env: dict[str, str],
        port: int,
        *,
        command: list[str] | None = None,
        cwd: Path = ROOT,
        ready: str = "/hello/",
        wait: int = 30,
    ) -> None:
        self.port, self.ready = port, ready
        command = command or [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--config",
            str(ROOT / "config" / "gunicorn.conf.py"),
            "--max-requests",
            "0",  # no recycled workers mid-run: their CPU time would be lost
        ]
        self.process = subprocess.Popen(  # noqa: S603
            [*command, "--bind", f"127.0.0.1:{port}"],
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                if get(port, ready)[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn did not answer within {wait} s")

    def drain(self) -> None:
        """Wait until the requests wrk left queued are answered: the next run must
        start on an idle server (the listen queue is first in, first out)."""
        get(self.port, self.ready)
        time.sleep(0.5)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the workers have used so far."""
        total = 0.0
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        for pid in children.read_text().split():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def get(port: int, path: str, cookie: str = "") -> tuple[int, float]:
    """One request on a fresh connection: (status, milliseconds)."""
    # Generous: the first searches on a cold 100k corpus read it from disk, and the
    # drain after wrk waits behind every request wrk left queued.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = cookie
    start = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    elapsed = (time.perf_counter() - start) * 1000
    connection.close()
    return response.status, elapsed


def static_headers(port: int, page: str, cookie: str) -> str:
    """How the first stylesheet of ``page`` is served: its compression and caching."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Cookie": cookie}
    connection.request("GET", page, headers=headers)
    html = connection.getresponse().read().decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', html)
    if not stylesheet:
        return "no stylesheet found"
    connection.request("GET", stylesheet[1], headers={**headers, "Accept-Encoding": "br, gzip"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return (
        f"{stylesheet[1]}: {response.status}, Content-Encoding "
        f"{response.getheader('Content-Encoding')}, Cache-Control "
        f"{response.getheader('Cache-Control')}"
    )


def idle_time(server: "Server", path: str, cookie: str, rounds: int = 15) -> tuple[float, float]:
    """One request at a time on the quiet server (after a warm-up): the median time
    seen by the client and the workers' CPU milliseconds per request. The CPU time is
    what a busy machine disturbs least: a process waiting for a core uses none."""
    for _ in range(3):
        get(server.port, path, cookie)
    cpu_before = server.cpu_seconds()
    median = statistics.median(get(server.port, path, cookie)[1] for _ in range(rounds))
    return median, (server.cpu_seconds() - cpu_before) * 1000 / rounds


def run_wrk(
    server: "Server",
    path: str,
    cookie: str,
    options: argparse.Namespace,
    paths: list[str] | None = None,
    duration: int | None = None,
    timeout: int = 10,
) -> dict[str, float]:
    """wrk over ``path`` (or over ``paths`` in turn), then waits for the server to be
    idle again. A request still unanswered after ``timeout`` seconds counts as a socket
    error, not as a request."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "load.lua"
        script.write_text(WRK_SCRIPT)
        env = {
            **os.environ,
            "LOAD_HOST": HOST,
            "LOAD_COOKIE": cookie,
            "LOAD_THREADS": str(options.threads),
        }
        if paths:
            (Path(folder) / "paths.txt").write_text("\n".join(paths) + "\n")
            env["LOAD_PATHS"] = str(Path(folder) / "paths.txt")
        output = subprocess.run(  # noqa: S603
            [
                shutil.which("wrk") or "/usr/bin/wrk",
                f"-t{options.threads}",
                f"-c{options.connections}",
                f"-d{duration or options.duration}s",
                "--timeout",
                f"{timeout}s",
                "-s",
                str(script),
                f"http://127.0.0.1:{server.port}{path}",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    server.drain()
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def report(rows: list[tuple[str, tuple[float, float], dict[str, float]]]) -> None:
    """The table; ÷ hello divides by the hello-world run just before each page."""
    print()
    print(
        "| page | req/s | ÷ hello | idle (ms) | idle CPU (ms) | p50 (ms) | p95 (ms) | p99 (ms) "
        "| errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, idle, result in rows:
        errors = int(result["non2xx"] + result["socket_errors"])
        print(
            f"| {label} | {result['rps']:,.0f} | {result['rps'] / result['hello_rps']:.3f} "
            f"| {idle[0]:.1f} | {idle[1]:.1f} | {result['p50'] / 1000:.0f} "
            f"| {result['p95'] / 1000:.0f} | {result['p99'] / 1000:.0f} | {errors} |"
        )


def pages_run(options: argparse.Namespace, env: dict[str, str]) -> None:
    state = prepare_demo(env, setup=not options.skip_setup)
    cookies: dict[str, str] = state["cookies"]  # type: ignore[assignment]
    pages = [
        (label, persona, path.format(team=state["team"]))
        for label, persona, path in PAGES
        if not options.only or label == "hello world" or any(o in label for o in options.only)
    ]
    server = Server(env, options.port)
    try:
        for label, persona, path in list(pages):
            status, _ = get(options.port, path, cookies.get(persona or "", ""))
            if status != 200:  # a redirect or a 404 would flatter the page: leave it out
                print(f"SKIPPED {label}: {path} answered {status}, not 200")
                pages.remove((label, persona, path))
        print("static files:", static_headers(options.port, "/dashboard/", cookies["coach"]))
        print(f"load average before: {load_average()}", flush=True)
        idle = {
            label: idle_time(server, path, cookies.get(persona or "", ""))
            for label, persona, path in pages
        }
        rows = []
        for label, persona, path in pages:
            # The yardstick again right before each page: the machine's load drifts.
            hello = run_wrk(server, "/hello/", "", options, duration=max(2, options.duration // 2))
            result = run_wrk(server, path, cookies.get(persona or "", ""), options)
            result["hello_rps"] = hello["rps"]
            print(
                f"  {label}: {result['rps']:.0f} req/s (hello {hello['rps']:.0f}), "
                f"p95 {result['p95'] / 1000:.0f} ms",
                flush=True,
            )
            rows.append((label, idle[label], result))
        print(f"load average after: {load_average()}")
        report(rows)
    finally:
        server.stop()


def search_paths(database_url: str, count: int, seed: int) -> list[str]:
    """``count`` distinct library searches (cache misses): one or two words drawn from
    the corpus itself (whatever vocabulary ``generate_studies`` uses), random facets
    and pages."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        connection.execute("SELECT setseed(%s)", [seed / 1000])
        texts = connection.execute(
            "SELECT title || ' ' || summary FROM knowledge_base_study "
            "WHERE status = 'published' ORDER BY random() LIMIT 400"
        ).fetchall()
        themes = [row[0] for row in connection.execute("SELECT slug FROM knowledge_base_theme")]
        cities = [
            row[0]
            for row in connection.execute(
                "SELECT DISTINCT city FROM knowledge_base_study WHERE city <> ''"
            )
        ]
    words = sorted({w.lower() for (text,) in texts for w in re.findall(r"\w{4,}", text)})
    chooser = random.Random(seed)
    paths: set[str] = set()
    while len(paths) < count:
        query = {"q": " ".join(chooser.sample(words, chooser.choice([1, 1, 2])))}
        if themes and chooser.random() < 0.5:
            query["theme"] = chooser.choice(themes)
        if cities and chooser.random() < 0.3:
            query["city"] = chooser.choice(cities)
        if chooser.random() < 0.4:
            query["page"] = str(chooser.randint(2, 5))
        paths.add("/studies/?" + urlencode(query))
    return chooser.sample(sorted(paths), len(paths))


def create_database(database_url: str) -> None:
    """The database of ``database_url``, made when it does not exist yet."""
    import psycopg

    url = urlparse(database_url)
    name = url.path.lstrip("/")
    postgres = urlunparse(url._replace(path="/postgres"))
    with psycopg.connect(postgres, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def search_run(options: argparse.Namespace, env: dict[str, str]) -> None:
    """The library at ``--studies`` studies: distinct searches, then one repeated."""
    import psycopg

    url = urlparse(env["DATABASE_URL"])
    if not options.as_is:
        env = {**env, "DATABASE_URL": urlunparse(url._replace(path=url.path + "_load_search"))}
        create_database(env["DATABASE_URL"])
    manage(env, "migrate", "-v0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v0")
    with psycopg.connect(env["DATABASE_URL"]) as connection:
        studies = connection.execute("SELECT count(*) FROM knowledge_base_study").fetchone()[0]
    if studies < options.studies and not options.as_is:
        generate = ["generate_studies", "--count", str(options.studies - studies), "--seed", "17"]
        manage(env, *generate)
    manage(env, "refresh_search_heads", "--if-stale")  # as Celery keeps them in production
    # Every distinct search must miss: the counts and pages of an earlier run are
    # still cached under the same library version otherwise (measured: 0.056 of
    # hello world and p95 197 ms on a second run against 0.047 and 298 ms emptied).
    manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")
    paths = search_paths(env["DATABASE_URL"], options.distinct, seed=17)
    server = Server(env, options.port)
    try:
        print(f"load average before: {load_average()}", flush=True)
        repeated = "/studies/?q=leerlingen"
        for path in paths[-3:]:  # warm-up, as idle_time does; wrk starts at the front
            get(options.port, path)
        cpu_before = server.cpu_seconds()
        idle_distinct = (
            statistics.median(get(options.port, path)[1] for path in paths[:15]),
            (server.cpu_seconds() - cpu_before) * 1000 / 15,
        )
        rows = [
            ("hello world", idle_time(server, "/hello/", ""), {}),
            (f"/studies/ {len(paths):,} distinct searches", idle_distinct, {}),
            (f"/studies/ repeated ({repeated})", idle_time(server, repeated, ""), {}),
        ]
        workloads = [("/hello/", None), ("/", paths), (repeated, None)]
        for index, (path, many) in enumerate(workloads):
            hello = run_wrk(server, "/hello/", "", options, duration=max(2, options.duration // 2))
            result = run_wrk(server, path, "", options, many)
            result["hello_rps"] = hello["rps"]
            rows[index] = (rows[index][0], rows[index][1], result)
            if many and result["requests"] > len(many):  # a repeat is a cache hit
                print(f"NOTE: {result['requests']} requests over {len(many)} distinct searches")
        print(f"load average after: {load_average()}")
        report(rows)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--port", type=int, default=8917)
    parser.add_argument("--only", nargs="*", help="only the pages whose label has this text")
    parser.add_argument(
        "--skip-setup", action="store_true", help="no migrate, collectstatic, seed (run before)"
    )
    parser.add_argument("--search", action="store_true", help="the library search instead")
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="every page built anew (LEERBRUG_PAGE_CACHE_SECONDS=0): the first visit's cost",
    )
    parser.add_argument("--studies", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=2_000)
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="--search on the corpus of DATABASE_URL as it is (no <name>_load_search copy)",
    )
    options = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres") or not os.environ.get("REDIS_URL"):
        raise SystemExit("Set DATABASE_URL (PostgreSQL) and REDIS_URL, as in production.")
    env = server_environment(database_url)
    if options.no_page_cache:
        env["LEERBRUG_PAGE_CACHE_SECONDS"] = "0"
    print(f"page cache: {'off' if options.no_page_cache else 'on'} (config/page_cache.py)")
    if options.search:
        if options.connections == 20:
            options.connections = 16
        search_run(options, env)
    else:
        pages_run(options, env)


if __name__ == "__main__":
    main()
