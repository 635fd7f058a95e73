"""What the schools hosted, counted from the records: the yearly review section
(fixed number of queries) and the agreement's reciprocity balance."""

import datetime
import re
from decimal import Decimal

import pytest

from internships import services
from internships.review import section
from oversight.selectors import agreement_balance
from oversight.services import agreement_create, agreement_item_save
from partnership.yearly_review import sections
from placements.models import Placement
from tests import factories

from .helpers import make_placement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def hours(placement, day, amount, *, confirm_by=None):
    entry = services.log_entry_save(
        placement=placement,
        span="day",
        date=datetime.date(2026, 3, day),
        hours=Decimal(amount),
        reflection="Dag",
    )
    if confirm_by:
        services.hours_confirm(placement=placement, entries=[entry], mentor=confirm_by)
    return entry


@pytest.fixture
def hosted(network, internship):
    """At the home school: the running internship with 6 + 4 hours confirmed and 5
    not, a completed one, a proposed and a cancelled one; at the other school one
    confirmed placement."""
    mentor = network.people["mentor"]
    hours(internship, 2, "6", confirm_by=mentor)
    hours(internship, 3, "4", confirm_by=mentor)
    hours(internship, 4, "5")
    make_placement(
        network, student=factories.UserFactory(), mentor=mentor, state=Placement.State.COMPLETED
    )
    for state in (Placement.State.PROPOSED, Placement.State.CANCELLED):
        make_placement(network, student=factories.UserFactory(), mentor=mentor, state=state)
    other_mentor = factories.UserFactory()
    make_placement(
        network,
        student=factories.UserFactory(),
        school=network.other_school,
        mentor=other_mentor,
        state=Placement.State.CONFIRMED,
    )
    services.mentor_training_add(
        mentor=mentor, title="Basis", completed_on=datetime.date(2025, 11, 5), hours=Decimal("12")
    )
    # Before the school year: not this year's training.
    services.mentor_training_add(
        mentor=mentor, title="Oud", completed_on=datetime.date(2024, 11, 5), hours=Decimal("30")
    )
    return network


def test_the_reciprocity_balance_counts_placements_and_mentor_hours(hosted):
    network = hosted
    agreement = agreement_create(school=network.school, school_year=network.school_year)
    for description, quantity, measure in [
        ("Stageplaatsen", 3, "placements"),
        ("Mentorbegeleiding", 10, "mentor_hours"),
    ]:
        agreement_item_save(
            agreement=agreement,
            party="school",
            kind="contribution",
            description=description,
            quantity=quantity,
            unit="",
            measure=measure,
        )
    balance = {line.item.description: line for line in agreement_balance(agreement)}
    assert balance["Stageplaatsen"].actual == 2  # running + completed, not proposed/cancelled
    assert balance["Stageplaatsen"].status == "short"
    assert balance["Mentorbegeleiding"].actual == Decimal("10")  # confirmed hours only
    assert balance["Mentorbegeleiding"].status == "met"


def test_the_agreement_page_shows_the_counted_hours(client, hosted):
    network = hosted
    agreement = agreement_create(school=network.school, school_year=network.school_year)
    agreement_item_save(
        agreement=agreement,
        party="school",
        kind="contribution",
        description="Mentorbegeleiding",
        quantity=10,
        unit="uur",
        measure="mentor_hours",
    )
    client.force_login(network.people["school_leader"])
    html = client.get(f"/oversight/agreements/{agreement.pk}/").content.decode()
    assert re.search(r'balance-met">10(,0)?<', html)
    assert "mentoruren (bevestigd in de stagelogboeken)" in html


def test_the_yearly_review_section(hosted, django_assert_num_queries):
    network = hosted
    with django_assert_num_queries(4):
        found = section(partnership=network.partnership, school_year=network.school_year)
    assert found is not None and found.key == "internships"
    figures = {figure.label: figure.value for figure in found.figures}
    assert figures == {
        "Ontvangen stagiairs": 3,
        "Mentoruren (bevestigd)": Decimal("10"),
        "Mentoren": 2,
        "Uren mentoropleiding": Decimal("12"),
    }
    (table,) = found.tables
    assert table.rows == [
        ["Atheneum Noord", 1, 0, 1, 0],
        ["Basisschool De Regenboog", 2, Decimal("10"), 1, Decimal("12")],
    ]
    assert found in sections(partnership=network.partnership, school_year=network.school_year)


def test_the_section_runs_the_same_queries_for_many_schools(
    network, rubric, django_assert_num_queries
):
    for _n in range(30):
        school = factories.SchoolFactory(partnership=network.partnership)
        make_placement(
            network, student=factories.UserFactory(), school=school, mentor=factories.UserFactory()
        )
    with django_assert_num_queries(4):
        found = section(partnership=network.partnership, school_year=network.school_year)
    assert len(found.tables[0].rows) == 30


def test_a_year_without_placements_has_no_section(network):
    assert section(partnership=network.partnership, school_year=network.school_year) is None
