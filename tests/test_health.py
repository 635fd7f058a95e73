"""/healthz tells a load balancer whether the database and the broker answer."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fresh_broker_check(monkeypatch):
    """Each test starts without the web process's remembered broker answer."""
    monkeypatch.setattr("config.views._broker_checked", None)


@pytest.fixture
def broker_down():
    from config.celery_app import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    yield
    app.conf.broker_url = original


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_is_503_when_the_broker_is_down(client, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["database"] == "ok"


def test_healthz_asks_the_broker_once_every_few_seconds(client, monkeypatch):
    """A load balancer polling every second must not open a broker connection each
    time: the answer is trusted for BROKER_CHECK_SECONDS, then asked again."""
    assert client.get("/healthz").status_code == 200
    from config.celery_app import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    assert client.get("/healthz").status_code == 200  # within the window: remembered
    monkeypatch.setattr("config.views.BROKER_CHECK_SECONDS", 0.0)
    response = client.get("/healthz")  # the window is over: the broker is asked
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=False)
def test_the_embedded_defaults_boot_on_sqlite_with_the_filesystem_broker(tmp_path):
    """What `make run` does, in miniature: no DATABASE_URL, no REDIS_URL, a fresh var/."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(LEERBRUG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.local")
    python = sys.executable
    for command in (["migrate", "--noinput"], ["createcachetable"]):
        subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    port = _free_port()
    server = subprocess.Popen(
        [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body = None
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = json.loads(r.read())
                    break
            except OSError:
                time.sleep(0.25)
        assert body == {"status": "ok", "database": "ok", "broker": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert r.status == 200
            assert b'<html lang="nl">' in r.read()
        assert (tmp_path / "leerbrug.sqlite3").exists()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_benchmark_s_hello_world_page_is_not_routed_by_default(client, settings):
    """benchmarks/load.py's yardstick exists only where LEERBRUG_HELLO_VIEW asks for it."""
    assert settings.LEERBRUG_HELLO_VIEW is False
    assert client.get("/hello/").status_code == 404


def test_the_hello_world_page_answers_through_the_whole_stack(rf):
    from config.views import hello

    response = hello(rf.get("/hello/"))
    assert response.status_code == 200
    assert response.content == b"Hello, world"
