"""Permission matrix of the privacy URLs: persona × URL × method → status.
My data is everyone's own (an export link of someone else is a 404); a team's
access log is the coach's and the admin's (403 for others who see the team,
404 for the rest)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy.models import EXPORT_VALID_FOR, DataExport
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS

pytestmark = pytest.mark.django_db

EVERYONE = [*PERSONAS, *CONTINUUM_PERSONAS, None]
SEE_THE_TEAM = {
    "research_teacher",
    "student_teacher",
    "bridge_builder",
    "school_leader",
    "process_facilitator",
}


def _log_status(persona):
    if persona is None:
        return 302
    if persona in {"coach", "network_admin"}:
        return 200
    return 403 if persona in SEE_THE_TEAM else 404


@pytest.fixture
def coach_export(network):
    now = timezone.now()
    return DataExport.objects.create(
        user=network.people["coach"],
        status=DataExport.Status.READY,
        file="private/exports/x.zip",
        ready_at=now,
        expires_at=now + EXPORT_VALID_FOR,
    )


@pytest.mark.parametrize("persona", EVERYONE)
def test_my_data_is_everyones_own_page(client, network, persona):
    if persona:
        client.force_login(network.people[persona])
    response = client.get(reverse("privacy:my_data"))
    assert response.status_code == (200 if persona else 302)
    if persona is None:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize(
    ("name", "data"), [("privacy:export_create", {}), ("privacy:erasure_create", {"confirm": "on"})]
)
def test_asking_for_an_export_or_erasure_is_for_oneself(
    client, network, persona, name, data, django_capture_on_commit_callbacks
):
    if persona:
        client.force_login(network.people[persona])
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse(name), data)
    assert response.status_code == 302
    if persona:
        assert response["Location"] == reverse("privacy:my_data")
    else:
        assert "/accounts/login/" in response["Location"]
    if persona:
        assert client.get(reverse(name)).status_code == 405


@pytest.mark.parametrize("persona", EVERYONE)
def test_an_export_downloads_for_its_owner_only(client, network, persona, coach_export):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save(coach_export.file.name, ContentFile(b"PK"))
    if persona:
        client.force_login(network.people[persona])
    response = client.get(reverse("privacy:export_download", args=[coach_export.pk]))
    expected = {None: 302, "coach": 200}.get(persona, 404)
    assert response.status_code == expected
    if persona:
        assert (
            client.post(reverse("privacy:export_download", args=[coach_export.pk])).status_code
            == 405
        )


@pytest.mark.parametrize("persona", EVERYONE)
def test_the_team_access_log(client, network, persona):
    if persona:
        client.force_login(network.people[persona])
    url = reverse("privacy:team_access_log", args=[network.team.pk])
    assert client.get(url).status_code == _log_status(persona)


def test_an_unknown_export_or_team_is_a_404(client, network):
    client.force_login(network.people["network_admin"])
    assert client.get(reverse("privacy:export_download", args=[999999])).status_code == 404
    assert client.get(reverse("privacy:team_access_log", args=[999999])).status_code == 404
