"""Server-rendered SVG charts: no JavaScript, no CDN, nothing the CSP has to allow.
These functions only compute geometry; the templates draw it, next to a table
with the same numbers for screen readers and for copying."""

import datetime
import functools
import html
from dataclasses import dataclass

from django.utils.formats import date_format, localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language


@functools.lru_cache(maxsize=4096)
def _cut(label: str, length: int) -> str:
    """``label`` cut to ``length`` characters (as ``truncatechars``) and escaped,
    remembered per process: a chart's labels (stages, answer options) recur."""
    return escape(Truncator(label).chars(length))


def _count(value: int) -> str:
    """``localize(value)``, escaped: a count below a thousand is written the same in
    every language (no grouping), so it skips the locale's formatting."""
    if type(value) is int and -1000 < value < 1000:
        return str(value)
    return escape(localize(value))


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    text_x: float = 0
    text_y: float = 0


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # (position, label)
    max_value: int

    def columns_html(self) -> SafeString:
        """The columns and month ticks of ``weekly_columns`` as SVG elements: what the
        network page drew with a template loop per week, written here in one pass
        (numbers as Python writes them, never localised: SVG wants "12.5"). Texts are
        escaped with ``html.escape``, which Django's ``escape`` calls after checking
        each argument for a lazy string (52 weeks a chart)."""
        parts = [
            f'<rect class="bar" x="{bar.x}" y="{bar.y}" width="{bar.width}" '
            f'height="{bar.height}"><title>{html.escape(str(bar.label))}: {bar.value}'
            "</title></rect>"
            for bar in self.bars
        ]
        parts += [
            f'<text class="tick" x="{x}" y="194">{html.escape(str(label))}</text>'
            for x, label in self.ticks
        ]
        return mark_safe("".join(parts))  # noqa: S308  # every text above is escaped

    def bars_svg(self, truncate: int = 32) -> SafeString:
        """The labelled bars of ``horizontal_bars`` as SVG elements: each label
        right-aligned before its bar (cut to ``truncate`` characters), the bar (a
        sliver for zero) and the value after it. The same elements the network page
        and a question's figure drew with a template loop per bar."""
        parts = []
        for bar in self.bars:
            label = _cut(str(bar.label), truncate)
            zero = "" if bar.value else " bar-zero"
            width = bar.width if bar.value else 2
            parts.append(
                f'<text x="{int(bar.x) - 8}" y="{bar.text_y}" text-anchor="end">{label}</text>'
                f'<rect class="bar{zero}" x="{bar.x}" y="{bar.y}" width="{width}" '
                f'height="{bar.height}"></rect>'
                f'<text x="{bar.text_x}" y="{bar.text_y}">{_count(bar.value)}</text>'
            )
        return mark_safe("".join(parts))  # noqa: S308  # every text above is escaped

    def rows_html(self) -> SafeString:
        """One table row per bar (its label and value): the table beside a chart
        with the same numbers."""
        return mark_safe(  # noqa: S308  # every text is escaped
            "".join(
                f'<tr><th scope="row" class="fw-normal">{html.escape(str(bar.label))}</th>'
                f'<td class="text-end">{_count(bar.value)}</td></tr>'
                for bar in self.bars
            )
        )


def horizontal_bars(
    items: list[tuple[str, int]], *, width: int = 640, row: int = 28, max_value: int | None = None
) -> Chart:
    """One bar per item (stage distribution): labels on the left, value at the bar's end.
    ``max_value`` fixes the scale (a score out of 4); else the largest value fills it."""
    label_width, value_room = 230, 40
    max_value = max_value or max([value for _label, value in items] + [1])
    usable = width - label_width - value_room
    bars = []
    for index, (label, value) in enumerate(items):
        bar_width = round(usable * value / max_value, 1)
        y = index * row + 4
        bars.append(
            Bar(
                label=label,
                value=value,
                x=label_width,
                y=y,
                width=bar_width,
                height=row - 10,
                text_x=label_width + bar_width + 6,
                text_y=y + (row - 10) / 2 + 5,
            )
        )
    return Chart(width=width, height=len(items) * row + 4, bars=bars, ticks=[], max_value=max_value)


@functools.lru_cache(maxsize=4096)
def _date_label(day: datetime.date, format_name: str, language: str | None) -> str:
    """``date_format`` remembered per process: a week's label in a language never
    changes (the formats are the settings' and the language's)."""
    return date_format(day, format_name)


def weekly_columns(
    weeks: list[tuple[datetime.date, int]], *, width: int = 640, height: int = 200
) -> Chart:
    """One column per week (activity over the year), with a tick at each month's
    first week and the maximum marked on the axis."""
    top, bottom, left = 16, 24, 32
    max_value = max([count for _week, count in weeks] + [1])
    step = (width - left) / max(len(weeks), 1)
    plot = height - top - bottom
    bars, ticks, last_month = [], [], None
    language = get_language()
    for index, (week, count) in enumerate(weeks):
        bar_height = round(plot * count / max_value, 1)
        x = round(left + index * step, 1)
        bars.append(
            Bar(
                label=_date_label(week, "SHORT_DATE_FORMAT", language),
                value=count,
                x=x,
                y=round(top + plot - bar_height, 1),
                width=round(max(step - 2, 1), 1),
                height=bar_height,
            )
        )
        # A week belongs to the month its Thursday falls in (as ISO weeks do).
        month_day = week + datetime.timedelta(days=3)
        if month_day.month != last_month:
            # "N": the month as each language abbreviates it ("okt", "Oct."); "M"
            # capitalises the Dutch one into English-looking "Okt", "Dec".
            ticks.append((x, _date_label(month_day, "N", language)))
            last_month = month_day.month
    return Chart(width=width, height=height, bars=bars, ticks=ticks, max_value=max_value)
