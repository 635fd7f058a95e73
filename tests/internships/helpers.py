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


def internship_in_use(network):
    """A running internship with something on every page: a confirmed and an open
    log entry, a complete mid-term evaluation with the student's response, and
    the mentor's training. Texts are neutral Dutch (for the language guard)."""
    from decimal import Decimal

    from internships import services
    from internships.demo import seed_rubric
    from internships.models import EvaluatorRole, Moment

    people = network.people
    rubric = seed_rubric(network.institution)
    placement = make_placement(
        network,
        student=people["student_teacher"],
        mentor=people["mentor"],
        bridge_builder=people["bridge_builder"],
    )
    confirmed, _open = (
        services.log_entry_save(
            placement=placement,
            span=span,
            date=day,
            hours=Decimal(hours),
            reflection="Leesles in kleine groepjes.",
        )
        for span, day, hours in [
            ("day", datetime.date(2026, 2, 3), "6.5"),
            ("week", datetime.date(2026, 2, 9), "24"),
        ]
    )
    services.hours_confirm(placement=placement, entries=[confirmed], mentor=people["mentor"])
    levels = {c.pk: c.levels.get(rank=3) for c in rubric.criteria.all()}
    for role, person in [
        (EvaluatorRole.MENTOR, "mentor"),
        (EvaluatorRole.BRIDGE_BUILDER, "bridge_builder"),
    ]:
        services.evaluation_save(
            placement=placement,
            moment=Moment.MID_TERM,
            evaluator_role=role,
            author=people[person],
            levels=levels,
            summary="Goed voorbereid.",
            submit=True,
        )
    services.evaluation_respond(
        placement=placement, moment=Moment.MID_TERM, student=people["student_teacher"], body="Dank!"
    )
    services.mentor_training_add(
        mentor=people["mentor"],
        title="Basisopleiding mentor",
        completed_on=datetime.date(2025, 10, 1),
        hours=Decimal("12"),
    )
    return placement, _open
