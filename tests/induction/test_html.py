"""The induction pages (signed in, so the public crawl of test_html_validity does
not see them) pass the Nu HTML checker, in both languages."""

import json
import subprocess

import pytest
from django.urls import reverse

from tests.test_html_validity import vnu_jar  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.html_checker]


def test_induction_pages_pass_the_nu_html_checker(client, network, plan, vnu_jar, tmp_path):  # noqa: F811
    check_in = plan.check_ins.order_by("due_on")[2]
    pages = [
        ("starting_teacher", "get", reverse("dashboard"), None),
        ("starting_teacher", "get", reverse("induction:overview"), None),
        ("mentor", "get", reverse("induction:overview"), None),
        ("mentor", "get", reverse("induction:plan", args=[plan.pk]), None),
        ("mentor", "get", reverse("induction:cadence", args=[plan.pk]), None),
        ("mentor", "post", reverse("induction:check_in", args=[check_in.pk]), {"held": "on"}),
        ("school_leader", "get", reverse("induction:overview"), None),
        ("school_leader", "get", reverse("induction:school", args=[network.school.pk])),
        (
            "school_leader",
            "post",
            reverse("induction:assign_mentor", args=[plan.membership.pk]),
            {"mentor": network.people["outsider"].pk},
        ),
    ]
    canary = tmp_path / "canary.html"  # a known error: proof the checker read the files
    canary.write_text('<!DOCTYPE html><html lang="nl"><title>x</title><p><div></div></p>')
    files = {str(canary): "canary"}
    for language in ("nl", "en"):
        client.cookies["django_language"] = language
        for persona, method, url, *data in pages:
            client.force_login(network.people[persona])
            response = getattr(client, method)(url, *(d for d in data if d))
            assert response.status_code == 200, url
            path = tmp_path / f"{language}-{len(files):03d}.html"
            path.write_text(response.content.decode(), encoding="utf-8")
            files[str(path)] = f"{url} ({persona}, {language})"
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
