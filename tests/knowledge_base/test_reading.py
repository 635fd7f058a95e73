"""Reading statistics (issue 15): views and downloads per study per day, without
cookies or personal data; the public sees "n keer bekeken", the study's team the
days, the oversight the most read studies."""

import datetime

import pytest
from django.urls import reverse

from knowledge_base.models import Study, StudyReadCount

from .publishing import StudyFileFactory, team_study

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


def read(client, study, **headers):
    return client.get(study.get_absolute_url(), **({"HTTP_USER_AGENT": BROWSER} | headers))


def counts(study) -> list[tuple[int, int]]:
    return list(StudyReadCount.objects.filter(study=study).values_list("views", "downloads"))


def test_a_view_and_a_download_are_counted_per_day_and_shown(client, network):
    study = team_study(network, status=Study.Status.PUBLISHED)
    study_file = StudyFileFactory(study=study)
    read(client, study)
    response = read(client, study)
    assert counts(study) == [(2, 0)]
    assert "2 keer bekeken" in response.content.decode()
    url = reverse("knowledge_base:study_file", args=[study.slug, study_file.pk])
    client.get(url, HTTP_USER_AGENT=BROWSER)
    assert counts(study) == [(2, 1)]


def test_nothing_about_the_reader_is_kept(client, network):
    study = team_study(network, status=Study.Status.PUBLISHED)
    response = read(client, study, REMOTE_ADDR="203.0.113.9")
    # No cookie of its own (the CSRF cookie is the citation form's).
    assert set(response.cookies) <= {"csrftoken"}
    fields = {f.name for f in StudyReadCount._meta.get_fields()}
    assert fields == {"id", "study", "day", "views", "downloads"}
    row = StudyReadCount.objects.get(study=study)
    assert "203.0.113" not in str(row.__dict__)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_CACHE_CONTROL": "max-age=0"},  # a reload
        {"HTTP_CACHE_CONTROL": "no-cache"},  # a hard reload
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1)"},
    ],
)
def test_reloads_prefetches_and_crawlers_are_not_counted(client, network, headers):
    study = team_study(network, status=Study.Status.PUBLISHED)
    assert read(client, study, **headers).status_code == 200
    assert counts(study) == []


def test_an_unpublished_study_is_neither_shown_nor_counted(client, network):
    study = team_study(network, status=Study.Status.PUBLISHED)
    Study.objects.filter(pk=study.pk).update(status=Study.Status.DRAFT)
    assert read(client, study).status_code == 404
    assert counts(study) == []


def test_the_team_sees_the_days_and_an_outsider_does_not(client, login, network):
    study = team_study(network, status=Study.Status.PUBLISHED)
    read(client, study)
    manage = reverse("knowledge_base:study_manage", args=[study.pk])
    html = login(network.people["coach"]).get(manage).content.decode()
    assert "Leesstatistieken" in html and "1 keer bekeken" in html
    assert login(network.people["outsider"]).get(manage).status_code == 404


def test_the_oversight_lists_the_most_read_studies_of_its_schools(login, network):
    read_once = team_study(network, status=Study.Status.PUBLISHED, title="Eén keer gelezen")
    read_twice = team_study(network, status=Study.Status.PUBLISHED, title="Twee keer gelezen")
    day = network.school_year.starts_on  # counted in the school year shown
    StudyReadCount.objects.create(study=read_once, day=day, views=1)
    StudyReadCount.objects.create(study=read_twice, day=day, views=2, downloads=1)
    before = day - datetime.timedelta(days=1)  # the year before: not this year's
    StudyReadCount.objects.create(study=read_once, day=before, views=5)
    html = login(network.people["network_admin"]).get(reverse("oversight:network")).content
    html = html.decode()
    assert "Meest gelezen onderzoeken dit schooljaar" in html
    assert html.index("Twee keer gelezen") < html.index("Eén keer gelezen")
