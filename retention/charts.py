"""The retention curve as a server-rendered SVG (in the style of
``oversight/charts.py``): only geometry here, the template draws it next to a table
with the same numbers.

x is the number of years since the start (0…5), y the share still teaching (0…100 %).
Everyone teaches at the start, so each line begins at 100 % at year 0. Because the
unknowns are not guessed, a curve is a *band*: its lower edge counts only people
known to teach, its upper edge counts the unknowns as teaching. A hidden point
(a small group, or a year not reached yet) breaks the line instead of being drawn.
"""

from dataclasses import dataclass, field

from .models import Baseline
from .selectors import HORIZONS, Curve, Shown


@dataclass
class Dot:
    x: float
    y: float
    label: str


@dataclass
class Segment:
    """An unbroken piece of a curve: SVG ``points`` for its two edges and its band."""

    lower: str
    upper: str
    band: str


@dataclass
class LineChart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    segments: list[Segment] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    baseline: Dot | None = None


def retention_chart(
    curve: Curve, baseline: Baseline | None, *, width: int = 560, height: int = 260
) -> LineChart:
    left, top, right, bottom = 48, 16, width - 40, height - 36
    chart = LineChart(width, height, left, top, right, bottom)

    def x(years: float) -> float:
        return round(left + (right - left) * years / HORIZONS[-1], 1)

    def y(share: float) -> float:
        return round(bottom - (bottom - top) * share / 100, 1)

    chart.x_ticks = [(x(k), str(k)) for k in (0, *HORIZONS)]
    chart.y_ticks = [(y(share), f"{share} %") for share in (0, 25, 50, 75, 100)]
    run: list[tuple[float, float, float]] = [(0, 100, 100)]  # (years, at least, at most)

    def close_run() -> None:
        if len(run) > 1:
            lower = [f"{x(k)},{y(low)}" for k, low, _high in run]
            upper = [f"{x(k)},{y(high)}" for k, _low, high in run]
            chart.segments.append(
                Segment(" ".join(lower), " ".join(upper), " ".join(lower + upper[::-1]))
            )
        run.clear()

    for point in curve.points:
        if point.shown != Shown.SHOWN or point.counts is None:
            close_run()
            continue
        low, high = point.counts.at_least, point.counts.at_most
        run.append((point.years, low, high))
        chart.dots.append(Dot(x(point.years), y(low), f"{low:.0f}–{high:.0f} %"))
    close_run()
    if baseline is not None:
        chart.baseline = Dot(
            x(baseline.years), y(baseline.share_staying), f"{baseline.share_staying:.0f} %"
        )
    return chart
