"""Rows for the admin's changelist query budget test (tests/partnership/test_admin.py)."""

from django.utils import timezone

from privacy.models import (
    AccessRecord,
    DataExport,
    ErasureRequest,
    ExportMail,
    RetentionRun,
    TeamFilesNotice,
)
from research_cycle.services import cycle_start
from tests import factories


def fill(network, rows: int) -> None:
    now = timezone.now()
    cycle = network.team.current_cycle or cycle_start(
        team=network.team, user=network.people["coach"]
    )
    for _ in range(rows):
        user = factories.UserFactory()
        export = DataExport.objects.create(user=user)
        ExportMail.objects.create(export=export, recipient=user)
        ErasureRequest.objects.create(user=user, due_at=now)
        AccessRecord.objects.create(
            user=user, kind="attachment", what="x", path="/", team=network.team
        )
        TeamFilesNotice.objects.create(cycle=cycle, recipient=user)
        RetentionRun.objects.create(removed={"access_log_records": 1})
