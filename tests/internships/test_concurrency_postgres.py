"""The mentor teacher and the bridge-builder submit at the same moment: the
placement row lock makes the second see the first, so the moment is complete and
the student is mailed once (not zero times, not twice). Two log entries for the
same day at once: one is saved, the other refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from internships import services
from internships.models import EvaluatorRole, InternshipMail, LogEntry, Moment
from tests.network_sessions.test_exactly_once_postgres import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("today")
def test_both_evaluations_at_once_complete_the_moment_and_mail_once(
    network, internship, rubric, mailoutbox
):
    levels = {c.pk: c.levels.get(rank=3) for c in rubric.criteria.all()}
    evaluators = iter(
        [
            (EvaluatorRole.MENTOR, network.people["mentor"]),
            (EvaluatorRole.BRIDGE_BUILDER, network.people["bridge_builder"]),
        ]
    )

    def submit():
        role, author = next(evaluators)
        return services.evaluation_save(
            placement=internship,
            moment=Moment.MID_TERM,
            evaluator_role=role,
            author=author,
            levels=levels,
            summary="",
            submit=True,
        )

    run_at_once(submit, 2)
    assert services.moment_complete(internship, Moment.MID_TERM)
    assert InternshipMail.objects.count() == 1
    assert [m.to for m in mailoutbox] == [[network.people["student_teacher"].email]]


@pytest.mark.usefixtures("today")
def test_the_same_day_logged_twice_at_once_is_saved_once(internship):
    def log():
        try:
            return services.log_entry_save(
                placement=internship,
                span="day",
                date=datetime.date(2026, 3, 2),
                hours=Decimal("6"),
                reflection="Dag",
            )
        except ValidationError as error:
            return error

    results = run_at_once(log, 2)
    assert LogEntry.objects.count() == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
