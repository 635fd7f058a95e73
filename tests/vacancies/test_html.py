"""The board's and the continuum's pages are valid HTML (the Nu HTML checker), in
Dutch and English, for the public and for the people who use them, with the demo's
content."""

import json
import subprocess

import pytest
from django.urls import reverse

from accounts.models import User
from tests.test_html_validity import vnu_jar  # noqa: F401  (the checker's fixture)
from vacancies.models import Vacancy

pytestmark = [pytest.mark.django_db, pytest.mark.html_checker]


@pytest.fixture
def demo(db):
    from continuum.demo import seed as seed_continuum
    from partnership.demo import seed_foundation
    from vacancies.demo import seed as seed_vacancies

    network = seed_foundation()
    seed_vacancies(network)
    seed_continuum(network)
    return network


def _pages(client, network) -> dict[str, str]:
    home = network.home_school
    public = Vacancy.objects.filter(school=home, is_public=True).open_on().first()
    expired = Vacancy.objects.filter(school=home, closes_on__lt=public.closes_on).first()
    visits = [
        (None, "/vacancies/"),
        (None, "/vacancies/?level=primary&subject=klas&city=Anderlecht"),
        (None, public.get_absolute_url()),
        ("student-teacher@demo.test", "/vacancies/"),
        ("school-leader@demo.test", "/vacancies/school/"),
        ("school-leader@demo.test", "/vacancies/new/"),
        ("school-leader@demo.test", reverse("vacancies:edit", args=[public.pk])),
        ("school-leader@demo.test", expired.get_absolute_url()),
        ("bridge-builder@demo.test", "/continuum/cohorts/"),
        ("bridge-builder@demo.test", "/dashboard/"),
    ]
    starter = User.objects.get(email="starting-teacher@demo.test")
    visits.append(("starting-teacher@demo.test", f"/continuum/people/{starter.pk}/"))
    pages = {}
    for email, url in visits:
        client.logout()
        if email:
            client.force_login(User.objects.get(email=email))
        response = client.get(url)
        assert response.status_code == 200, url
        pages[f"{url} ({email})"] = response.content.decode()
    client.force_login(User.objects.get(email="school-leader@demo.test"))
    failed = client.post("/vacancies/new/", {"school": home.pk, "hours": "99"})
    pages["/vacancies/new/ (POST)"] = failed.content.decode()
    return pages


def test_the_pages_pass_the_nu_html_checker(client, demo, vnu_jar, tmp_path):  # noqa: F811
    files = {}
    for language in ("nl", "en"):
        client.cookies["django_language"] = language
        for name, html in _pages(client, demo).items():
            path = tmp_path / f"{language}-{len(files):03d}.html"
            path.write_text(html, encoding="utf-8")
            files[str(path)] = f"{name} ({language})"
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    assert files, "no page was checked"
    found = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}:{m.get('lastLine')}: "
        f"{m['message']} — {m.get('extract', '').strip()}"
        for m in messages
    ]
    assert not found, "\n".join(found)
