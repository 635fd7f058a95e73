import pytest
from django.utils import timezone

from research_cycle.services import cycle_start, log_entry_create

# Fixtures of other apps' tests, for the events of those apps.
from tests.internships.conftest import internship, rubric  # noqa: F401
from tests.monitoring.conftest import instrument  # noqa: F401
from tests.network_sessions.conftest import plan  # noqa: F401
from tests.placements.conftest import proposed, world  # noqa: F401


@pytest.fixture
def entry(network):
    """A log entry of the research teacher in the home team."""
    cycle = cycle_start(team=network.team, user=network.people["coach"])
    return log_entry_create(
        cycle=cycle,
        author=network.people["research_teacher"],
        stage=cycle.current_stage,
        occurred_on=timezone.localdate(),
        summary="Eerste overleg",
    )


def kinds_of(user) -> list[str]:
    return sorted(user.notifications.values_list("kind", flat=True))
