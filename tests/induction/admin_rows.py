"""Rows for the admin's changelist query budget test (tests/partnership/test_admin.py)."""

import datetime

from induction.mail import reminders_arm
from induction.services import mentor_assign
from tests import factories


def fill(network, rows: int) -> None:
    """``rows`` starters with a mentor, each with a check-in reminder owed."""
    year = network.school_year
    for _ in range(rows):
        school = factories.SchoolFactory(partnership=network.partnership)
        mentor = factories.RoleMembershipFactory(role="teacher", school=school, school_year=year)
        starter = factories.RoleMembershipFactory(
            role="starting_teacher", school=school, school_year=year, started_teaching_in=year
        )
        mentor_assign(starter=starter, mentor=mentor.user, assigned_by=None, on=year.starts_on)
    first = year.starts_on + datetime.timedelta(weeks=3)
    reminders_arm(now=datetime.datetime.combine(first, datetime.time(9), tzinfo=datetime.UTC))
