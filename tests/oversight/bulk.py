"""A large network built with bulk_create, for query budgets and the benchmark:
``schools`` schools × ``teams_per_school`` teams × ``entries_per_team`` log entries."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from partnership.models import (
    Institution,
    LearningCommunity,
    LearningCommunityMembership,
    Partnership,
    SchoolYear,
)
from research_cycle.models import (
    ChecklistCheck,
    ChecklistItem,
    CycleStage,
    LogEntry,
    ResearchCycle,
    ResearchTeam,
    TeamMembership,
)
from schools.models import Role, RoleMembership, School


@dataclass
class BulkNetwork:
    school_year: SchoolYear
    schools: list
    teams: list
    bridge_builder: User
    process_facilitator: User
    admin: User
    coach: User


def build(
    *,
    schools: int = 60,
    teams_per_school: int = 2,
    entries_per_team: int = 200,
    school_year: SchoolYear | None = None,
    prefix: str = "bulk",
) -> BulkNetwork:
    if school_year is None:
        school_year, _ = SchoolYear.objects.get_or_create(
            name="2025-2026",
            defaults={
                "starts_on": datetime.date(2025, 9, 1),
                "ends_on": datetime.date(2026, 6, 30),
                "is_current": not SchoolYear.objects.filter(is_current=True).exists(),
            },
        )
    institution = Institution.objects.create(name=f"{prefix} lerarenopleiding")
    partnership = Partnership.objects.create(name=f"{prefix} netwerk", institution=institution)
    people = User.objects.bulk_create(
        [
            User(email=f"{prefix}-{key}@bulk.test", full_name=f"{prefix} {key}")
            for key in ["bridge-builder", "facilitator", "admin", "coach"]
        ]
    )
    bridge_builder, facilitator, admin, coach = people
    admin.is_superuser = admin.is_staff = True
    admin.save(update_fields=["is_superuser", "is_staff"])
    student_teachers = User.objects.bulk_create(
        [
            User(email=f"{prefix}-st{i}@bulk.test", full_name=f"Student-leraar {i}")
            for i in range(schools)
        ]
    )
    school_rows = School.objects.bulk_create(
        [
            School(
                partnership=partnership,
                name=f"{prefix} school {i:03d}",
                institution_number=f"{prefix[:4]}{i:05d}",
                level="primary",
                city="Brussel",
            )
            for i in range(schools)
        ]
    )
    roles = []
    for index, school in enumerate(school_rows):
        roles += [
            RoleMembership(
                user=bridge_builder,
                role=Role.BRIDGE_BUILDER,
                school=school,
                institution=institution,
                school_year=school_year,
            ),
            RoleMembership(
                user=student_teachers[index],
                role=Role.STUDENT_TEACHER,
                school=school,
                institution=institution,
                school_year=school_year,
            ),
            RoleMembership(user=coach, role=Role.COACH, school=school, school_year=school_year),
        ]
    RoleMembership.objects.bulk_create(roles)
    RoleMembership.objects.create(
        user=facilitator,
        role=Role.PROCESS_FACILITATOR,
        institution=institution,
        school_year=school_year,
    )
    communities = LearningCommunity.objects.bulk_create(
        [
            LearningCommunity(
                partnership=partnership,
                school_year=school_year,
                name=f"{prefix} PLG {n}",
                process_facilitator=facilitator,
                learning_questions="Hoe bouwen we een onderzoekscultuur?",
            )
            for n in range((schools + 3) // 4)
        ]
    )
    LearningCommunityMembership.objects.bulk_create(
        [
            LearningCommunityMembership(
                community=communities[i // 4], school=school, slot=i % 4 + 1
            )
            for i, school in enumerate(school_rows)
        ]
    )
    team_rows = ResearchTeam.objects.bulk_create(
        [
            ResearchTeam(school=school, school_year=school_year, theme=f"Thema {t}")
            for school in school_rows
            for t in range(teams_per_school)
        ]
    )
    TeamMembership.objects.bulk_create(
        [TeamMembership(team=team, user=coach, role="coach") for team in team_rows]
    )
    stages = list(CycleStage.objects.order_by("order"))
    now = timezone.now()
    cycles = ResearchCycle.objects.bulk_create(
        [
            ResearchCycle(
                team=team,
                number=1,
                current_stage=stages[i % len(stages)],
                stage_entered_at=now - datetime.timedelta(days=i % 90),
                started_at=now - datetime.timedelta(days=120),
            )
            for i, team in enumerate(team_rows)
        ]
    )
    for team, cycle in zip(team_rows, cycles, strict=True):
        team.current_cycle = cycle
    ResearchTeam.objects.bulk_update(team_rows, ["current_cycle"])
    items = {}
    for item in ChecklistItem.objects.all():
        items.setdefault(item.stage_id, []).append(item)
    ChecklistCheck.objects.bulk_create(
        [
            ChecklistCheck(cycle=cycle, item=items[cycle.current_stage_id][0], checked_by=coach)
            for cycle in cycles
            if items.get(cycle.current_stage_id)
        ]
    )
    span = (school_year.ends_on - school_year.starts_on).days
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                cycle=cycle,
                stage=cycle.current_stage,
                author=coach,
                occurred_on=school_year.starts_on + datetime.timedelta(days=(n * 7 + i) % span),
                summary=f"Logboek {n}",
            )
            for i, cycle in enumerate(cycles)
            for n in range(entries_per_team)
        ],
        batch_size=2000,
    )
    _refresh_planner_statistics()
    return BulkNetwork(
        school_year=school_year,
        schools=school_rows,
        teams=team_rows,
        bridge_builder=bridge_builder,
        process_facilitator=facilitator,
        admin=admin,
        coach=coach,
    )


def _refresh_planner_statistics() -> None:
    """Bulk inserts leave PostgreSQL planning with empty-table statistics until
    autovacuum gets round to them; whether it has decides the plan (seconds versus
    minutes here). ANALYZE inside the test transaction counts its own rows, so the
    plan is the one production gets with autovacuum's statistics."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
