"""The retention section of the yearly review (``partnership/yearly_review.py``):
the network's curves per level as known in that school year, with the same
small-group rules as the pages, the baseline, and how many schools confirmed
their staff. A fixed number of queries, whatever the number of schools."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from partnership.models import Partnership, SchoolYear
from partnership.yearly_review import Figure, Section, Table
from schools.models import INDUCTION_ROLES, RoleMembership, School

from .models import StaffConfirmation
from .selectors import MIN_GROUP, Curve, network_figures, previous_year


def _table(curve: Curve) -> Table:
    rows: list[list[int | Decimal | float | str | None]] = []
    for point in curve.points:
        counts = point.counts
        if counts is None:
            rows.append([point.years, None, None, None, None, None, None])
        else:
            rows.append(
                [
                    point.years,
                    counts.n,
                    counts.teaching,
                    counts.left,
                    counts.unknown,
                    round(Decimal(counts.at_least), 1),
                    round(Decimal(counts.at_most), 1),
                ]
            )
    return Table(
        caption=_("%(level)s: still teaching after 1 to 5 years") % {"level": curve.label},
        header=[
            _("Years after start"),
            _("People"),
            _("Still teaching"),
            _("Left"),
            _("Unknown"),
            _("Still teaching, at least (%)"),
            _("Still teaching, at most (%)"),
        ],
        rows=rows,
        chart_column=5,
    )


def section(*, partnership: Partnership, school_year: SchoolYear) -> Section | None:
    figures = network_figures(partnership=partnership, as_of=school_year)
    years = [school_year] + [y for y in [previous_year(school_year)] if y is not None]
    with_starters = School.objects.filter(partnership=partnership).filter(
        Exists(
            RoleMembership.objects.filter(
                school=OuterRef("pk"),
                school_year__in=years,
                role__in=[str(r) for r in INDUCTION_ROLES],
            )
        )
    )
    to_confirm = with_starters.count()
    confirmed = StaffConfirmation.objects.filter(
        school__in=with_starters, school_year=school_year
    ).count()
    if not to_confirm and not any(
        c.points for c in figures.levels if any(p.counts for p in c.points)
    ):
        return None
    result = [
        Figure(_("Schools with starters or career changers to confirm"), to_confirm),
        Figure(_("Schools that confirmed their staff"), confirmed),
    ]
    for baseline in figures.baselines:
        result.append(
            Figure(
                _("Flemish baseline, %(level)s: leave within %(years)d years (%%)")
                % {"level": baseline.get_level_display().lower(), "years": baseline.years},
                baseline.share_leaving,
                note=f"{baseline.source}; {baseline.cited_in}"
                if baseline.cited_in
                else baseline.source,
                # The source is cited as published, in Dutch.
                note_language="nl",
            )
        )
    return Section(
        key="retention",
        title=_("Retention of starting teachers"),
        figures=result,
        tables=[_table(curve) for curve in figures.levels],
        source=_(
            "From the role records (who started teaching when, at which partner school, and "
            "who holds a teaching role in later years) and the school leaders' yearly staff "
            "confirmations. Unknowns are not guessed: the share still teaching is a range. "
            "Empty cells: fewer than %(min)d people, or a figure that would reveal such a group."
        )
        % {"min": MIN_GROUP},
    )
