"""The retention figures as CSV rows: the same curves and the same suppression as
the page (a hidden group is a row that says why, with no numbers)."""

from django.utils.text import slugify
from django.utils.translation import gettext as _

from .selectors import Curve, Figures, Shown


def _why(shown: Shown) -> str:
    return {
        Shown.SMALL: _("fewer than 5"),
        Shown.PROTECTED: _("hidden to protect a group of fewer than 5"),
    }.get(shown, "")


def _rows(group: str, curve: Curve) -> list[list[object]]:
    rows: list[list[object]] = []
    level = curve.level_label
    cohort = curve.cohort.name if curve.cohort else ""
    for point in curve.points:
        if point.shown == Shown.NOT_YET:
            continue
        counts = point.counts
        if counts is None:
            rows.append(
                [group, level, cohort, point.years, "", "", "", "", "", "", _why(point.shown)]
            )
        else:
            rows.append(
                [
                    group,
                    level,
                    cohort,
                    point.years,
                    counts.n,
                    counts.teaching,
                    counts.left,
                    counts.unknown,
                    f"{counts.at_least:.1f}",
                    f"{counts.at_most:.1f}",
                    "",
                ]
            )
    return rows


def figures_csv(figures: Figures, name: str) -> tuple[str, list[str], list[list[object]]]:
    header = [
        _("Group"),
        _("Level"),
        _("Cohort"),
        _("Years after start"),
        _("People"),
        _("Still teaching"),
        _("Left teaching"),
        _("Unknown"),
        _("Still teaching, at least (%)"),
        _("Still teaching, at most (%)"),
        _("Not shown"),
    ]
    rows = _rows(figures.total.label, figures.total)
    for curve in figures.levels:
        rows += _rows(_("Level"), curve)
    for curve in figures.cohorts:
        rows += _rows(_("Cohort"), curve)
    prefix = _("retention")
    filename = f"{prefix}-{slugify(name)}-{figures.as_of.name}.csv"
    return filename, header, rows
