"""Typed input the research diary must survive (found by fuzzing): a form error,
never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from research_cycle.models import Attachment, LogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry_with_attachment(client, network, cycle) -> LogEntry:
    client.force_login(network.people["student_teacher"])
    client.post(
        reverse("research_cycle:entry_create", kwargs={"pk": network.team.pk}),
        {
            "occurred_on": timezone.localdate().isoformat(),
            "stage": cycle.current_stage_id,
            "summary": "Interview met leerlingen",
            "files": SimpleUploadedFile("interview-notities.txt", b"Wat lees je graag?"),
        },
    )
    return LogEntry.objects.get()


def _edit(client, entry, remove):
    return client.post(
        reverse("research_cycle:entry_edit", kwargs={"entry_pk": entry.pk}),
        {
            "occurred_on": entry.occurred_on.isoformat(),
            "stage": entry.stage_id,
            "summary": "Gewijzigd verslag",
            "remove_attachment": remove,
        },
    )


@pytest.mark.parametrize(
    "bad_id, message",
    [
        (str(10**23), "Selecteer een geldige keuze."),  # OverflowError on SQLite
        ("²", "‘²’ is geen geldige waarde."),  # passed isdigit() and broke int()
    ],
)
def test_an_attachment_to_remove_that_cannot_exist_is_refused(
    client, entry_with_attachment, bad_id, message
):
    response = _edit(client, entry_with_attachment, [bad_id])
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Gewijzigd verslag" in html
    entry_with_attachment.refresh_from_db()
    assert entry_with_attachment.summary == "Interview met leerlingen"
    assert Attachment.objects.count() == 1


def test_the_author_removes_an_attachment_by_ticking_it(client, entry_with_attachment):
    page = client.get(
        reverse("research_cycle:entry_edit", kwargs={"entry_pk": entry_with_attachment.pk})
    ).content.decode()
    assert "Bijlagen verwijderen" in page and "interview-notities.txt" in page
    attachment = Attachment.objects.get()
    response = _edit(client, entry_with_attachment, [str(attachment.pk)])
    assert response.status_code == 302
    assert not Attachment.objects.exists()
