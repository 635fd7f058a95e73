"""The production shape: docker-compose.yml is valid, runs exactly one beat and its
healthcheck passes; the image is slim; the deploy check passes in a fresh clone."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _compose_command():
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    ):
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_docker_compose_config_validates_and_has_the_production_services():
    command = _compose_command()
    if command is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs docker-compose; it is missing")
        pytest.skip("needs `docker compose` or `docker-compose` (apt install docker-compose)")
    env = {**os.environ, "SECRET_KEY": "compose-config-check"}
    result = subprocess.run(
        [*command, "config"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    for service in ("db:", "redis:", "web:", "worker:", "beat:", "healthcheck:", "gunicorn"):
        assert service in result.stdout
    services = subprocess.run(
        [*command, "config", "--services"], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout.split()
    assert sorted(services) == ["beat", "db", "redis", "web", "worker"]


def _production_env(var_dir: Path) -> dict[str, str]:
    """The environment docker-compose gives the app containers, with a throwaway
    var dir (SQLite and the filesystem broker: no server needed)."""
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their live server.
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "EMAIL_URL",
            "SECURE_SSL_REDIRECT",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="deployment-test-" + "k" * 40,
        ALLOWED_HOSTS="leerbrug.example",
        LEERBRUG_BASE_URL="https://leerbrug.example",
        LEERBRUG_VAR_DIR=str(var_dir),
    )
    return env


def test_check_deploy_passes_in_a_fresh_clone_without_var(tmp_path):
    """`make check-deploy` right after `git clone`: var/ does not exist yet."""
    env = _production_env(tmp_path / "fresh-clone" / "var")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "no issues" in result.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not listen on {port} within {seconds} s")


def test_the_compose_web_healthcheck_passes_against_production_settings(tmp_path):
    """The web container's healthcheck, run exactly as docker-compose.yml says, against
    gunicorn with production settings (HTTPS redirect, ALLOWED_HOSTS), answers healthy."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    kind, *command = compose["services"]["web"]["healthcheck"]["test"]
    assert kind == "CMD"
    assert command[0] == "python"
    command[0] = sys.executable
    env = _production_env(tmp_path)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", "1",
         "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for_port(port, server)
        # Production settings are in force: a bare request to localhost is refused.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10)
        assert refused.value.code == 400
        check = subprocess.run(
            command, cwd=ROOT, env={**env, "PORT": str(port)}, capture_output=True, text=True,
            timeout=30,
        )  # fmt: skip
        assert check.returncode == 0, check.stdout + check.stderr
    finally:
        server.terminate()
        server.wait(timeout=10)


def _final_stage(dockerfile: str) -> list[str]:
    """The instructions of the Dockerfile's last stage (what the image runs), with
    continuation lines joined."""
    joined = dockerfile.replace("\\\n", " ")
    lines = [line.strip() for line in joined.splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    last_from = max(i for i, line in enumerate(instructions) if line.upper().startswith("FROM "))
    return instructions[last_from:]


def test_the_image_is_slim_runs_as_non_root_and_installs_the_production_lock_only():
    dockerfile = (ROOT / "Dockerfile").read_text()
    final = _final_stage(dockerfile)
    users = [line.split()[1] for line in final if line.upper().startswith("USER ")]
    assert users, "the runtime stage sets a USER"
    assert users[-1].split(":")[0] not in {"root", "0"}
    # The production lock only: no test or lint tool ends up in the image.
    installs = [line for line in dockerfile.splitlines() if "pip install" in line]
    assert installs and all("--require-hashes" in line for line in installs)
    assert "requirements/prod.txt" in dockerfile
    assert "requirements/dev.txt" not in dockerfile
    assert "pyproject.toml" not in " ".join(installs)
    # The runtime stage copies what the build stage made, not the build context.
    assert not any(line.upper().startswith("COPY . ") for line in final)
    # Static files are collected into the image, not at each container start (the
    # app user cannot write there).
    assert "collectstatic" in dockerfile
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "collectstatic" not in compose["services"]["web"]["command"]


def test_tests_benchmarks_and_development_files_stay_out_of_the_build_context():
    patterns = {
        line.strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for path in ("tests", "benchmarks", "docs", ".ci", ".git", ".venv", "var"):
        assert path in patterns, f"{path}/ is sent to the image build"
    assert "requirements/dev.txt" in patterns
    assert ".env" in patterns, "a local .env with secrets must not be baked into the image"
    assert not {"bin", "bin/healthcheck.py"} & patterns, "the healthcheck runs bin/healthcheck.py"
