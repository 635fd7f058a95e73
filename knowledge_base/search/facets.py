"""Facet values as the reader sees them, for both backends: a label in the reader's
language and a fixed order per facet."""

from research_cycle.models import Perspective

from ..models import school_level_label
from ..selectors import CardTheme
from .types import FacetValue, SearchParams

CITY_FACET_SIZE = 15


def label(facet: str, value: str, names: tuple[str, str] | None = None) -> str | None:
    """The label of a facet value in the reader's language; None for a perspective
    that is not one (nothing to show). ``names``: a theme's Dutch and English name
    (without them a theme shows its code)."""
    if facet == "theme":
        return CardTheme(None, value, *names).name if names else value
    if facet == "level":
        return school_level_label(value)
    if facet == "perspective":
        labels = dict(Perspective.choices)
        return str(labels[value]) if value in labels else None
    return value


def facet_value(
    facet: str, value: str, count: int, params: SearchParams, names: tuple[str, str] | None = None
) -> FacetValue | None:
    """A counted value of a facet (None: not shown)."""
    text = label(facet, value, names)
    if text is None:
        return None
    return FacetValue(value, text, count, value in params.selected()[facet])


def sorted_facets(
    found: dict[str, list[FacetValue]],
    params: SearchParams,
    theme_names: dict[str, tuple[str, str]],
) -> dict[str, list[FacetValue]]:
    """Order each facet. A ticked value stays visible (to untick it) even when
    nothing matches it any more, with its label (``theme_names``: the names of the
    chosen themes, by code)."""
    for facet, values in params.selected().items():
        shown = {f.value for f in found[facet]}
        for value in values:
            if value not in shown:
                text = label(facet, value, theme_names.get(value)) or value
                found[facet].append(FacetValue(value, text, 0, True))
    found["theme"].sort(key=lambda f: (-f.count, f.label))
    found["level"].sort(key=lambda f: f.value)
    found["year"].sort(key=lambda f: f.value, reverse=True)
    order = {value: index for index, value in enumerate(Perspective.values)}
    found["perspective"].sort(key=lambda f: order.get(f.value, 99))
    cities = sorted(found["city"], key=lambda f: (-f.count, f.label))
    found["city"] = cities[:CITY_FACET_SIZE] + [f for f in cities[CITY_FACET_SIZE:] if f.selected]
    return found
