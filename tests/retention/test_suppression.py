"""Groups of fewer than 5 show no figure, at every level (school, cohort, level,
network) and in the CSV, and no figure lets a reader subtract their way to one."""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retention.selectors import (
    MIN_GROUP,
    Outcome,
    Shown,
    Starter,
    network_curves,
    network_figures,
    school_figures,
)

from .cohort import starters_at, year

pytestmark = pytest.mark.django_db


def states(curve):
    return [p.shown for p in curve.points]


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def small_school(network):
    """Four starters at the home school (primary) in 2024-2025, one year reached."""
    cohort_year = year(2024)
    starters_at(network.school, cohort_year, 4)
    return cohort_year


def test_a_school_of_four_shows_fewer_than_5_on_the_page_and_in_the_csv(
    login, network, small_school
):
    figures = school_figures(school=network.school, as_of=network.school_year)
    assert states(figures.total)[0] == Shown.SMALL
    assert states(figures.cohorts[0])[0] == Shown.SMALL
    client = login(network.people["school_leader"])
    client.cookies["django_language"] = "en"
    page = client.get(f"/monitoring/retention/schools/{network.school.pk}/").content.decode()
    assert "fewer than 5" in page
    rows = csv_rows(client.get(f"/monitoring/retention/schools/{network.school.pk}/export.csv"))
    assert rows[1:] == [
        [network.school.name, "Primary", "", "1", "", "", "", "", "", "", "fewer than 5"],
        ["Cohort", "Primary", "2024-2025", "1", "", "", "", "", "", "", "fewer than 5"],
    ]


def test_a_small_level_hides_the_network_total_that_would_reveal_it(login, network, small_school):
    """Four primary and six secondary starters: the network (10) minus secondary (6)
    would give primary's four, so the network total is hidden too."""
    starters_at(network.other_school, small_school, 6)
    figures = network_figures(partnership=network.partnership, as_of=network.school_year)
    primary, secondary = figures.levels
    assert states(primary)[0] == Shown.SMALL
    assert states(secondary)[0] == Shown.SHOWN
    assert states(figures.total)[0] == Shown.PROTECTED
    client = login(network.people["network_admin"])
    client.cookies["django_language"] = "en"
    rows = csv_rows(client.get("/monitoring/retention/export.csv"))
    by_group = {(r[0], r[1], r[2]): r for r in rows[1:]}
    assert by_group[("All partner schools", "", "")][4:] == [""] * 6 + [
        "hidden to protect a group of fewer than 5"
    ]
    assert by_group[("Level", "Primary", "")][4:] == [""] * 6 + ["fewer than 5"]
    assert by_group[("Level", "Secondary", "")][4] == "6"
    assert by_group[("Cohort", "Primary", "2024-2025")][10] == "fewer than 5"


def test_a_small_cohort_hides_the_smallest_other_cohort_of_its_level(network):
    """Cohorts of 3, 6 and 9 at a level of 18: showing 6 and 9 would reveal the 3."""
    year(2024)
    for start, size in [(2022, 3), (2023, 6), (2021, 9)]:
        starters_at(network.school, year(start), size)
    figures = network_figures(partnership=network.partnership, as_of=network.school_year)
    after_one = {c.label: c.points[0].shown for c in figures.cohorts}
    assert after_one == {
        "2021-2022": Shown.SHOWN,
        "2022-2023": Shown.SMALL,
        "2023-2024": Shown.PROTECTED,
    }
    assert figures.levels[0].points[0].counts.n == 18


def _starters(sizes):
    people, pk = [], 0
    for (level, cohort), (size, outcome) in sizes.items():
        for _ in range(size):
            pk += 1
            people.append(
                Starter(pk, cohort, 1, level, dict.fromkeys(range(1, 2026 - cohort), outcome))
            )
    return people


group_sizes = st.dictionaries(
    st.tuples(st.sampled_from(["primary", "secondary"]), st.integers(2020, 2024)),
    st.tuples(st.integers(1, 9), st.sampled_from(list(Outcome))),
    max_size=8,
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(group_sizes)
def test_no_hidden_group_of_1_to_4_can_be_worked_out_by_subtraction(sizes):
    """Whatever the group sizes: at every year, a shown parent minus its shown
    children is never a group of 1 to 4 people, and nothing shown is under 5."""
    total, levels, cohorts = network_curves(_starters(sizes), {})
    partitions = [(total, levels)] + [
        (level, [c for c in cohorts if c.level == level.level]) for level in levels
    ]
    for parent, children in partitions:
        for index in range(5):
            point = parent.points[index]
            if point.shown != Shown.SHOWN:
                continue
            shown = sum(c.points[index].counts.n for c in children if c.points[index].counts)
            assert not 0 < point.counts.n - shown < MIN_GROUP
    for curve in [total, *levels, *cohorts]:
        assert all(p.counts.n >= MIN_GROUP for p in curve.points if p.counts)


def test_the_review_section_follows_the_same_rule(network, small_school):
    from retention.review import section

    result = section(partnership=network.partnership, school_year=network.school_year)
    primary_table = result.tables[0]
    assert primary_table.rows[0] == [1, None, None, None, None, None, None]


def test_the_overview_page_says_fewer_than_5_for_small_groups(login, network, small_school):
    client = login(network.people["bridge_builder"])
    client.cookies["django_language"] = "en"
    page = client.get("/monitoring/retention/").content.decode()
    assert "fewer than 5" in page
