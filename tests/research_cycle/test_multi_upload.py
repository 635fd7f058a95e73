"""Several files at once through the plain form (what the page does without
JavaScript, and what the drag-and-drop module posts too): every refused file is
named with its reason in the person's language, and then nothing is saved."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from research_cycle.forms import MAX_FILES_AT_ONCE
from research_cycle.models import Attachment, LogEntry, PreviewStatus

pytestmark = pytest.mark.django_db


def png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(output, "PNG")
    return output.getvalue()


def new_entry_url(network) -> str:
    return reverse("research_cycle:entry_create", kwargs={"pk": network.team.pk})


def entry_data(cycle, files) -> dict:
    return {
        "occurred_on": timezone.localdate().isoformat(),
        "stage": cycle.current_stage_id,
        "summary": "Drie bewijsstukken van de les",
        "files": files,
    }


def stored_files(media_root) -> set[str]:
    root = media_root / "private"
    if not root.exists():
        return set()
    return {os.path.join(folder, name) for folder, _, names in os.walk(root) for name in names}


def test_the_form_offers_a_multiple_file_input_with_a_drop_zone(client, network, cycle):
    client.force_login(network.people["coach"])
    html = client.get(new_entry_url(network)).content.decode()
    assert 'type="file"' in html and "multiple" in html
    assert 'data-drop-zone="Sleep bestanden hierheen, of kies ze."' in html
    assert "/static/js/upload.js" in html
    assert "<script>" not in html  # no inline scripts under the strict CSP


def test_three_files_at_once_are_saved_with_the_entry_and_get_previews(
    client, network, cycle, django_capture_on_commit_callbacks
):
    client.force_login(network.people["coach"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            new_entry_url(network),
            entry_data(
                cycle,
                [
                    SimpleUploadedFile("bord.png", png()),
                    SimpleUploadedFile("foto.png", png()),
                    SimpleUploadedFile("enquête.csv", b"vraag,antwoord\n1,ja\n"),
                ],
            ),
        )
    assert response.status_code == 302
    entry = LogEntry.objects.get()
    names = [(a.original_name, a.preview_status) for a in entry.attachments.order_by("pk")]
    assert names == [
        ("bord.png", PreviewStatus.READY),
        ("foto.png", PreviewStatus.READY),
        ("enquête.csv", PreviewStatus.NONE),
    ]
    html = client.get(response["Location"]).content.decode()
    assert html.count('alt="Voorbeeld van ') == 2


def test_refused_files_are_each_named_and_nothing_is_saved(client, network, cycle, settings):
    before = stored_files(settings.MEDIA_ROOT)
    client.force_login(network.people["coach"])
    response = client.post(
        new_entry_url(network),
        entry_data(
            cycle,
            [
                SimpleUploadedFile("bord.png", png()),
                SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
                SimpleUploadedFile("verslag.pdf", b"<html>geen pdf</html>"),
                SimpleUploadedFile("notities.txt", b"goed"),
            ],
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "“virus.exe” is geen toegestaan bestandstype" in html
    assert "De inhoud van “verslag.pdf” komt niet overeen met de extensie .pdf" in html
    assert "bord.png" not in html and "notities.txt" not in html  # the good ones: no message
    assert "Er is nog niets bewaard" in html
    assert "Drie bewijsstukken van de les" in html  # what was typed stays
    assert not LogEntry.objects.exists() and not Attachment.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == before  # no file written either


def test_the_messages_are_in_english_for_an_english_user(english, network, cycle):
    english.force_login(network.people["coach"])
    response = english.post(
        new_entry_url(network),
        entry_data(cycle, [SimpleUploadedFile("virus.exe", b"MZ")]),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "“virus.exe” is not an allowed file type" in html
    assert "Nothing is saved yet" in html


def test_too_many_files_at_once_are_refused_with_a_message(client, network, cycle):
    client.force_login(network.people["coach"])
    files = [SimpleUploadedFile(f"n{i}.txt", b"x") for i in range(MAX_FILES_AT_ONCE + 1)]
    response = client.post(new_entry_url(network), entry_data(cycle, files))
    assert response.status_code == 400
    assert f"Je koos {MAX_FILES_AT_ONCE + 1} bestanden" in response.content.decode()
    assert not LogEntry.objects.exists()
