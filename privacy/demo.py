"""Demo privacy data for ``seed_demo``: the coach's ready data export (so "My
data" shows a download) and a few downloads of the home team's diary files in its
access log. Idempotent."""

from research_cycle.models import Attachment

from .models import AccessRecord, DataExport
from .services import access_record, export_build


def seed(network) -> None:
    coach = network.people["coach"]
    if not DataExport.objects.filter(user=coach).exists():
        export = DataExport.objects.create(user=coach)
        export_build(export_id=export.pk)
    team = network.home_team
    if AccessRecord.objects.filter(team=team).exists():
        return
    attachments = Attachment.objects.filter(log_entry__cycle__team=team).order_by("pk")[:3]
    for attachment, person in zip(
        attachments, ["bridge_builder", "school_leader", "research_teacher"], strict=False
    ):
        access_record(
            user=network.people[person],
            kind="attachment",
            what=attachment.original_name,
            path=f"/attachments/{attachment.pk}/",
            team=team,
        )
