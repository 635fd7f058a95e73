import pytest

from research_cycle.services import cycle_start


@pytest.fixture
def cycle(network):
    """The home team's first cycle, at stage 1 (dilemma)."""
    return cycle_start(team=network.team, user=network.people["coach"])
