"""File previews of the research diary: thumbnails made by a Celery task from real PDF
and PNG bytes, served (like the PDF itself) only to people who may see the team,
never from a public URL; broken and hostile files fail quietly."""

import datetime
import io
import logging
import struct
import zlib

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from weasyprint import HTML

from research_cycle import services
from research_cycle.models import Attachment, LogEntry, PreviewStatus
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS

pytestmark = pytest.mark.django_db


def pdf_bytes(page_css: str = "size: A4") -> bytes:
    return HTML(
        string=f"<style>@page {{ {page_css} }} h1 {{ font-size: 60pt }}</style>"
        "<h1>Leesmotivatie groep 5</h1><p>Enquête onder 48 leerlingen.</p>"
    ).write_pdf()


def png_bytes(size=(1200, 800), color=(200, 30, 30)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, "PNG")
    return output.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def log_with_files(cycle, author, files, capture):
    """Log an entry the way the view does; the preview tasks run (eagerly, as in
    the test settings) once the transaction commits."""
    with capture(execute=True):
        return services.log_entry_create(
            cycle=cycle,
            author=author,
            stage=cycle.current_stage,
            occurred_on=timezone.localdate(),
            summary="Enquête afgenomen",
            files=[SimpleUploadedFile(name, data) for name, data in files],
        )


def thumbnail_of(attachment: Attachment) -> Image.Image:
    with attachment.preview.open("rb") as stored:
        return Image.open(io.BytesIO(stored.read()))


def test_a_pdf_and_a_png_get_a_thumbnail_of_their_first_page_and_frame(
    network, cycle, django_capture_on_commit_callbacks
):
    entry = log_with_files(
        cycle,
        network.people["coach"],
        [("enquête.pdf", pdf_bytes()), ("bord.png", png_bytes()), ("notities.txt", b"ok")],
        django_capture_on_commit_callbacks,
    )
    pdf, png, text = entry.attachments.order_by("pk")
    assert (pdf.preview_status, png.preview_status) == (PreviewStatus.READY, PreviewStatus.READY)
    assert text.preview_status == PreviewStatus.NONE and not text.preview
    page = thumbnail_of(pdf)
    assert page.format == "JPEG" and max(page.size) == 320
    assert page.size[0] < page.size[1]  # A4 portrait stays portrait
    # The page is white with a dark title: the render is not an empty image.
    darkest, lightest = page.convert("L").getextrema()
    assert darkest < 80 and lightest > 240
    frame = thumbnail_of(png)
    assert frame.size == (320, 213)
    red, green, blue = frame.convert("RGB").getpixel((160, 100))
    assert red > 180 and green < 60 and blue < 60
    # Stored privately beside the file, under a name that tells nothing.
    assert pdf.preview.name == f"{pdf.file.name}.preview.jpg"
    assert pdf.preview.name.startswith("private/") and "enquête" not in pdf.preview.name


