import datetime

import pytest
from django.utils import timezone

from research_cycle.models import Comment, LogEntry
from research_cycle.services import cycle_start


@pytest.fixture
def cycle(network):
    """The home team's first cycle, at stage 1 (dilemma)."""
    return cycle_start(team=network.team, user=network.people["coach"])


@pytest.fixture
def long_timeline(network, cycle) -> list[LogEntry]:
    """500 log entries by the coach over 200 days ("Stap 0" the newest), the first
    50 with a comment by the bridge-builder: 25 pages of the team's timeline, for
    the query budgets."""
    entries = LogEntry.objects.bulk_create(
        LogEntry(
            cycle=cycle,
            stage=cycle.current_stage,
            author=network.people["coach"],
            occurred_on=timezone.localdate() - datetime.timedelta(days=i % 200),
            summary=f"Stap {i}",
        )
        for i in range(500)
    )
    Comment.objects.bulk_create(
        Comment(log_entry=entries[i], author=network.people["bridge_builder"], body="ok")
        for i in range(50)
    )
    return entries
