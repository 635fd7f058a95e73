"""A hand-made cohort for the retention tests, small enough to count by hand.

Seven people started teaching in 2020-2021 at the network's home school (primary),
as starting teachers. The network's current school year is 2025-2026, so all five
years after the start have been reached. What became of them:

| person | evidence                                                        | 1 | 2 | 3 | 4 | 5 |
|--------|-----------------------------------------------------------------|---|---|---|---|---|
| p1     | teacher at the home school every year 2021-2025                 | T | T | T | T | T |
| p2     | teacher at the other partner school 2021, 2022; then nothing     | T | T | ? | ? | ? |
| p3     | confirmed "left teaching" in 2021                                | L | L | L | L | L |
| p4     | confirmed "moved to another school" in 2021; then nothing        | T | ? | ? | ? | ? |
| p5     | confirmed "unknown" in 2021                                      | ? | ? | ? | ? | ? |
| p6     | confirmed "unknown" in 2021 (no role anywhere)                   | ? | ? | ? | ? | ? |
| p7     | starting teacher 2021; "left" in 2022; teacher again at the      | T | L | L | T | ? |
|        | other school in 2024                                             |   |   |   |   |   |

(T still teaching, L left, ? unknown.)
"""

import datetime
from dataclasses import dataclass

from partnership.models import SchoolYear
from retention.services import staff_confirm
from schools.models import Role
from tests import factories

#: (n, still teaching, left, unknown) after 1…5 years, counted by hand from the table.
EXPECTED = {
    1: (7, 4, 1, 2),
    2: (7, 2, 2, 3),
    3: (7, 1, 2, 4),
    4: (7, 2, 1, 4),
    5: (7, 1, 1, 5),
}
#: The shares, by hand: at least = still teaching / n, at most = (still teaching + unknown) / n.
SHARES = {
    1: (57.1, 85.7),  # 4/7, 6/7
    2: (28.6, 71.4),  # 2/7, 5/7
    3: (14.3, 71.4),  # 1/7, 5/7
    4: (28.6, 85.7),  # 2/7, 6/7
    5: (14.3, 85.7),  # 1/7, 6/7
}


def year(start: int) -> SchoolYear:
    return factories.SchoolYearFactory(
        name=f"{start}-{start + 1}",
        starts_on=datetime.date(start, 9, 1),
        ends_on=datetime.date(start + 1, 6, 30),
    )


@dataclass
class Cohort:
    years: dict
    people: dict


def starters_at(school, cohort_year, count: int, *, role=Role.STARTING_TEACHER, prefix="s"):
    """``count`` people who started teaching in ``cohort_year`` at ``school``."""
    people = []
    for index in range(count):
        person = factories.UserFactory(email=f"{prefix}{school.pk}-{cohort_year.pk}-{index}@t.test")
        factories.RoleMembershipFactory(
            user=person,
            role=role,
            school=school,
            school_year=cohort_year,
            started_teaching_in=cohort_year,
        )
        people.append(person)
    return people


def hand_made_cohort(network) -> Cohort:
    years = {start: year(start) for start in range(2020, 2025)}
    years[2025] = network.school_year
    home, other = network.school, network.other_school
    people = {
        f"p{i}": factories.UserFactory(email=f"p{i}@cohort.test", full_name=f"P{i}")
        for i in range(1, 8)
    }
    for person in people.values():
        factories.RoleMembershipFactory(
            user=person,
            role=Role.STARTING_TEACHER,
            school=home,
            school_year=years[2020],
            started_teaching_in=years[2020],
        )

    def role(key, start, school, role=Role.TEACHER):
        extra = {"started_teaching_in": years[2020]} if role == Role.STARTING_TEACHER else {}
        factories.RoleMembershipFactory(
            user=people[key], role=role, school=school, school_year=years[start], **extra
        )

    for start in range(2021, 2026):
        role("p1", start, home)
    role("p2", 2021, other)
    role("p2", 2022, other)
    role("p7", 2021, home, Role.STARTING_TEACHER)
    role("p7", 2024, other)
    leader = network.people["school_leader"]
    staff_confirm(
        school=home,
        school_year=years[2021],
        user=leader,
        statuses={
            people["p1"].pk: "still_here",
            people["p2"].pk: "moved",
            people["p3"].pk: "left",
            people["p4"].pk: "moved",
            people["p5"].pk: "unknown",
            people["p6"].pk: "unknown",
            people["p7"].pk: "still_here",
        },
    )
    staff_confirm(
        school=home, school_year=years[2022], user=leader, statuses={people["p7"].pk: "left"}
    )
    return Cohort(years=years, people=people)
