"""A hand-built year of records for the review, with the figures they should give."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from knowledge_base.models import Study
from network_sessions.models import NetworkSession, Participation
from oversight.services import agreement_agree, agreement_create, agreement_item_save
from research_cycle.models import CycleStage, ResearchCycle
from reviews.models import Criterion, Framework
from tests import factories
from tests.knowledge_base.publishing import team_study


def framework() -> Framework:
    found = Framework.objects.create(name_nl="Kwaliteitskader", name_en="Quality framework")
    for order, (nl, en) in enumerate(
        [("Samen onderzoeken", "Researching together"), ("Samen leren", "Learning together")], 1
    ):
        Criterion.objects.create(framework=found, order=order, title_nl=nl, title_en=en)
    return found


def _cycle(team, number, *, completed):
    now = timezone.now()
    return ResearchCycle.objects.create(
        team=team,
        number=number,
        current_stage=CycleStage.objects.order_by("order").last(),
        stage_entered_at=now,
        started_at=now,
        completed_at=now if completed else None,
    )


def _session(network, *, kind, days, status="scheduled", organiser=None, **audience):
    starts = timezone.now() + datetime.timedelta(days=days)
    session = NetworkSession.objects.create(
        kind=kind,
        title=f"Sessie {kind} {days}",
        school_year=network.school_year,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        organiser=organiser or network.people["network_admin"],
        status=status,
    )
    for name, values in audience.items():
        getattr(session, name).set(values)
    return session


@dataclass
class Expected:
    figures: dict


def build_year(network) -> Expected:
    """Cycles, studies, sessions and an agreement in the network's year."""
    people = network.people
    _cycle(network.team, 1, completed=True)
    _cycle(network.team, 2, completed=False)
    _cycle(network.other_team, 1, completed=False)
    team_study(network, status=Study.Status.PUBLISHED, slug="gepubliceerd")
    team_study(network, status=Study.Status.DRAFT, title="Nog een ontwerp")
    # A published study of another year does not count.
    earlier = factories.SchoolYearFactory(name="2023-2024")
    team_study(network, status=Study.Status.PUBLISHED, slug="vroeger", school_year=earlier)

    held = _session(network, kind="knowledge", days=-20, audience_schools=[network.school])
    for person, attended in [
        ("coach", True),
        ("mentor", True),
        ("school_leader", True),
        ("outsider", False),
        ("research_teacher", None),
    ]:
        Participation.objects.create(session=held, user=people[person], attended=attended)
    # Held for the partnership through its learning community, nobody recorded.
    _session(network, kind="learning_community", days=-10, audience_communities=[network.community])
    # Not held: cancelled, or still to come.
    cancelled = _session(
        network, kind="training", days=-5, status="cancelled", audience_schools=[network.school]
    )
    Participation.objects.create(session=cancelled, user=people["coach"], attended=True)
    _session(network, kind="training", days=5, audience_schools=[network.school])
    # Another partnership's session, with nobody of ours.
    stranger = factories.UserFactory()
    other_school = factories.SchoolFactory()
    _session(
        network, kind="knowledge", days=-3, organiser=stranger, audience_schools=[other_school]
    )

    agreement = agreement_create(school=network.school, school_year=network.school_year, goals="")
    agreement_item_save(
        agreement=agreement,
        party="school",
        kind="contribution",
        description="Coaches",
        quantity=1,
        measure="coaches",
    )
    agreement_item_save(
        agreement=agreement,
        party="institution",
        kind="contribution",
        description="Stageplaatsen",
        quantity=3,
        measure="placements",
    )
    agreement_item_save(agreement=agreement, party="school", kind="return", description="Vorming")
    agreement_agree(agreement=agreement, side="school", user=people["school_leader"])
    agreement_agree(agreement=agreement, side="institution", user=people["network_admin"])
    return Expected(
        figures={
            "Schools taking part": 2,
            "Partner schools": 2,
            "People taking part": 11,  # everyone of the network fixture but the admin
            "Research teams": 2,
            "Cycles started": 3,
            "Cycles completed": 1,
            "Studies published": 1,
            "Sessions held": 2,
            "Attendances": 3,
            "People who attended": 3,
            "Attendance rate (%)": "75.0",  # 3 of the 4 recorded
            "Schools with an agreement": 1,
            "Agreed by both sides": 1,
            "Measured items achieved": 1,  # 1 coach as agreed; 1 of 3 placements is short
        }
    )
