"""Bars of subscale means on the instrument's own scale (geometry only; the
template draws it next to a table with the same numbers), in the manner of
``oversight.charts``."""

from oversight.charts import Bar, Chart

from .selectors import PeriodResult

LABEL_WIDTH, VALUE_ROOM, ROW = 260, 48, 26


def mean_bars(periods: list[PeriodResult], *, width: int = 640) -> Chart | None:
    """One bar per shown period and subscale, drawn from the scale's lowest point,
    so a 4.5 on a 1–6 scale fills 70 % of the line."""
    shown = [p for p in periods if p.shown]
    if not shown:
        return None
    # One scale per chart: the first instrument's (a network rarely runs two).
    shown = [p for p in shown if p.instrument == shown[0].instrument]
    low, high = shown[0].instrument.scale_min, shown[0].instrument.scale_max
    usable = width - LABEL_WIDTH - VALUE_ROOM
    bars: list[Bar] = []
    for period in shown:
        for result in period.subscales:
            if result.mean is None:
                continue
            bar_width = round(usable * (result.mean - low) / (high - low), 1)
            y = len(bars) * ROW + 4
            bars.append(
                Bar(
                    label=f"{result.subscale.name} · {period.label}",
                    value=round(result.mean, 2),  # type: ignore[arg-type]
                    x=LABEL_WIDTH,
                    y=y,
                    width=max(bar_width, 2),
                    height=ROW - 10,
                    text_x=LABEL_WIDTH + max(bar_width, 2) + 6,
                    text_y=y + (ROW - 10) / 2 + 5,
                )
            )
    return Chart(width=width, height=len(bars) * ROW + 8, bars=bars, ticks=[], max_value=high)
