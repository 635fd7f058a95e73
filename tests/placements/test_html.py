"""The placement pages are valid HTML (the Nu HTML checker, as for the public pages),
in Dutch and in English, with a form showing its errors too."""

import json
import subprocess

import pytest
from django.urls import reverse

from tests.test_html_validity import vnu_jar  # noqa: F401 - the checker's fixture

from . import pages

pytestmark = [pytest.mark.django_db, pytest.mark.html_checker]


def test_the_placement_pages_pass_the_nu_html_checker(client, network, vnu_jar, tmp_path):  # noqa: F811
    shown = pages.placement_pages(network)
    demo = type("Demo", (), {"placements": shown})
    visits = [("coach", reverse("placements:home")), ("student_teacher", reverse("dashboard"))]
    visits += [
        (persona, reverse(name, args=args))
        for name, show in pages.PAGES_WITH_ARGUMENTS.items()
        for persona, args in [show(demo)]
    ]
    visits.append(("coach", reverse("research_cycle:team_workspace", args=[network.team.pk])))
    files = {}
    for language in ("nl", "en"):
        client.cookies["django_language"] = language
        for persona, url in visits:
            client.force_login(network.people[persona])
            html = client.get(url).content.decode()
            path = tmp_path / f"{language}-{len(files):03d}.html"
            path.write_text(html, encoding="utf-8")
            files[str(path)] = f"{url} ({language})"
        client.force_login(network.people["placement_coordinator"])
        url = reverse("placements:cancel", args=[shown.placement.pk])
        path = tmp_path / f"{language}-{len(files):03d}.html"
        path.write_text(client.post(url, {"reason": ""}).content.decode(), encoding="utf-8")
        files[str(path)] = f"{url} POST ({language})"
    assert "Leesgesprekken opnemen." in (tmp_path / "nl-001.html").read_text()  # dashboard
    canary = tmp_path / "canary.html"  # a known error proves the checker read the files
    canary.write_text('<!DOCTYPE html><html lang="nl"><title>x</title><p><div></div></p>')
    files[str(canary)] = "canary"
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}:{m.get('lastLine')}:"
        f" {m['message']}"
        for m in messages
    ]
    assert [e for e in errors if e.startswith("canary:")], "the checker did not run"
    found = [e for e in errors if not e.startswith("canary:")]
    assert not found, "\n".join(found)
