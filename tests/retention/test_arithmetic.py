"""Retention arithmetic on the hand-made cohort of ``cohort.py``: every number is
the one counted by hand, on the page, in the CSV and in the selectors."""

import csv
import io

import pytest

from retention.selectors import Outcome, Shown, network_figures, outcome_after, school_figures

from .cohort import EXPECTED, SHARES, hand_made_cohort

pytestmark = pytest.mark.django_db


def counts(curve):
    return {
        p.years: (p.counts.n, p.counts.teaching, p.counts.left, p.counts.unknown)
        for p in curve.points
        if p.counts
    }


def test_the_school_curve_is_the_hand_count(network):
    hand_made_cohort(network)
    figures = school_figures(school=network.school, as_of=network.school_year)
    assert counts(figures.total) == EXPECTED
    shares = {
        p.years: (round(p.counts.at_least, 1), round(p.counts.at_most, 1))
        for p in figures.total.points
    }
    assert shares == SHARES
    # One cohort (2020-2021), the same seven people.
    [cohort] = figures.cohorts
    assert cohort.label == "2020-2021"
    assert counts(cohort) == EXPECTED


def test_the_network_counts_them_under_primary_and_leaves_secondary_empty(network):
    hand_made_cohort(network)
    figures = network_figures(partnership=network.partnership, as_of=network.school_year)
    primary, secondary = figures.levels
    assert counts(primary) == EXPECTED
    assert counts(figures.total) == EXPECTED
    assert [p.shown for p in secondary.points] == [Shown.NOT_YET] * 5


def test_figures_as_known_in_an_earlier_year_use_only_what_was_known_then(network):
    cohort = hand_made_cohort(network)
    figures = school_figures(school=network.school, as_of=cohort.years[2022])
    # 2022-2023: two years reached; p7's return in 2024 is not known yet.
    assert counts(figures.total) == {1: EXPECTED[1], 2: EXPECTED[2]}
    assert [p.shown for p in figures.total.points][2:] == [Shown.NOT_YET] * 3


def test_the_school_page_and_its_csv_show_the_hand_count(login, network):
    hand_made_cohort(network)
    client = login(network.people["school_leader"])
    page = client.get(f"/monitoring/retention/schools/{network.school.pk}/").content.decode()
    # After 2 years: 7 people, 2 still teaching, 2 left, 3 unknown, 29–71 %.
    assert "29–71 %" in page and "57–86 %" in page and "14–86 %" in page
    response = client.get(f"/monitoring/retention/schools/{network.school.pk}/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    school_rows = [r for r in rows[1:] if r[0] == network.school.name]
    assert [tuple(map(int, r[3:8])) for r in school_rows] == [
        (k, *EXPECTED[k]) for k in range(1, 6)
    ]
    assert [(float(r[8]), float(r[9])) for r in school_rows] == [SHARES[k] for k in range(1, 6)]


@pytest.mark.parametrize(
    ("evidence", "years", "expected"),
    [
        ({2020: Outcome.TEACHING}, 1, Outcome.UNKNOWN),  # nothing seen: never guessed
        ({2021: Outcome.TEACHING}, 1, Outcome.TEACHING),
        ({2021: Outcome.LEFT}, 3, Outcome.LEFT),  # left within three years
        ({2021: Outcome.LEFT, 2023: Outcome.TEACHING}, 3, Outcome.TEACHING),  # came back
        ({2021: Outcome.LEFT, 2023: Outcome.TEACHING}, 4, Outcome.UNKNOWN),
        ({2026: Outcome.TEACHING}, 5, Outcome.UNKNOWN),  # later years say nothing of 2025
    ],
)
def test_one_outcome(evidence, years, expected):
    assert outcome_after(evidence, cohort_start=2020, years=years) == expected
