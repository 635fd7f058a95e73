"""The yearly review of a partnership is assembled from sections that the apps
contribute: each app that holds records worth reviewing (placements, induction,
monitoring, …) names a function in ``REVIEW_SECTIONS`` that turns one school year
of its records into a :class:`Section`. The review page, its CSV and its PDF only
lay sections out; they never query an app's tables themselves.

A section function has the signature
``section(*, partnership: Partnership, school_year: SchoolYear) -> Section | None``
(None: nothing to say this year). It must run a fixed number of queries, whatever the
number of schools, and must apply the app's own privacy rules (e.g. no survey figure
for fewer than five people): the review shows what it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from partnership.models import Partnership, SchoolYear

#: Dotted paths of the section functions, in the order the review shows them. A
#: module that is not installed is skipped.
REVIEW_SECTIONS: list[str] = [
    "internships.review.section",
    "induction.review.section",
    "monitoring.review.section",
    "retention.review.section",
]

Number = int | Decimal | float


@dataclass(frozen=True)
class Figure:
    """One number of the review. ``value`` None means "not shown" (suppressed or
    unknown); ``note`` says why, in the reader's language."""

    label: str
    value: Number | str | None
    note: str = ""
    #: The language of ``note`` when it is not the reader's (e.g. a Dutch citation).
    note_language: str = ""


@dataclass(frozen=True)
class Table:
    """A table (and the data of the chart drawn from it): a header row and rows of
    cells; the first cell of a row is its label."""

    caption: str
    header: list[str]
    rows: list[list[Number | str | None]]
    #: Index of the column a bar chart is drawn from, or None for no chart.
    chart_column: int | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    #: A sentence on where the figures come from and what they do not say.
    source: str = ""


SectionFunction = Callable[..., Section | None]


def section_functions() -> Iterator[SectionFunction]:
    for dotted in REVIEW_SECTIONS:
        module_name, _, name = dotted.rpartition(".")
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            # Skipped only when the section's own module (or a package above it) is
            # missing; a missing import inside an installed module is a real error.
            missing = exc.name or ""
            if missing and (module_name == missing or module_name.startswith(f"{missing}.")):
                continue
            raise
        yield getattr(module, name)


def sections(*, partnership: Partnership, school_year: SchoolYear) -> list[Section]:
    """The contributed sections for one partnership and school year, in order."""
    found = (f(partnership=partnership, school_year=school_year) for f in section_functions())
    return [s for s in found if s is not None]
