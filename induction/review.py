"""The induction's section of the yearly review (``partnership.yearly_review``):
per school, its starting teachers and career changers, how many had a mentor,
check-ins held against planned, and how many starters have an overdue check-in.
Counts only, never a note. One query, whatever the number of schools."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.models import Partnership, SchoolYear
from partnership.yearly_review import Figure, Section, Table
from schools.models import Role, RoleMembership

from .models import CheckIn, MentorAssignment, overdue_condition


def section(*, partnership: Partnership, school_year: SchoolYear) -> Section | None:
    today = timezone.localdate()
    starters = (
        RoleMembership.objects.filter(
            role__in=[Role.STARTING_TEACHER, Role.CAREER_CHANGER],
            school__partnership=partnership,
            school_year=school_year,
        )
        .annotate(
            mentored=Exists(MentorAssignment.objects.filter(plan__membership=OuterRef("pk"))),
            overdue=Exists(
                CheckIn.objects.filter(overdue_condition(today), plan__membership=OuterRef("pk"))
            ),
            held=Count(
                "induction_plan__check_ins",
                filter=Q(induction_plan__check_ins__held_on__isnull=False),
            ),
            planned=Count("induction_plan__check_ins"),
        )
        .values_list("school__name", "role", "mentored", "overdue", "held", "planned")
        .order_by("school__name")
    )
    per_school: dict[str, list[int]] = {}
    for school, role, mentored, overdue, held, planned in starters:
        row = per_school.setdefault(school, [0, 0, 0, 0, 0, 0])
        row[0 if role == Role.STARTING_TEACHER else 1] += 1
        row[2] += int(mentored)
        row[3] += held
        row[4] += planned
        row[5] += int(overdue)
    if not per_school:
        return None
    totals = [sum(column) for column in zip(*per_school.values(), strict=True)]
    return Section(
        key="induction",
        title=_("Induction of starting teachers and career changers"),
        figures=[
            Figure(_("Starting teachers"), totals[0]),
            Figure(_("Career changers"), totals[1]),
            Figure(_("With a mentor"), totals[2]),
            Figure(
                _("Check-ins held"),
                totals[3],
                note=_("of %(planned)d planned") % {"planned": totals[4]},
            ),
            Figure(_("With an overdue check-in"), totals[5]),
        ],
        tables=[
            Table(
                caption=_("Induction per school"),
                header=[
                    _("School"),
                    _("Starting teachers"),
                    _("Career changers"),
                    _("With a mentor"),
                    _("Check-ins held"),
                    _("Check-ins planned"),
                    _("With an overdue check-in"),
                ],
                rows=[[school, *row] for school, row in per_school.items()],
                chart_column=4,
            )
        ],
        source=_(
            "From the mentor assignments and check-ins recorded in Leerbrug. A starter "
            "counts as mentored if they had a mentor at any time that year; a check-in is "
            "overdue when its day has passed and it was not held. The notes of check-ins "
            "are never part of the review."
        ),
    )
