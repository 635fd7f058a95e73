"""The monitoring section of the yearly review (``partnership.yearly_review``): the
rounds of the school year across the partnership, response rates and the network's
subscale means, suppressed as on the results pages. Four queries."""

from django.utils.translation import gettext as _

from partnership.models import Partnership, SchoolYear
from partnership.yearly_review import Figure, Number, Section, Table

from .models import MIN_RESPONDENTS, Round
from .selectors import period_results, suppression_note


def section(*, partnership: Partnership, school_year: SchoolYear) -> Section | None:
    periods = period_results(
        Round.objects.filter(school__partnership=partnership, school_year=school_year)
    )
    if not periods:
        return None
    invited = sum(p.invited for p in periods)
    answered = sum(p.answered for p in periods)
    schools = set().union(*(p.school_ids for p in periods))
    rows: list[list[Number | str | None]] = []
    for period in periods:
        for result in period.subscales:
            rows.append(
                [
                    f"{period.label} · {result.subscale.name}",
                    period.answered,
                    period.counted,
                    None if result.mean is None else round(result.mean, 2),
                    None if result.sd is None else round(result.sd, 2),
                ]
            )
    return Section(
        key="monitoring",
        title=_("Collective teacher efficacy"),
        figures=[
            Figure(_("Schools that held a questionnaire round"), len(schools)),
            Figure(_("Teachers invited"), invited),
            Figure(_("Answers"), answered),
            Figure(
                _("Response rate (%)"),
                round(100 * answered / invited) if invited else None,
                "" if invited else _("Nobody was invited."),
            ),
        ],
        tables=[
            Table(
                caption=_("Mean per subscale across the network (empty: %(note)s)")
                % {"note": suppression_note()},
                header=[
                    _("Round and subscale"),
                    _("Answered"),
                    _("Answers counted"),
                    _("Mean"),
                    _("Standard deviation"),
                ],
                rows=rows,
                chart_column=3,
            )
        ],
        source=_(
            "Anonymous questionnaire answered by the teachers of the partner schools. Means "
            "are computed over complete groups of %(min)d answers; no figure is shown for "
            "fewer than %(min)d people."
        )
        % {"min": MIN_RESPONDENTS},
    )
