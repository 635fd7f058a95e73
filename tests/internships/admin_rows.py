"""Rows for the admin's changelist query budget test (tests/partnership/test_admin.py)."""

import datetime

from django.utils import timezone

from internships.models import (
    Evaluation,
    EvaluationResponse,
    LogEntry,
    MentorTraining,
    Rubric,
    Score,
)
from tests import factories

from .helpers import make_placement


def fill(network, rows: int) -> None:
    now = timezone.now()
    for number in range(rows):
        school = factories.SchoolFactory(partnership=network.partnership)
        student, mentor = factories.UserFactory(), factories.UserFactory()
        placement = make_placement(network, student=student, school=school, mentor=mentor)
        rubric = Rubric.objects.create(
            institution=network.institution, name=f"Rubric {number}", is_active=False
        )
        criterion = rubric.criteria.create(title_nl="Klasklimaat", title_en="Classroom climate")
        level = criterion.levels.create(rank=1, label_nl="Groeiend", label_en="Developing")
        LogEntry.objects.create(
            placement=placement,
            date=datetime.date(2026, 2, 3),
            hours=6,
            reflection="Dag",
            confirmed_at=now,
            confirmed_by=mentor,
        )
        evaluation = Evaluation.objects.create(
            placement=placement,
            moment="mid_term",
            evaluator_role="mentor",
            author=mentor,
            rubric=rubric,
            submitted_at=now,
        )
        Score.objects.create(evaluation=evaluation, criterion=criterion, level=level)
        EvaluationResponse.objects.create(
            placement=placement, moment="mid_term", author=student, body="Dank"
        )
        MentorTraining.objects.create(
            mentor=mentor, title="Basis", completed_on=datetime.date(2025, 10, 1), hours=6
        )
