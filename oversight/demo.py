"""Demo data for the oversight pages: the demo bridge-builder's other schools
(schools[1:4]) show each state — a team on track, a team flagged for inactivity
and a team stuck in one stage — and the demo school has a partnership agreement.

Runs after ``research_cycle.demo`` (see DEMO_MODULES) and only adjusts the teams
of schools[1:4]; a team without a cycle gets one through ``cycle_start``.
Idempotent: a second run leaves the same states.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from research_cycle.models import CycleStage, LogEntry, ResearchCycle
from research_cycle.services import cycle_advance_stage, cycle_start, log_entry_create

from .models import AgreementItem, PartnershipAgreement

DEMO_MARK = "[demo-oversight]"


def _cycle(team, user) -> ResearchCycle:
    cycle = team.cycles.open().order_by("-number").first()
    return cycle or cycle_start(team=team, user=user)


def _advance_to(cycle: ResearchCycle, order: int, user) -> ResearchCycle:
    while cycle.current_stage.order < order and not cycle.is_completed:
        cycle = cycle_advance_stage(
            cycle=cycle, user=user, reason="Demo: de begeleider zette het team verder."
        )
    return cycle


def _ensure_entry(cycle, user, occurred_on: datetime.date, summary: str) -> None:
    if not LogEntry.objects.filter(cycle=cycle, summary__endswith=DEMO_MARK).exists():
        log_entry_create(
            cycle=cycle,
            author=user,
            stage=cycle.current_stage,
            occurred_on=occurred_on,
            summary=f"{summary} {DEMO_MARK}",
        )
    LogEntry.objects.filter(cycle=cycle, summary__endswith=DEMO_MARK).update(
        occurred_on=occurred_on, stage=cycle.current_stage
    )


def seed_team_states(network) -> None:
    bridge_builder = network.people["bridge_builder"]
    today = timezone.localdate()
    now = timezone.now()
    inactive_days = settings.LEERBRUG_INACTIVITY_DAYS + 9
    stuck_days = settings.LEERBRUG_STAGE_STUCK_DAYS + 30
    on_track, inactive, stuck = (network.teams[s.pk] for s in network.schools[1:4])

    # On track: in stage 4, logged three days ago.
    cycle = _advance_to(_cycle(on_track, bridge_builder), 4, bridge_builder)
    ResearchCycle.objects.filter(pk=cycle.pk).update(
        stage_entered_at=now - datetime.timedelta(days=12)
    )
    _ensure_entry(
        cycle,
        bridge_builder,
        today - datetime.timedelta(days=3),
        "Twee artikels over leesmotivatie samen gelezen en besproken.",
    )

    # Flagged for inactivity: nothing logged for longer than the threshold.
    cycle = _advance_to(_cycle(inactive, bridge_builder), 2, bridge_builder)
    ResearchCycle.objects.filter(pk=cycle.pk).update(
        stage_entered_at=now - datetime.timedelta(days=inactive_days + 5)
    )
    _ensure_entry(
        cycle,
        bridge_builder,
        today - datetime.timedelta(days=inactive_days),
        "Eerste verkenning van het dilemma met het schoolteam.",
    )
    LogEntry.objects.filter(
        cycle__team=inactive, occurred_on__gt=today - datetime.timedelta(days=inactive_days)
    ).update(occurred_on=today - datetime.timedelta(days=inactive_days))

    # Stuck: logs regularly but has stayed in data collection for months.
    cycle = _advance_to(_cycle(stuck, bridge_builder), 5, bridge_builder)
    ResearchCycle.objects.filter(pk=cycle.pk).update(
        stage_entered_at=now - datetime.timedelta(days=stuck_days)
    )
    _ensure_entry(
        cycle,
        bridge_builder,
        today - datetime.timedelta(days=6),
        "Nog steeds bevragingen bij ouders aan het verzamelen.",
    )


AGREEMENT_GOALS = (
    "Een onderzoekscultuur in de hele school opbouwen.\n"
    "Student-leraren volwaardig laten meedraaien in het onderzoeksteam.\n"
    "Resultaten van het onderzoek verankeren in het schoolbeleid."
)

# (party, kind, description, quantity, unit, measure)
AGREEMENT_ITEMS = [
    ("school", "contribution", "Stageplaatsen voor student-leraren", 5, "plaatsen", "placements"),
    ("school", "contribution", "Leerkracht-coaches", 2, "coaches", "coaches"),
    ("school", "contribution", "Tijd voor de leerkracht-coaches", 2, "uur per week", ""),
    ("school", "return", "Afgeronde onderzoekscyclus", 1, "cyclus", "cycles_completed"),
    (
        "institution",
        "contribution",
        "Bruggenbouwer (40 uur)",
        1,
        "bruggenbouwer",
        "bridge_builders",
    ),
    ("institution", "contribution", "Coachopleiding voor de leerkracht-coaches", 1, "traject", ""),
    ("institution", "contribution", "Sessies van het lerend netwerk", 4, "sessies", "sessions"),
    ("institution", "contribution", "Just-in-time kennissessies", None, "op vraag", ""),
    (
        "institution",
        "return",
        "Gepubliceerde studie in de kennisbank",
        1,
        "studie",
        "studies_published",
    ),
]


def seed_agreement(network) -> PartnershipAgreement:
    agreement, created = PartnershipAgreement.objects.get_or_create(
        school=network.home_school,
        school_year=network.school_year,
        defaults={"goals": AGREEMENT_GOALS},
    )
    if created:
        for order, (party, kind, description, quantity, unit, measure) in enumerate(
            AGREEMENT_ITEMS, 1
        ):
            AgreementItem.objects.create(
                agreement=agreement,
                party=party,
                kind=kind,
                description=description,
                quantity=None if quantity is None else Decimal(quantity),
                unit=unit,
                measure=measure,
                order=order,
            )
        now = timezone.now()
        agreement.school_agreed_by = network.people["school_leader"]
        agreement.school_agreed_at = now - datetime.timedelta(days=40)
        agreement.institution_agreed_by = network.people["admin"]
        agreement.institution_agreed_at = now - datetime.timedelta(days=38)
        agreement.save()
    return agreement


def seed(network) -> None:
    if not CycleStage.objects.exists():
        return
    seed_team_states(network)
    seed_agreement(network)
