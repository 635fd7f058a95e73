"""Knowledge injections and school page settings for the admin changelist budget
(tests/partnership/test_admin.py)."""

from inspiration.models import KnowledgeInjection
from schools.models import SchoolPublicity
from tests import factories

from .conftest import start_cycle_at


def fill(network, rows: int) -> None:
    cycle = network.team.current_cycle or start_cycle_at(network.team, 4)
    KnowledgeInjection.objects.bulk_create(
        KnowledgeInjection(
            team=network.team,
            cycle=cycle,
            stage=cycle.current_stage,
            sender=network.people["bridge_builder"],
            kind=KnowledgeInjection.Kind.LINK,
            url=f"https://example.org/{number}",
            note="Lees dit.",
        )
        for number in range(rows)
    )
    SchoolPublicity.objects.bulk_create(
        SchoolPublicity(school=factories.SchoolFactory(partnership=network.partnership))
        for _ in range(rows)
    )
