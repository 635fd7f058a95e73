"""Bars of subscale means on the instrument's own scale (geometry only; the
template draws it next to a table with the same numbers), in the manner of
``oversight.charts``."""

from oversight.charts import Bar, Chart

from .selectors import PeriodResult

VALUE_ROOM, ROW, LABEL_HEIGHT, BAR_HEIGHT = 48, 44, 16, 18


def mean_bars(periods: list[PeriodResult], *, width: int = 480) -> Chart | None:
    """One bar per shown period and subscale, its label on the line above (so long
    names fit on a phone), drawn from the scale's lowest point: a 4.5 on a 1–6
    scale fills 70 % of the line."""
    shown = [p for p in periods if p.shown]
    if not shown:
        return None
    # One scale per chart: the first instrument's (a network rarely runs two).
    shown = [p for p in shown if p.instrument == shown[0].instrument]
    low, high = shown[0].instrument.scale_min, shown[0].instrument.scale_max
    usable = width - VALUE_ROOM
    bars: list[Bar] = []
    for period in shown:
        for result in period.subscales:
            if result.mean is None:
                continue
            bar_width = max(round(usable * (result.mean - low) / (high - low), 1), 2)
            top = len(bars) * ROW
            bars.append(
                Bar(
                    label=f"{result.subscale.name} · {period.label}",
                    value=round(result.mean, 2),  # type: ignore[arg-type]
                    x=0,
                    y=top + LABEL_HEIGHT + 2,
                    width=bar_width,
                    height=BAR_HEIGHT,
                    text_x=bar_width + 6,
                    text_y=top + LABEL_HEIGHT + 2 + BAR_HEIGHT - 4,
                )
            )
    return Chart(width=width, height=len(bars) * ROW, bars=bars, ticks=[], max_value=high)
