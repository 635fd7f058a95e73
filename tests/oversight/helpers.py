import datetime

from django.utils import timezone

from research_cycle.models import LogEntry, ResearchCycle
from research_cycle.services import cycle_advance_stage, cycle_start


def start_cycle(team, user, *, stage_order: int = 1, days_in_stage: int = 0):
    cycle = cycle_start(team=team, user=user)
    while cycle.current_stage.order < stage_order:
        cycle = cycle_advance_stage(cycle=cycle, user=user, reason="Verder")
    ResearchCycle.objects.filter(pk=cycle.pk).update(
        stage_entered_at=timezone.now() - datetime.timedelta(days=days_in_stage),
        started_at=timezone.now() - datetime.timedelta(days=days_in_stage),
    )
    cycle.refresh_from_db()
    return cycle


def complete_cycle(cycle, user):
    while not cycle.is_completed:
        cycle = cycle_advance_stage(cycle=cycle, user=user, reason="Verder")
    return cycle


def log(cycle, author, occurred_on, summary="We hebben gewerkt."):
    return LogEntry.objects.create(
        cycle=cycle,
        stage=cycle.current_stage,
        author=author,
        occurred_on=occurred_on,
        summary=summary,
    )