def test_the_task_is_idempotent(network, cycle, django_capture_on_commit_callbacks):
    entry = log_with_files(
        cycle,
        network.people["coach"],
        [("bord.png", png_bytes())],
        django_capture_on_commit_callbacks,
    )
    attachment = entry.attachments.get()
    first = attachment.preview.name
    # A retry of a finished task changes nothing.
    assert services.attachment_make_preview(attachment_id=attachment.pk) == PreviewStatus.READY
    attachment.refresh_from_db()
    assert attachment.preview.name == first
    # A worker that crashed after writing the file but before its commit: the retry
    # overwrites its own leftover instead of leaving a second file.
    Attachment.objects.filter(pk=attachment.pk).update(preview_status=PreviewStatus.PENDING)
    assert services.attachment_make_preview(attachment_id=attachment.pk) == PreviewStatus.READY
    attachment.refresh_from_db()
    assert attachment.preview.name == first
    storage = attachment.file.storage
    folder, stem = attachment.file.name.rsplit("/", 1)
    assert sorted(n for n in storage.listdir(folder)[1] if n.startswith(stem)) == [
        stem,
        f"{stem}.preview.jpg",
    ]
    # A deleted attachment's task finds nothing to do.
    assert services.attachment_make_preview(attachment_id=attachment.pk + 1000) is None


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("kapot.pdf", b"%PDF-1.7\n this is no pdf at all", "PDF cannot be opened"),
        ("bom.png", png_claiming(100_000, 100_000), "decompression bomb"),
        ("groot.png", png_claiming(9_000, 8_000), "too large"),
        ("kapot.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "image cannot be read"),
        ("affiche.pdf", pdf_bytes("size: 400cm 400cm"), "out of bounds"),
    ],
    ids=["broken pdf", "decompression bomb", "over our pixel limit", "broken png", "huge page"],
)
def test_a_broken_or_hostile_file_gets_no_preview_and_is_logged(
    client, network, cycle, django_capture_on_commit_callbacks, caplog, name, data, reason
):
    with caplog.at_level(logging.WARNING, logger="research_cycle.services"):
        entry = log_with_files(
            cycle, network.people["coach"], [(name, data)], django_capture_on_commit_callbacks
        )
    attachment = entry.attachments.get()
    assert attachment.preview_status == PreviewStatus.FAILED and not attachment.preview
    assert reason in caplog.text
    client.force_login(network.people["coach"])
    page = client.get(reverse("research_cycle:team_workspace", kwargs={"pk": network.team.pk}))
    html = page.content.decode()
    assert page.status_code == 200 and "Geen voorbeeld" in html and name in html
    preview = client.get(reverse("research_cycle:attachment_preview", kwargs={"pk": attachment.pk}))
    assert preview.status_code == 404


def test_the_timeline_shows_a_placeholder_while_the_preview_is_made(client, network, cycle):
    # Without the commit callbacks the task has not run yet.
    entry = services.log_entry_create(
        cycle=cycle,
        author=network.people["coach"],
        stage=cycle.current_stage,
        occurred_on=timezone.localdate(),
        summary="Foto van het bord",
        files=[SimpleUploadedFile("bord.png", png_bytes())],
    )
    assert entry.attachments.get().preview_status == PreviewStatus.PENDING
    client.force_login(network.people["coach"])
    html = client.get(
        reverse("research_cycle:team_workspace", kwargs={"pk": network.team.pk})
    ).content.decode()
    assert "Voorbeeld wordt gemaakt" in html


def test_the_beat_scan_makes_previews_whose_task_was_lost(
    network, cycle, django_capture_on_commit_callbacks
):
    services.log_entry_create(
        cycle=cycle,
        author=network.people["coach"],
        stage=cycle.current_stage,
        occurred_on=timezone.localdate(),
        summary="Foto van het bord",
        files=[SimpleUploadedFile("bord.png", png_bytes())],
    )
    assert services.attachment_previews_scan() == 0  # a fresh task may still be on its way
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        assert services.attachment_previews_scan() == 1
    assert Attachment.objects.get().preview_status == PreviewStatus.READY


# --- Serving: the same rule as the file itself, never a public URL ---------------

VIEWERS = {"coach", "research_teacher", "student_teacher", "bridge_builder", "school_leader",
           "process_facilitator", "network_admin"}  # fmt: skip


@pytest.fixture
def pdf_attachment(network, cycle, django_capture_on_commit_callbacks) -> Attachment:
    entry = log_with_files(
        cycle,
        network.people["coach"],
        [("enquête.pdf", pdf_bytes())],
        django_capture_on_commit_callbacks,
    )
    return entry.attachments.get()


@pytest.mark.parametrize("persona", [*PERSONAS, *CONTINUUM_PERSONAS, "anonymous"])
@pytest.mark.parametrize("view", ["attachment_view", "attachment_preview", "attachment_download"])
def test_permission_matrix(client, network, pdf_attachment, persona, view):
    """Whoever may see the team (read-only people too) sees the file, its inline
    view and its thumbnail; outsiders get 404, anonymous visitors the login page.
    The views only answer GET: there is nothing to write."""
    if persona != "anonymous":
        client.force_login(network.people[persona])
    url = reverse(f"research_cycle:{view}", kwargs={"pk": pdf_attachment.pk})
    response = client.get(url)
    if persona == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif persona in VIEWERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
    if persona == "coach":
        assert client.post(url).status_code == 405


