"""The yearly review's monitoring section, and the demo data."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from monitoring.demo import demo_answer_invitation
from monitoring.models import Instrument, Response, Round
from monitoring.review import section
from partnership.yearly_review import sections
from tests import factories

from .conftest import answer, make_round

pytestmark = pytest.mark.django_db


def test_the_review_section_gives_the_years_figures_suppressed_where_needed(
    network, instrument, django_assert_num_queries
):
    answer(make_round(network.school, network.school_year, instrument), instrument, 6, value=4)
    answer(make_round(network.other_school, network.school_year, instrument), instrument, 3)
    with django_assert_num_queries(3):
        result = section(partnership=network.partnership, school_year=network.school_year)
    figures = {f.label: f.value for f in result.figures}
    assert list(figures.values()) == [2, 9, 9, 100]
    (table,) = result.tables
    assert [row[1:] for row in table.rows] == [[9, 5, 3.75, 0.0], [9, 5, 3.75, 0.0]]
    assert result in sections(partnership=network.partnership, school_year=network.school_year)


def test_the_review_section_suppresses_a_year_with_too_few_answers(network, instrument):
    answer(make_round(network.school, network.school_year, instrument), instrument, 4)
    result = section(partnership=network.partnership, school_year=network.school_year)
    assert {row[3] for row in result.tables[0].rows} == {None}


def test_no_rounds_no_section(network):
    other_year = factories.SchoolYearFactory(name="2019-2020")
    assert section(partnership=network.partnership, school_year=other_year) is None


def test_the_demo_shows_results_at_home_and_none_at_the_small_school(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent
    assert Instrument.objects.count() == 1
    assert Round.objects.count() == 5
    from partnership.demo import seed_foundation

    network = seed_foundation()
    home = network.home_school
    counted = {r.school_id: r.counted for r in Round.objects.filter(moment="start")}
    assert counted[home.pk] >= 5
    assert 0 in counted.values()  # the small school: nothing shown
    assert Response.objects.count() == 12 + 6 + 8 + 5 + 3
    client.force_login(network.people["school_leader"])
    page = client.get(reverse("monitoring:school", args=[home.pk]))
    assert 'data-testid="mean"' in page.content.decode()
    invitation = demo_answer_invitation(network)
    assert invitation is not None and not invitation.used
