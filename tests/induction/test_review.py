"""The induction's section of the yearly review: per school, counts only, in a fixed
number of queries."""

import datetime

import pytest

from induction.review import section
from induction.services import mentor_assign
from partnership.yearly_review import sections
from tests import factories

from .conftest import PRIVATE_NOTE

pytestmark = pytest.mark.django_db


def test_the_section_counts_starters_mentors_check_ins_and_overdue(network, plan):
    result = section(partnership=network.partnership, school_year=network.school_year)
    assert result.key == "induction"
    table = result.tables[0]
    assert table.rows == [["Basisschool De Regenboog", 1, 1, 1, 2, 14, 1]]
    figures = {f.label: f.value for f in result.figures}
    assert figures["Beginnende leraren"] == 1
    assert figures["Zij-instromers"] == 1
    assert figures["Met een mentor"] == 1
    assert figures["Gesprekken gehouden"] == 2
    assert figures["Met een achterstallig gesprek"] == 1
    assert PRIVATE_NOTE not in repr(result)
    assert result in sections(partnership=network.partnership, school_year=network.school_year)


def test_nothing_to_say_without_starters(network):
    other_year = factories.SchoolYearFactory(name="2024-2025")
    assert section(partnership=network.partnership, school_year=other_year) is None


def test_a_fixed_number_of_queries_whatever_the_number_of_schools(
    network, plan, django_assert_max_num_queries
):
    for _ in range(12):
        school = factories.SchoolFactory(partnership=network.partnership)
        mentor = factories.RoleMembershipFactory(
            role="teacher", school=school, school_year=network.school_year
        ).user
        starter = factories.RoleMembershipFactory(
            role="career_changer",
            school=school,
            school_year=network.school_year,
            started_teaching_in=network.school_year,
        )
        mentor_assign(
            starter=starter, mentor=mentor, assigned_by=None, on=datetime.date(2025, 10, 1)
        )
    with django_assert_max_num_queries(1):
        result = section(partnership=network.partnership, school_year=network.school_year)
    assert len(result.tables[0].rows) == 13
