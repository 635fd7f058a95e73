"""Placement content for the project-wide page and mail checks (languages, HTML):
a period with a school's capacity, a request and a confirmed placement with a
task in the research team. Neutral Dutch texts (no listed words)."""

import datetime
from dataclasses import dataclass

from django.urls import reverse

from config.absolute_urls import absolute_url
from placements import services
from placements.models import Level, Placement, PlacementPeriod


@dataclass
class PlacementPages:
    period: PlacementPeriod
    placement: Placement


def placement_pages(network) -> PlacementPages:
    people = network.people
    period = PlacementPeriod.objects.create(
        institution=network.institution,
        school_year=network.school_year,
        name="Stage 1",
        starts_on=datetime.date(2026, 2, 2),
        ends_on=datetime.date(2026, 2, 20),
    )
    offer = services.capacity_state(
        school=network.school,
        institution=network.institution,
        school_year=network.school_year,
        lines=[
            services.LineInput(period=period, level=Level.PRIMARY, subject="Wiskunde", places=2)
        ],
        mentors=[people["mentor"]],
        by=people["school_leader"],
    )
    line = offer.lines.get()
    request = services.request_state(
        student=people["student_teacher"], period=period, choices=[line], wants_research_team=True
    )
    placement = services.placement_propose(
        student=people["student_teacher"],
        capacity=line,
        by=people["placement_coordinator"],
        request=request,
        choice_rank=1,
        passed_over=[],
        mentor=people["mentor"],
        bridge_builder=people["bridge_builder"],
        research_team=network.team,
        team_task="Leesgesprekken opnemen.",
    )
    services.placement_confirm(placement=placement, by=people["placement_coordinator"])
    return PlacementPages(period=period, placement=placement)


#: The placement pages with arguments: (persona, URL arguments) from a page-check
#: fixture whose ``placements`` is a ``PlacementPages``.
PAGES_WITH_ARGUMENTS = {
    "placements:capacity": lambda d: ("coach", [d.placements.placement.school_id]),
    "placements:preferences": lambda d: ("student_teacher", [d.placements.period.pk]),
    "placements:allocation": lambda d: ("placement_coordinator", [d.placements.period.pk]),
    "placements:detail": lambda d: ("student_teacher", [d.placements.placement.pk]),
    "placements:edit": lambda d: ("placement_coordinator", [d.placements.placement.pk]),
    "placements:cancel": lambda d: ("placement_coordinator", [d.placements.placement.pk]),
}
#: Actions that only take POST.
NOT_PAGES = {
    "placements:allocation_apply",
    "placements:allocation_confirm",
    "placements:place",
    "placements:move",
    "placements:unassign",
    "placements:transition",
}


def mail_contexts(pages: PlacementPages, recipient) -> dict[str, list[dict]]:
    placement = pages.placement
    return {
        "placement_capacity_reminder": [
            {
                "recipient": recipient,
                "school": placement.school,
                "institution": placement.institution,
                "school_year": placement.school_year,
                "url": absolute_url(reverse("placements:capacity", args=[placement.school_id])),
            }
        ],
        "placement_confirmed": [
            {
                "recipient": recipient,
                "placement": placement,
                "url": absolute_url(reverse("placements:detail", args=[placement.pk])),
            }
        ],
    }
