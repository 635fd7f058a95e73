"""The production shape in docker-compose.yml is valid and runs exactly one beat."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

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
