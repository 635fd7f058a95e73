"""The habits `make test` enforces are also what a contributor's git hooks run."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_pre_commit_runs_the_fast_checks_of_make_test_without_downloads():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert all(hook["language"] == "system" for hook in hooks)
    entries = " | ".join(hook["entry"] for hook in hooks)
    run_tests = (ROOT / "bin" / "run-tests").read_text()
    for check in ("ruff check", "ruff format --check", "makemigrations --check", "mypy"):
        assert check in run_tests, f"make test no longer runs {check}"
        assert check in entries, f"pre-commit does not run {check}"


def test_make_test_measures_coverage_against_a_floor():
    run_tests = (ROOT / "bin" / "run-tests").read_text()
    pytest_line = next(line for line in run_tests.splitlines() if "-m pytest" in line)
    assert "--cov" in pytest_line
    floor = int(pytest_line.split("--cov-fail-under=")[1].split()[0])
    assert floor >= 85
