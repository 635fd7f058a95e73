"""The suggestion: student-proposing deferred acceptance. Stable (no student and
line would both rather be together), deterministic, and explained."""

import datetime
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from placements.allocation import Applicant, Line, Why, priority_key, suggest

PERIOD = 7
T0 = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)


def at(minutes: int) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=minutes)


def test_everyone_gets_their_first_choice_when_there_is_room():
    lines = [Line(1, free=1), Line(2, free=1)]
    applicants = [Applicant(10, [1, 2], at(0)), Applicant(11, [2, 1], at(1))]
    result = suggest(applicants, lines, period_id=PERIOD)
    assert (result[10].line, result[10].rank) == (1, 1)
    assert (result[11].line, result[11].rank) == (2, 1)


def test_earlier_submission_wins_a_full_place_and_the_other_is_told_why():
    lines = [Line(1, free=1), Line(2, free=1)]
    applicants = [Applicant(10, [1, 2], at(5)), Applicant(11, [1, 2], at(1))]
    result = suggest(applicants, lines, period_id=PERIOD)
    assert result[11].line == 1
    assert (result[10].line, result[10].rank, result[10].passed_over) == (2, 2, [(1, Why.FULL)])


def test_students_who_join_the_research_team_come_first_where_the_school_has_one():
    lines = [Line(1, free=1, has_team=True), Line(2, free=1)]
    late_team = Applicant(10, [1, 2], at(9), wants_research_team=True)
    early = Applicant(11, [1, 2], at(0))
    result = suggest([late_team, early], lines, period_id=PERIOD)
    assert result[10].line == 1
    assert result[11].line == 2
    # Without a team at the school the wish gives no priority.
    result = suggest([late_team, early], [Line(1, free=1), Line(2, free=1)], period_id=PERIOD)
    assert result[11].line == 1


def test_a_line_without_free_places_is_skipped_and_said_so():
    result = suggest(
        [Applicant(10, [1, 3, 2], at(0))], [Line(1, free=0), Line(2, free=1)], period_id=PERIOD
    )
    assert result[10].line == 2
    assert result[10].passed_over == [(1, Why.NO_PLACE), (2, Why.UNKNOWN)]


def test_nobody_is_placed_over_capacity_and_the_rest_is_unplaced():
    applicants = [Applicant(i, [1], at(i)) for i in range(5)]
    result = suggest(applicants, [Line(1, free=2)], period_id=PERIOD)
    placed = sorted(s for s, o in result.items() if o.line == 1)
    assert placed == [0, 1]
    assert result[4].line is None and result[4].passed_over == [(1, Why.FULL)]


@st.composite
def markets(draw):
    """Random lines (0–3 free places) and students ranking up to five of them."""
    line_count = draw(st.integers(1, 8))
    lines = [
        Line(pk, free=draw(st.integers(0, 3)), has_team=draw(st.booleans()))
        for pk in range(1, line_count + 1)
    ]
    applicants = []
    for student in range(draw(st.integers(0, 25))):
        choices = draw(
            st.lists(st.integers(1, line_count + 1), unique=True, max_size=5)
        )  # line_count + 1: a line no longer offered
        applicants.append(
            Applicant(
                100 + student,
                choices,
                at(draw(st.integers(0, 30))),
                wants_research_team=draw(st.booleans()),
            )
        )
    return applicants, lines


@settings(max_examples=300, deadline=None, derandomize=True)
@given(markets())
def test_the_suggestion_is_stable_within_capacity_and_deterministic(market):
    applicants, lines = market
    result = suggest(applicants, lines, period_id=PERIOD)
    by_line = {line.pk: line for line in lines}
    held = {line.pk: [s for s, o in result.items() if o.line == line.pk] for line in lines}
    students = {a.student_id: a for a in applicants}
    # Within capacity, and only on lines the student chose.
    for pk, holders in held.items():
        assert len(holders) <= by_line[pk].free
    for student_id, outcome in result.items():
        if outcome.line is not None:
            assert students[student_id].choices[outcome.rank - 1] == outcome.line
    # No blocking pair: every line a student prefers is full of students with priority.
    for applicant in applicants:
        outcome = result[applicant.student_id]
        better = applicant.choices[: outcome.rank - 1] if outcome.rank else applicant.choices
        for line_id in better:
            line = by_line.get(line_id)
            if line is None:
                continue
            assert len(held[line_id]) == line.free
            mine = priority_key(applicant, line, PERIOD)
            assert all(priority_key(students[s], line, PERIOD) < mine for s in held[line_id])
    # The same requests in another order give the same suggestion.
    shuffled = list(applicants)
    random.Random(1).shuffle(shuffled)
    again = suggest(shuffled, list(reversed(lines)), period_id=PERIOD)
    assert {s: (o.line, o.rank) for s, o in again.items()} == {
        s: (o.line, o.rank) for s, o in result.items()
    }
