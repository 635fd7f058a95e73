"""The allocation suggestion: student-proposing deferred acceptance (Gale–Shapley).

Each student teacher with a request in the period proposes to the places they
ranked, best first; a capacity line holds at most its free places and, when
over, rejects the student with the lowest priority, who then proposes to their
next choice. The result is **stable**: no student prefers a line that has a free
place or holds someone with a lower priority there, and it is the best stable
result for every student (no stable assignment gives anyone a better choice).

The schools' priority is the same at every line and documented here, so the
coordinator can explain it (``priority_key``):

1. students who asked to join the research team, at a school that has a team
   that year;
2. then the earlier preference submission;
3. then a stable hash of the period and the student (no ties; the same input
   always gives the same result, whatever the order of the rows).

This module is pure Python over small dataclasses (no database), so the
benchmark and the property tests run it directly.
"""

import datetime
import hashlib
import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Line:
    """A capacity line: ``free`` places to fill; ``has_team``: the school has a
    research team that year."""

    pk: int
    free: int
    has_team: bool = False


@dataclass(frozen=True)
class Applicant:
    """A student teacher's request: their ranked choices (capacity line ids)."""

    student_id: int
    choices: Sequence[int]
    submitted_at: datetime.datetime
    wants_research_team: bool = False


class Why(StrEnum):
    """Why an earlier choice was not given."""

    FULL = "full"  # its places went to students with a higher priority
    NO_PLACE = "no_place"  # it had no free place at all
    UNKNOWN = "unknown"  # the line is no longer offered


@dataclass
class Outcome:
    """What the suggestion gives one student: a line and which choice it was (1 =
    first), with why each better choice was not given; ``line`` None: no place."""

    line: int | None = None
    rank: int | None = None
    passed_over: list[tuple[int, Why]] = field(default_factory=list)


def stable_hash(period_id: int, student_id: int) -> int:
    """A tie-breaker that does not depend on row order or on the Python process."""
    digest = hashlib.sha256(f"{period_id}:{student_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def priority_key(
    applicant: Applicant, line: Line, period_id: int
) -> tuple[int, datetime.datetime, int]:
    """Lower is better: research team first (where the school has one), then the
    earlier submission, then the stable hash."""
    team_first = 0 if applicant.wants_research_team and line.has_team else 1
    return (team_first, applicant.submitted_at, stable_hash(period_id, applicant.student_id))


def suggest(
    applicants: Iterable[Applicant], lines: Iterable[Line], *, period_id: int
) -> dict[int, Outcome]:
    """Student-proposing deferred acceptance; one ``Outcome`` per student id."""
    by_id = {line.pk: line for line in lines}
    students = {a.student_id: a for a in applicants}
    outcomes = {pk: Outcome() for pk in students}
    # Per line, the students it holds as a heap of (negated priority, student): the
    # worst held student is on top, to be rejected first.
    held: dict[int, list[tuple[tuple[int, float, int], int]]] = {pk: [] for pk in by_id}
    next_choice = dict.fromkeys(students, 0)
    free_students = sorted(students)  # sorted: the run does not depend on input order
    while free_students:
        student_id = free_students.pop()
        applicant = students[student_id]
        while next_choice[student_id] < len(applicant.choices):
            line_id = applicant.choices[next_choice[student_id]]
            next_choice[student_id] += 1
            line = by_id.get(line_id)
            if line is None or line.free <= 0:
                continue
            team_first, submitted, tie = priority_key(applicant, line, period_id)
            entry = ((-team_first, -submitted.timestamp(), -tie), student_id)
            heap = held[line_id]
            if len(heap) < line.free:
                heapq.heappush(heap, entry)
                break
            if entry > heap[0]:  # better than the worst held: that one is rejected
                _worst, rejected = heapq.heapreplace(heap, entry)
                free_students.append(rejected)
                break
    for line_id, heap in held.items():
        for _key, student_id in heap:
            outcomes[student_id].line = line_id
    for student_id, outcome in outcomes.items():
        outcome.rank, outcome.passed_over = _explain(students[student_id], outcome.line, by_id)
    return outcomes


def _explain(
    applicant: Applicant, line_id: int | None, lines: dict[int, Line]
) -> tuple[int | None, list[tuple[int, Why]]]:
    """The rank of the given line and, for every better choice, why not."""
    passed_over: list[tuple[int, Why]] = []
    for rank, choice in enumerate(applicant.choices, start=1):
        if choice == line_id:
            return rank, passed_over
        line = lines.get(choice)
        if line is None:
            why = Why.UNKNOWN
        elif line.free <= 0:
            why = Why.NO_PLACE
        else:
            why = Why.FULL
        passed_over.append((rank, why))
    return None, passed_over
