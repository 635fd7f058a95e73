"""The review's data as one CSV in long form (one number per line), so sections
of any shape, contributed ones included, fit the same columns."""

from django.utils.translation import gettext as _

from oversight.exports import Table as CsvTable

from .selectors import Review


def review_table(review: Review) -> CsvTable:
    header = [_("Section"), _("Table"), _("Row"), _("Column"), _("Value"), _("Note")]
    rows: list[list[object]] = []
    for view in review.sections:
        section = view.section
        for figure in section.figures:
            rows.append([section.title, "", figure.label, "", figure.value, figure.note])
        for table in section.tables:
            for row in table.rows:
                for column, cell in zip(table.header[1:], row[1:], strict=False):
                    rows.append([section.title, table.caption, row[0], column, cell, ""])
    title = _("Self-assessment")
    for item in review.assessment.criteria:
        score = item.score
        rows.append(
            [
                title,
                review.assessment.framework.name if review.assessment.framework else "",
                item.criterion.title,
                _("Score"),
                score.score if score else None,
                score.comment if score else "",
            ]
        )
    summary = review.needs_summary.table
    for row in summary.rows:
        rows.append(
            [_("Needs for next year"), summary.caption, row[0], summary.header[1], row[1], ""]
        )
    for needs in review.needs:
        rows.append(
            [
                _("Needs for next year"),
                _("Needs per school"),
                needs.school.name,
                _("Kinds of support"),
                ", ".join(needs.get_support_display()),
                needs.wishes,
            ]
        )
    name = f"review-{review.partnership.name}-{review.school_year.name}.csv".replace(" ", "-")
    return CsvTable(name, header, rows)
