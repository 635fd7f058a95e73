"""Writes of the induction: assigning (and replacing) mentors, the plan's cadence
and recording check-ins.

Services trust their caller (the view checks the permission first); they enforce
the domain's own rules with a ``ValidationError`` on the field concerned, inside a
transaction, so nothing is half-written.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from schools.models import INDUCTION_ROLES, TEACHING_ROLES, RoleMembership

from .models import MAX_CADENCE_WEEKS, CheckIn, InductionPlan, MentorAssignment
from .notifications import check_in_recorded_notify

#: Weeks between check-ins by year of teaching (1: the year they started). The plan
#: stores its own cadence; this is only where it starts.
CADENCE_BY_TEACHING_YEAR = {1: 3, 2: 6}
#: From the third year of teaching on.
LATER_CADENCE_WEEKS = 9


def teaching_year(starter: RoleMembership) -> int:
    """1 in the school year the starter began teaching, 2 in the next, and so on."""
    started = starter.started_teaching_in
    if started is None:
        return 1
    return max(starter.school_year.starts_on.year - started.starts_on.year + 1, 1)


def default_cadence_weeks(starter: RoleMembership) -> int:
    return CADENCE_BY_TEACHING_YEAR.get(teaching_year(starter), LATER_CADENCE_WEEKS)


def mentor_candidates(starter: RoleMembership) -> QuerySet[User]:
    """Who may mentor this starter: an active person with a teaching role at the
    starter's school in that school year, never the starter themselves."""
    if starter.school_id is None:  # not a starter: induction roles are held at a school
        return User.objects.none()
    teachers = RoleMembership.objects.filter(
        role__in=[r.value for r in TEACHING_ROLES],
        school_id=starter.school_id,
        school_year_id=starter.school_year_id,
    )
    return (
        User.objects.filter(is_active=True, pk__in=teachers.values("user"))
        .exclude(pk=starter.user_id)
        .order_by("full_name", "pk")
    )


def school_day(day: datetime.date) -> datetime.date:
    """The day itself, or the Monday after for a Saturday or Sunday."""
    weekday = day.weekday()  # Monday is 0
    return day + datetime.timedelta(days=7 - weekday) if weekday >= 5 else day


def _schedule(plan: InductionPlan, *, first: datetime.date) -> int:
    """Check-ins from ``first`` every ``cadence_weeks`` until the school year ends,
    each on a school day (a weekend moves to the Monday)."""
    step = datetime.timedelta(weeks=plan.cadence_weeks)
    ends_on = plan.membership.school_year.ends_on
    days = []
    day = first
    while school_day(day) <= ends_on:
        days.append(school_day(day))
        day += step
    created = CheckIn.objects.bulk_create(
        [CheckIn(plan=plan, due_on=day) for day in days], ignore_conflicts=True
    )
    return len(created)


def mentor_assign(
    *,
    starter: RoleMembership,
    mentor: User,
    assigned_by: User | None,
    on: datetime.date | None = None,
) -> MentorAssignment:
    """Make ``mentor`` the starter's mentor from ``on`` (today). The first mentor
    opens the starter's induction plan for the year, with the default cadence and its
    check-ins; a later one replaces the current mentor, whose assignment ends that
    day and stays in the history."""
    on = on or timezone.localdate()
    if starter.role not in INDUCTION_ROLES:
        raise ValidationError(_("Only starting teachers and career changers get a mentor."))
    if not mentor_candidates(starter).filter(pk=mentor.pk).exists():
        raise ValidationError(
            {
                "mentor": _(
                    "Choose a teacher of %(school)s in %(year)s, not the starter themselves."
                )
                % {"school": starter.school, "year": starter.school_year}
            }
        )
    with transaction.atomic():
        # One assigner at a time per starter (the partial unique index on the open
        # assignment is the last word either way).
        RoleMembership.objects.select_for_update().filter(pk=starter.pk).first()
        plan = InductionPlan.objects.filter(membership=starter).first()
        if plan is None:
            plan = InductionPlan.objects.create(
                membership=starter, cadence_weeks=default_cadence_weeks(starter), starts_on=on
            )
            _schedule(plan, first=on + datetime.timedelta(weeks=plan.cadence_weeks))
        current = plan.mentor_assignments.filter(assigned_until__isnull=True).first()
        if current is not None:
            if current.mentor_id == mentor.pk:
                raise ValidationError(
                    {"mentor": _("%(name)s is already the mentor.") % {"name": mentor}}
                )
            if on < current.assigned_from:
                raise ValidationError(
                    _("The current mentor started on %(date)s: a new one cannot start earlier.")
                    % {"date": current.assigned_from}
                )
            current.assigned_until = on
            current.save(update_fields=["assigned_until"])
        assignment = MentorAssignment(
            plan=plan, mentor=mentor, assigned_from=on, assigned_by=assigned_by
        )
        assignment.full_clean()
        assignment.save()
    return assignment


def plan_set_cadence(
    *, plan: InductionPlan, cadence_weeks: int, today: datetime.date | None = None
) -> InductionPlan:
    """Change how often starter and mentor meet. Check-ins that were held, lie in the
    past or carry notes stay; the other future ones are planned again at the new
    cadence, counting from the last check-in kept (and not before today)."""
    today = today or timezone.localdate()
    if not 1 <= cadence_weeks <= MAX_CADENCE_WEEKS:
        raise ValidationError(
            {
                "cadence_weeks": _("Choose a cadence of 1 to %(max)d weeks.")
                % {"max": MAX_CADENCE_WEEKS}
            }
        )
    with transaction.atomic():
        plan.cadence_weeks = cadence_weeks
        plan.save(update_fields=["cadence_weeks"])
        plan.check_ins.filter(held_on__isnull=True, due_on__gte=today, notes="").delete()
        last = plan.check_ins.order_by("-due_on").values_list("due_on", flat=True).first()
        anchor = last or plan.starts_on
        _schedule(plan, first=max(anchor + datetime.timedelta(weeks=cadence_weeks), today))
    return plan


def check_in_record(
    *,
    check_in: CheckIn,
    held_on: datetime.date | None,
    notes: str,
    user: User,
    today: datetime.date | None = None,
) -> CheckIn:
    """Record a check-in as held on ``held_on`` (None: not held yet) with the notes
    of starter and mentor."""
    today = today or timezone.localdate()
    if held_on is not None and held_on > today:
        raise ValidationError({"held_on": _("A check-in cannot have been held in the future.")})
    check_in.held_on = held_on
    check_in.notes = notes
    check_in.recorded_by = user
    with transaction.atomic():
        check_in.full_clean()
        check_in.save()
        if held_on is not None:
            check_in_recorded_notify(check_in=check_in, user=user)
    return check_in
