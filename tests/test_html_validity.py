"""Every public page is valid HTML: the Nu HTML checker (vnu.jar from npm, run with the
system's Java) finds no error in any argument-free page an anonymous visitor gets, nor
in a study page with the demo's content, in Dutch and in English."""

import json
import shutil
import subprocess

import pytest
from django.urls import reverse

from knowledge_base.models import Study

from .conftest import VNU_DIR, VNU_JAR
from .test_pages import argument_free_url_names

pytestmark = [pytest.mark.django_db, pytest.mark.html_checker]

VNU_VERSION = "26.9.27"


@pytest.fixture(scope="session")
def vnu_jar():
    """The checker's jar, installed once into var/vnu (git-ignored). ``--ignore-scripts``:
    the package's postinstall would fetch a Java runtime; the system's Java runs it."""
    if not VNU_JAR.exists():
        subprocess.run(
            [
                shutil.which("npm") or "npm",
                "install",
                "--prefix",
                str(VNU_DIR),
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                f"vnu-jar@{VNU_VERSION}",
            ],
            check=True,
            capture_output=True,
        )
    return VNU_JAR


@pytest.fixture
def demo_library(db):
    from knowledge_base.demo import seed
    from partnership.demo import seed_foundation

    seed(seed_foundation())


def _public_pages(client) -> dict[str, str]:
    """URL -> HTML of every page an anonymous visitor gets with 200."""
    study = Study.objects.published().filter(files__isnull=False, authors__isnull=False).first()
    theme = study.themes.first()
    urls = [reverse(name) for name in argument_free_url_names()]
    urls += [study.get_absolute_url(), f"/studies/?q=lezen&theme={theme.slug}"]
    urls.append(study.school.get_absolute_url())
    pages = {}
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages[url] = response.content.decode()
    # A form with errors (the error summary) is a public page too.
    login = reverse("account_login")
    failed = client.post(login, {"login": "coach@demo.test", "password": "wrong"})
    pages[f"{login} (POST)"] = failed.content.decode()
    return pages


def test_every_public_page_passes_the_nu_html_checker(client, demo_library, vnu_jar, tmp_path):
    # A page with a known error proves the checker really read the files.
    canary = tmp_path / "canary.html"
    canary.write_text('<!DOCTYPE html><html lang="nl"><title>x</title><p><div></div></p>')
    files = {f"file:{canary}": "canary"}
    for language in ("nl", "en"):
        client.cookies["django_language"] = language
        for url, html in _public_pages(client).items():
            path = tmp_path / f"{language}-{len(files):03d}.html"
            path.write_text(html, encoding="utf-8")
            files[f"file:{path}"] = f"{url} ({language})"
    assert {"/ (nl)", "/studies/ (nl)", "/accounts/login/ (en)"} <= set(files.values())
    assert any(url.startswith("/studies/") and url.count("/") == 3 for url in files.values())

    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json"]
        + [name.removeprefix("file:") for name in files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{files.get(m.get('url'), m.get('url'))}:{m.get('lastLine')}: {m['message']}"
        f" — {m.get('extract', '').strip()}"
        for m in messages
    ]
    assert [e for e in errors if e.startswith("canary:")], "the checker did not run"
    found = [e for e in errors if not e.startswith("canary:")]
    assert not found, "\n".join(found)
