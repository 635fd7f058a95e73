"""The monitoring pages are valid HTML (Nu HTML checker): the answer page (empty,
with errors, after answering) and the results with a chart, in both languages."""

import json
import subprocess

import pytest
from django.urls import reverse

from tests.test_html_validity import vnu_jar  # noqa: F401 (the fixture)

from .conftest import answer, invite, make_round

pytestmark = [pytest.mark.django_db, pytest.mark.html_checker]


def test_the_monitoring_pages_pass_the_nu_html_checker(
    client,
    network,
    instrument,
    login,
    vnu_jar,  # noqa: F811
    tmp_path,
):
    round_ = make_round(network.school, network.school_year, instrument)
    answer(round_, instrument, 5)
    (invitation,) = invite(round_, [network.people["mentor"]])
    link = reverse("monitoring:answer", args=[invitation.token])
    files = {}
    for language in ("nl", "en"):
        pages = {}
        client.logout()
        client.cookies["django_language"] = language
        pages["answer"] = client.get(link)
        pages["answer with errors"] = client.post(link, {})
        login(network.people["school_leader"])
        client.cookies["django_language"] = language
        pages["school"] = client.get(reverse("monitoring:school", args=[network.school.pk]))
        pages["landing"] = client.get(reverse("monitoring:landing"))
        pages["round form"] = client.post(
            reverse("monitoring:round_create", args=[network.school.pk]), {}
        )
        for name, response in pages.items():
            assert response.status_code == 200, name
            path = tmp_path / f"{language}-{len(files)}.html"
            path.write_text(response.content.decode(), encoding="utf-8")
            files[str(path)] = f"{name} ({language})"
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}:{m.get('lastLine')}: "
        f"{m['message']} — {m.get('extract', '').strip()}"
        for m in messages
    ]
    assert not errors, "\n".join(errors)
