"""A research diary with a file, for the privacy tests."""

import datetime
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from research_cycle.models import CycleStage, LogEntry, ResearchCycle
from research_cycle.services import comment_add, cycle_start, log_entry_create


def open_cycle(network) -> ResearchCycle:
    return network.team.current_cycle or cycle_start(
        team=network.team, user=network.people["coach"]
    )


def diary_entry(
    network, author, *, summary="Interview met leerlingen", file_text=b"notities"
) -> LogEntry:
    cycle = open_cycle(network)
    entry = log_entry_create(
        cycle=cycle,
        author=author,
        stage=CycleStage.objects.order_by("order").first(),
        occurred_on=datetime.date(2025, 10, 1),
        summary=summary,
        files=[SimpleUploadedFile("interview.txt", file_text)] if file_text else [],
    )
    comment_add(entry=entry, author=author, body="Goed idee")
    return entry


def zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
