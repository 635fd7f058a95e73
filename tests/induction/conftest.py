import datetime
import zoneinfo

import pytest
import time_machine

from induction.services import check_in_record, mentor_assign
from schools.models import Role, RoleMembership

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
#: A Wednesday in the test network's school year 2025-2026.
TODAY = datetime.date(2025, 11, 12)
PRIVATE_NOTE = "Klasmanagement in 3B loopt stroef; afspraak over de startroutine."


@pytest.fixture(autouse=True)
def _today():
    """Every induction test runs on ``TODAY`` (dates decide what is overdue)."""
    with time_machine.travel(datetime.datetime(2025, 11, 12, 10, 0, tzinfo=BRUSSELS), tick=True):
        yield


def membership(network, person: str) -> RoleMembership:
    role = Role.CAREER_CHANGER if person == "career_changer" else Role.STARTING_TEACHER
    return RoleMembership.objects.get(user=network.people[person], role=role)


@pytest.fixture
def starter(network) -> RoleMembership:
    return membership(network, "starting_teacher")


@pytest.fixture
def plan(network, starter):
    """The starting teacher guided by the mentor since 3 September 2025, every three
    weeks: held on 24 September (with a note) and 15 October, overdue since
    5 November, next on 26 November."""
    people = network.people
    mentor_assign(
        starter=starter,
        mentor=people["mentor"],
        assigned_by=people["school_leader"],
        on=datetime.date(2025, 9, 3),
    )
    plan = starter.induction_plan
    first, second = plan.check_ins.order_by("due_on")[:2]
    check_in_record(check_in=first, held_on=first.due_on, notes=PRIVATE_NOTE, user=people["mentor"])
    check_in_record(check_in=second, held_on=second.due_on, notes="", user=people["mentor"])
    return plan
