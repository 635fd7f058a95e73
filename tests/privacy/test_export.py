"""My data: the export holds every model that refers to a person, with a README
and the person's own files; the link works for its owner only, for 7 days."""

import datetime
import json

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from privacy.models import AccessRecord, DataExport, ExportMail
from privacy.registry import EXPORTERS as REGISTRY
from privacy.registry import models_referring_to_people, register
from privacy.services import export_build, export_request

from .helpers import diary_entry, zip_of

pytestmark = pytest.mark.django_db


def test_every_model_that_refers_to_a_person_is_exported():
    """Fails when someone adds a model with a user FK/O2O/M2M and no exporter line."""
    missing = [
        m._meta.label_lower
        for m in models_referring_to_people()
        if m._meta.label_lower not in REGISTRY
    ]
    assert missing == [], f"add a line to privacy/exporters.py for: {missing}"


def test_the_completeness_test_notices_a_new_model(settings):
    """The walk over apps.get_models() sees a model it was not told about."""
    from django.db import models

    class Bookmark(models.Model):
        owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

        class Meta:
            app_label = "privacy"

        def __str__(self):
            return "bladwijzer"

    try:
        labels = {m._meta.label_lower for m in models_referring_to_people()}
        assert "privacy.bookmark" in labels
        assert "privacy.bookmark" not in REGISTRY
        register(Bookmark, "Bladwijzers")
        assert REGISTRY["privacy.bookmark"].through == ("owner",)
    finally:
        REGISTRY.pop("privacy.bookmark", None)
        from django.apps import apps

        apps.all_models["privacy"].pop("bookmark", None)
        apps.clear_cache()


@pytest.fixture
def ready_export(client, django_capture_on_commit_callbacks):
    """Ask for an export as ``person``; the eager task builds it on commit."""

    def _ready(person) -> DataExport:
        client.force_login(person)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("privacy:export_create"))
        assert response.status_code == 302
        return DataExport.objects.get(user=person)

    return _ready


def test_the_export_holds_json_per_kind_a_readme_and_own_files(client, network, ready_export):
    coach = network.people["coach"]
    diary_entry(network, coach, file_text=b"mijn notities")
    diary_entry(
        network, network.people["research_teacher"], summary="Andermans", file_text=b"niet van mij"
    )
    export = ready_export(coach)  # eager: built at once
    assert export.status == DataExport.Status.READY
    assert export.expires_at - export.ready_at == datetime.timedelta(days=7)
    response = client.get(reverse("privacy:export_download", args=[export.pk]))
    assert response.status_code == 200
    archive = zip_of(response)
    names = archive.namelist()
    for label in REGISTRY:
        if not REGISTRY[label].not_about_the_person:
            assert f"{label}.json" in names
    account = json.loads(archive.read("accounts.user.json"))
    assert account[0]["email"] == coach.email and "password" not in account[0]
    entries = json.loads(archive.read("research_cycle.logentry.json"))
    assert [e["summary"] for e in entries] == ["Interview met leerlingen"]
    files = [n for n in names if n.startswith("files/")]
    assert len(files) == 1 and archive.read(files[0]) == b"mijn notities"
    readme = archive.read("README.md").decode()
    assert "research_cycle.logentry.json" in readme and "| summary |" in readme
    assert "wat we deden" in readme.lower()  # fields explained, in the person's language


def test_the_ready_mail_is_sent_once_with_the_link(client, network, ready_export):
    coach = network.people["coach"]
    export = ready_export(coach)
    assert len(mail.outbox) == 1
    assert reverse("privacy:export_download", args=[export.pk]) in mail.outbox[0].body
    assert ExportMail.objects.get(export=export).sent_at is not None
    # A second build or a scan sends nothing more.
    assert export_build(export_id=export.pk) is False
    from privacy.retention import privacy_scan

    privacy_scan()
    assert len(mail.outbox) == 1


def test_asking_twice_while_it_builds_makes_one_export(network, django_capture_on_commit_callbacks):
    coach = network.people["coach"]
    with django_capture_on_commit_callbacks(execute=False):
        first = export_request(user=coach)
        second = export_request(user=coach)
    assert first.pk == second.pk
    assert DataExport.objects.filter(user=coach).count() == 1


def test_a_build_whose_worker_died_is_taken_again_by_the_scan(
    network, django_capture_on_commit_callbacks
):
    from privacy.retention import privacy_scan

    coach = network.people["coach"]
    with django_capture_on_commit_callbacks(execute=False):
        export = export_request(user=coach)
    DataExport.objects.filter(pk=export.pk).update(
        status=DataExport.Status.BUILDING, started_at=export.requested_at
    )
    with time_machine.travel(export.requested_at + datetime.timedelta(minutes=11)):
        privacy_scan()
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY


def test_someone_elses_export_link_is_a_404(client, network, ready_export):
    export = ready_export(network.people["coach"])
    for other in ["research_teacher", "network_admin"]:
        client.force_login(network.people[other])
        assert client.get(reverse("privacy:export_download", args=[export.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("privacy:export_download", args=[export.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_expired_link_says_so(client, network, ready_export):
    export = ready_export(network.people["coach"])
    with time_machine.travel(export.expires_at + datetime.timedelta(minutes=1)):
        response = client.get(reverse("privacy:export_download", args=[export.pk]))
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    assert not AccessRecord.objects.exists()


def test_the_download_is_in_the_access_log(client, network, ready_export):
    coach = network.people["coach"]
    export = ready_export(coach)
    client.get(reverse("privacy:export_download", args=[export.pk]))
    record = AccessRecord.objects.get()
    assert record.user == coach and record.kind == "data_export"


def test_my_data_shows_progress_and_refreshes_while_building(
    client, network, django_capture_on_commit_callbacks
):
    coach = network.people["coach"]
    client.force_login(coach)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("privacy:export_create"))
    DataExport.objects.update(status=DataExport.Status.BUILDING, progress=40)
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert 'http-equiv="refresh"' in page and 'value="40"' in page
    DataExport.objects.update(status=DataExport.Status.READY, progress=100)
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert 'http-equiv="refresh"' not in page


def test_my_data_stays_within_its_query_budget(client, network, django_assert_max_num_queries):
    coach = network.people["coach"]
    DataExport.objects.bulk_create(
        DataExport(user=coach, status=DataExport.Status.FAILED) for _ in range(20)
    )
    client.force_login(coach)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("privacy:my_data"))
    assert response.content.decode().count("<tr>") == 6  # header + the 5 most recent
