import pytest
import time_machine

from internships.demo import seed_rubric

from .helpers import make_placement

#: "Today" in these tests: a Wednesday in the fifth week of the placement.
TODAY = "2026-03-04 10:00 +01:00"


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def rubric(network):
    return seed_rubric(network.institution)


@pytest.fixture
def internship(network, rubric):
    """The running placement of the network's student teacher at the home school,
    with the network's mentor and bridge-builder."""
    people = network.people
    return make_placement(
        network,
        student=people["student_teacher"],
        mentor=people["mentor"],
        bridge_builder=people["bridge_builder"],
    )