def test_the_pdf_opens_inline_and_inert(client, network, pdf_attachment):
    client.force_login(network.people["school_leader"])  # may look, not log
    response = client.get(
        reverse("research_cycle:attachment_view", kwargs={"pk": pdf_attachment.pk})
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "enqu" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "default-src 'none'" in policy
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    preview = client.get(
        reverse("research_cycle:attachment_preview", kwargs={"pk": pdf_attachment.pk})
    )
    assert preview["Content-Type"] == "image/jpeg"
    assert preview["X-Content-Type-Options"] == "nosniff"
    assert b"".join(preview.streaming_content).startswith(b"\xff\xd8\xff")


def test_other_types_do_not_open_inline(client, network, cycle):
    entry = services.log_entry_create(
        cycle=cycle,
        author=network.people["coach"],
        stage=cycle.current_stage,
        occurred_on=timezone.localdate(),
        summary="Notities",
        files=[SimpleUploadedFile("notities.csv", b"a,b\n1,2\n")],
    )
    client.force_login(network.people["coach"])
    pk = entry.attachments.get().pk
    assert (
        client.get(reverse("research_cycle:attachment_view", kwargs={"pk": pk})).status_code == 404
    )
    assert (
        client.get(reverse("research_cycle:attachment_preview", kwargs={"pk": pk})).status_code
        == 404
    )


def test_files_and_previews_have_no_public_url(client, settings, network, pdf_attachment):
    assert not settings.MEDIA_URL.strip("/")  # nothing serves MEDIA_ROOT
    for name in (pdf_attachment.file.name, pdf_attachment.preview.name):
        assert name.startswith("private/")
        client.force_login(network.people["coach"])
        for guess in (f"/{name}", f"/media/{name}", f"/static/{name}"):
            assert client.get(guess).status_code == 404
    # The timeline links to the permission-checked views only.
    html = client.get(
        reverse("research_cycle:team_workspace", kwargs={"pk": network.team.pk})
    ).content.decode()
    assert reverse("research_cycle:attachment_preview", kwargs={"pk": pdf_attachment.pk}) in html
    assert pdf_attachment.preview.name not in html and pdf_attachment.file.name not in html


def test_deleting_the_entry_removes_file_and_preview(
    network, cycle, pdf_attachment, django_capture_on_commit_callbacks
):
    storage = pdf_attachment.file.storage
    names = [pdf_attachment.file.name, pdf_attachment.preview.name]
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.log_entry_delete(entry=pdf_attachment.log_entry)
    assert not any(storage.exists(name) for name in names)


def test_workspace_query_budget_with_many_previews(
    client, network, cycle, django_assert_max_num_queries
):
    coach = network.people["coach"]
    entries = LogEntry.objects.bulk_create(
        LogEntry(
            cycle=cycle,
            stage=cycle.current_stage,
            author=coach,
            occurred_on=timezone.localdate(),
            summary=f"Stap {i}",
        )
        for i in range(40)
    )
    statuses = [PreviewStatus.READY, PreviewStatus.PENDING, PreviewStatus.FAILED]
    Attachment.objects.bulk_create(
        Attachment(
            log_entry=entry,
            file=f"private/x/{entry.pk}-{n}",
            preview=f"private/x/{entry.pk}-{n}.preview.jpg",
            original_name=f"bijlage-{entry.pk}-{n}.pdf",
            content_type="application/pdf",
            size=10,
            preview_status=statuses[n],
        )
        for entry in entries
        for n in range(3)
    )
    client.force_login(coach)
    # The workspace's own budget (20: the suggestions panel and knowledge injections
    # included, see tests/research_cycle/test_views.py); previews add no query.
    with django_assert_max_num_queries(20):
        response = client.get(
            reverse("research_cycle:team_workspace", kwargs={"pk": network.team.pk})
        )
    html = response.content.decode()
    assert html.count('class="attachment-thumb"') >= 15  # previews on the first page
    assert "Voorbeeld wordt gemaakt" in html and "Geen voorbeeld" in html
