"""The internships section of the yearly review (``partnership.yearly_review``):
placements hosted per school, the mentor hours confirmed in the internship logs,
the mentor teachers, and the mentor training they completed in the school year.
Four queries, whatever the number of schools."""

from collections import defaultdict

from django.utils.translation import gettext as _

from partnership.models import Partnership, SchoolYear
from partnership.yearly_review import Figure, Number, Section, Table
from placements.models import Placement
from schools.models import School

from .permissions import INTERNSHIP_STATES
from .selectors import ZERO, hosting_by_school, training_hours_in


def section(*, partnership: Partnership, school_year: SchoolYear) -> Section | None:
    schools = list(School.objects.filter(partnership=partnership).order_by("name"))
    ids = [school.pk for school in schools]
    hosting = hosting_by_school(school_year, ids)
    if not hosting:
        return None
    mentors_at: defaultdict[int, set[int]] = defaultdict(set)
    for school_id, mentor_id in (
        Placement.objects.filter(
            school_year=school_year,
            state__in=INTERNSHIP_STATES,
            school_id__in=ids,
            mentor__isnull=False,
        )
        .values_list("school_id", "mentor_id")
        .distinct()
    ):
        mentors_at[school_id].add(mentor_id)
    all_mentors = set().union(*mentors_at.values())
    training = training_hours_in(school_year.starts_on, school_year.ends_on, all_mentors)

    rows: list[list[Number | str | None]] = []
    for school in schools:
        hosted = hosting.get(school.pk)
        if hosted is None:
            continue
        hours = sum((training.get(m, ZERO) for m in mentors_at[school.pk]), ZERO)
        rows.append([school.name, hosted.placements, hosted.mentor_hours, hosted.mentors, hours])
    return Section(
        key="internships",
        title=_("Placements and mentors"),
        figures=[
            Figure(_("Placements hosted"), sum(h.placements for h in hosting.values())),
            Figure(
                _("Mentor hours (confirmed)"),
                sum((h.mentor_hours for h in hosting.values()), ZERO),
            ),
            Figure(_("Mentor teachers"), len(all_mentors)),
            Figure(
                _("Mentor training hours"),
                sum((training.get(m, ZERO) for m in all_mentors), ZERO),
            ),
        ],
        tables=[
            Table(
                caption=_("Placements hosted per school"),
                header=[
                    _("School"),
                    _("Placements hosted"),
                    _("Mentor hours (confirmed)"),
                    _("Mentor teachers"),
                    _("Mentor training hours"),
                ],
                rows=rows,
                chart_column=1,
            )
        ],
        source=_(
            "From the placements (confirmed, running or completed) and their internship logs: "
            "mentor hours are the hours the mentor teachers confirmed; training hours count "
            "mentor training completed in the school year."
        ),
    )
