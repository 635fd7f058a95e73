"""The induction plan the project-wide page tests show (languages, HTML validity)."""

import datetime

from induction.models import InductionPlan
from induction.services import mentor_assign
from schools.models import Role, RoleMembership


def demo_plan(network) -> InductionPlan:
    """The starting teacher's plan with the mentor (made once, found after)."""
    starter = RoleMembership.objects.get(
        user=network.people["starting_teacher"], role=Role.STARTING_TEACHER
    )
    plan = InductionPlan.objects.filter(membership=starter).first()
    if plan is None:
        start = network.school_year.starts_on + datetime.timedelta(days=2)
        plan = mentor_assign(
            starter=starter, mentor=network.people["mentor"], assigned_by=None, on=start
        ).plan
    return plan
