"""The services of internships: the log's rules, confirmation, evaluations against
the rubric, the student's response and mentor training."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from internships import services
from internships.models import Evaluation, EvaluatorRole, LogEntry, Moment, Rubric
from placements.models import Placement

from .helpers import make_placement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

MONDAY = datetime.date(2026, 3, 2)
TODAY = datetime.date(2026, 3, 4)


def log(internship, **overrides):
    values = {
        "placement": internship,
        "span": LogEntry.Span.DAY,
        "date": MONDAY,
        "hours": Decimal("6.5"),
        "reflection": "Leesles gegeven.",
    } | overrides
    return services.log_entry_save(**values)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_the_student_logs_a_day_and_changes_it(internship):
    entry = log(internship)
    assert (entry.date, entry.hours) == (MONDAY, Decimal("6.5"))
    changed = log(internship, entry=entry, hours=Decimal("7"), reflection="Beter")
    assert changed.pk == entry.pk
    assert LogEntry.objects.get().hours == Decimal("7")


def test_a_week_entry_is_dated_on_its_monday(internship):
    entry = log(internship, span=LogEntry.Span.WEEK, date=datetime.date(2026, 2, 12), hours=30)
    assert entry.date == datetime.date(2026, 2, 9)


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"date": datetime.date(2026, 3, 5)}, "date", "nog niet gekomen"),
        ({"date": datetime.date(2026, 1, 30)}, "date", "periode van de stage"),
        ({"date": datetime.date(2026, 3, 16)}, "date", "nog niet gekomen"),
        ({"hours": Decimal("24.5")}, "hours", "24"),
        ({"hours": Decimal("-3")}, "hours", "boven nul"),
        ({"hours": Decimal("0")}, "hours", "boven nul"),
        # This week so far: Monday to Wednesday, three days of at most 24 hours.
        ({"span": "week", "hours": Decimal("73")}, "hours", "Hoogstens 72"),
    ],
)
def test_bad_hours_are_refused_with_a_field_message(internship, overrides, field, words):
    with pytest.raises(ValidationError) as excinfo:
        log(internship, **overrides)
    assert words in " ".join(errors_of(excinfo)[field])
    assert not LogEntry.objects.exists()


def test_a_day_is_logged_once_and_not_inside_a_logged_week(internship):
    log(internship)
    with pytest.raises(ValidationError) as excinfo:
        log(internship, hours=Decimal("2"))
    assert "al een regel" in errors_of(excinfo)["date"][0]
    with pytest.raises(ValidationError) as excinfo:
        log(internship, span="week", date=datetime.date(2026, 3, 3), hours=Decimal("10"))
    assert "uren per dag" in errors_of(excinfo)["date"][0]
    assert LogEntry.objects.count() == 1


def test_the_log_is_closed_outside_a_running_or_confirmed_placement(internship):
    Placement.objects.filter(pk=internship.pk).update(state=Placement.State.COMPLETED)
    with pytest.raises(ValidationError, match="afgesloten"):
        log(internship)


def test_the_mentor_confirms_hours_and_then_they_are_fixed(network, internship):
    first = log(internship)
    second = log(internship, date=datetime.date(2026, 3, 3))
    mentor = network.people["mentor"]
    assert services.hours_confirm(placement=internship, entries=[first], mentor=mentor) == 1
    # Confirming again, or an entry of another placement, changes nothing.
    other = make_placement(network, student=network.people["research_teacher"], mentor=mentor)
    foreign = log(other)
    assert (
        services.hours_confirm(placement=internship, entries=[first, foreign], mentor=mentor) == 0
    )
    first.refresh_from_db()
    assert first.confirmed_by == mentor and first.confirmed_at is not None
    assert not LogEntry.objects.get(pk=foreign.pk).is_confirmed
    with pytest.raises(ValidationError, match="Bevestigde"):
        log(internship, entry=first, hours=Decimal("1"))
    with pytest.raises(ValidationError, match="Bevestigde"):
        services.log_entry_delete(entry=first)
    services.log_entry_delete(entry=second)
    assert list(LogEntry.objects.filter(placement=internship)) == [first]


def levels_for(rubric: Rubric, rank: int = 3) -> dict:
    return {c.pk: c.levels.get(rank=rank) for c in rubric.criteria.all()}


def evaluate(internship, role, author, rubric, *, submit=True, levels=None, moment=Moment.MID_TERM):
    return services.evaluation_save(
        placement=internship,
        moment=moment,
        evaluator_role=role,
        author=author,
        levels=levels if levels is not None else levels_for(rubric),
        summary="Sterk voorbereid.",
        submit=submit,
    )


def test_a_level_outside_the_rubric_is_refused(network, internship, rubric):
    other_rubric = Rubric.objects.create(
        institution=network.institution, name="Oud", is_active=False
    )
    foreign_level = other_rubric.criteria.create(title_nl="X", title_en="X").levels.create(
        rank=1, label_nl="A", label_en="A"
    )
    criteria = list(rubric.criteria.all())
    levels = levels_for(rubric)
    # Another rubric's level, and a level of another criterion of this rubric.
    levels[criteria[0].pk] = foreign_level
    levels[criteria[1].pk] = criteria[2].levels.first()
    with pytest.raises(ValidationError) as excinfo:
        evaluate(internship, EvaluatorRole.MENTOR, network.people["mentor"], rubric, levels=levels)
    assert set(errors_of(excinfo)) == {f"criterion_{criteria[0].pk}", f"criterion_{criteria[1].pk}"}
    assert not Evaluation.objects.exists()


def test_a_draft_may_be_partial_a_submitted_evaluation_is_complete_and_final(
    network, internship, rubric
):
    mentor = network.people["mentor"]
    first = rubric.criteria.first()
    draft = evaluate(
        internship,
        EvaluatorRole.MENTOR,
        mentor,
        rubric,
        submit=False,
        levels={first.pk: first.levels.get(rank=2)},
    )
    assert not draft.is_submitted and draft.scores.count() == 1
    with pytest.raises(ValidationError) as excinfo:
        evaluate(internship, EvaluatorRole.MENTOR, mentor, rubric, levels={first.pk: None})
    assert len(errors_of(excinfo)) == rubric.criteria.count()
    submitted = evaluate(internship, EvaluatorRole.MENTOR, mentor, rubric)
    assert submitted.pk == draft.pk and submitted.is_submitted
    assert submitted.scores.count() == 5
    with pytest.raises(ValidationError, match="definitief"):
        evaluate(internship, EvaluatorRole.MENTOR, mentor, rubric)


def test_without_a_rubric_in_use_nobody_can_evaluate(network, internship, rubric):
    Rubric.objects.update(is_active=False)
    with pytest.raises(ValidationError, match="nog geen rubric"):
        evaluate(internship, EvaluatorRole.MENTOR, network.people["mentor"], rubric)


def test_the_student_responds_only_once_the_moment_is_complete(network, internship, rubric):
    student = network.people["student_teacher"]
    evaluate(internship, EvaluatorRole.MENTOR, network.people["mentor"], rubric)
    with pytest.raises(ValidationError, match="beide evaluaties"):
        services.evaluation_respond(
            placement=internship, moment=Moment.MID_TERM, student=student, body="Dank"
        )
    evaluate(internship, EvaluatorRole.BRIDGE_BUILDER, network.people["bridge_builder"], rubric)
    assert services.moment_complete(internship, Moment.MID_TERM)
    assert not services.moment_complete(internship, Moment.FINAL)
    response = services.evaluation_respond(
        placement=internship, moment=Moment.MID_TERM, student=student, body="Dank"
    )
    again = services.evaluation_respond(
        placement=internship, moment=Moment.MID_TERM, student=student, body="Dank je"
    )
    assert again.pk == response.pk and again.body == "Dank je"


def test_mentor_training_is_recorded_but_not_before_it_happened(network):
    mentor = network.people["mentor"]
    training = services.mentor_training_add(
        mentor=mentor, title="Basisopleiding", completed_on=TODAY, hours=Decimal("12")
    )
    assert training.hours == 12
    with pytest.raises(ValidationError) as excinfo:
        services.mentor_training_add(
            mentor=mentor, title="Later", completed_on=TODAY + datetime.timedelta(days=1), hours=3
        )
    assert "completed_on" in errors_of(excinfo)
    with pytest.raises(ValidationError):
        services.mentor_training_add(
            mentor=mentor, title="Te veel", completed_on=TODAY, hours=Decimal("0")
        )
    assert mentor.mentor_trainings.count() == 1
