"""Placements for the internship tests, made directly (the placements app's own
services allocate them; here only the result matters)."""

import datetime
import itertools

from placements.models import (
    HostingCapacity,
    HostingOffer,
    Placement,
    PlacementPeriod,
    PlacementSlot,
)

_names = itertools.count(1)

START = datetime.date(2026, 2, 2)  # a Monday
END = datetime.date(2026, 3, 13)  # a Friday, six weeks later


def make_placement(
    network,
    *,
    student,
    school=None,
    mentor=None,
    bridge_builder=None,
    state=Placement.State.RUNNING,
    school_year=None,
    starts_on=START,
    ends_on=END,
    period=None,
) -> Placement:
    school = school or network.school
    school_year = school_year or network.school_year
    if period is None:
        period = PlacementPeriod.objects.create(
            institution=network.institution,
            school_year=school_year,
            name=f"stage {next(_names)}",
            starts_on=starts_on,
            ends_on=ends_on,
        )
    offer, _created = HostingOffer.objects.get_or_create(
        school=school, school_year=school_year, institution=network.institution
    )
    capacity, _created = HostingCapacity.objects.get_or_create(
        offer=offer, period=period, level="primary", subject="", defaults={"places": 30}
    )
    taken = capacity.slots.count()
    slot = PlacementSlot.objects.create(capacity=capacity, number=taken + 1)
    return Placement.objects.create(
        student=student,
        school_year=school_year,
        institution=network.institution,
        period=period,
        school=school,
        capacity=capacity,
        slot=slot if state != Placement.State.CANCELLED else None,
        level="primary",
        mentor=mentor,
        bridge_builder=bridge_builder,
        state=state,
        cancel_reason="Ziek" if state == Placement.State.CANCELLED else "",
    )
