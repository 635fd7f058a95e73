"""Results at every level: means and spread, change between rounds, response rate;
no figure for fewer than five people in the page, the CSV or the JSON; and no
difference between two published figures reveals fewer than five people."""

import csv
import io
import statistics

import pytest
from django.urls import reverse

from monitoring.models import Moment
from monitoring.selectors import community_rounds, network_rounds, period_results, school_rounds
from tests import factories

from .conftest import add_teachers, answer, answers_for, invite, make_round

pytestmark = pytest.mark.django_db


def subscale_means(periods):
    return [[r.mean for r in p.subscales] for p in periods]


def test_means_sd_change_and_response_rate_at_a_school(network, instrument):
    start = make_round(network.school, network.school_year, instrument, Moment.START)
    people = add_teachers(network.school, network.school_year, 12)
    values = [2, 3, 4, 5, 6, 4, 3, 2, 5, 6]
    for person, value in zip(people, values, strict=False):
        (invitation,) = invite(start, [person])
        from monitoring.services import response_submit

        response_submit(invitation_key=invitation.key, answers=answers_for(instrument, value))
    invite(start, people[10:])  # two who do not answer
    end = make_round(network.school, network.school_year, instrument, Moment.END)
    answer(end, instrument, 5, value=5)

    first, second = period_results(school_rounds(network.school))
    assert (first.invited, first.answered, first.counted) == (12, 10, 10)
    assert first.response_rate == pytest.approx(10 / 12)
    # Every item at v, one reverse-scored per subscale: (3v + 7 - v) / 4.
    scores = [(3 * v + 7 - v) / 4 for v in values]
    assert first.subscales[0].mean == pytest.approx(statistics.mean(scores))
    assert first.subscales[0].sd == pytest.approx(statistics.stdev(scores))
    assert first.subscales[0].change is None
    assert second.subscales[0].mean == pytest.approx((3 * 5 + 2) / 4)
    assert second.subscales[0].change == pytest.approx(
        second.subscales[0].mean - first.subscales[0].mean
    )


def test_a_school_result_shows_from_the_fifth_answer(network, instrument):
    round_ = make_round(network.school, network.school_year, instrument)
    answer(round_, instrument, 4)
    (period,) = period_results(school_rounds(network.school))
    assert not period.shown and subscale_means([period]) == [[None, None]]
    answer(round_, instrument, 1)
    (period,) = period_results(school_rounds(network.school))
    assert period.shown and None not in subscale_means([period])[0]


def test_answers_beyond_a_complete_group_of_five_count_only_in_the_response_rate(
    network, instrument
):
    round_ = make_round(network.school, network.school_year, instrument)
    answer(round_, instrument, 5, value=2)
    answer(round_, instrument, 4, value=6)
    (period,) = period_results(school_rounds(network.school))
    assert (period.answered, period.counted) == (9, 5)
    assert period.subscales[0].mean == pytest.approx((3 * 2 + 5) / 4)


@pytest.fixture
def two_schools(network, instrument):
    """The home school (in the community) with 7 answers, the other school with 3."""
    home = make_round(network.school, network.school_year, instrument)
    other = make_round(network.other_school, network.school_year, instrument)
    answer(home, instrument, 7, value=4)
    answer(other, instrument, 3, value=1)
    factories.LearningCommunityMembershipFactory(
        community=network.community, school=network.other_school
    )
    return home, other


def test_suppression_at_every_level(network, two_schools):
    (school,) = period_results(school_rounds(network.school))
    (other,) = period_results(school_rounds(network.other_school))
    (community,) = period_results(community_rounds(network.community))
    (whole,) = period_results(network_rounds(network.partnership))
    assert school.shown and not other.shown
    assert (community.answered, community.counted) == (10, 5)
    assert (whole.answered, whole.counted) == (10, 5)


def test_the_differencing_attack_between_levels_reveals_nothing(network, two_schools):
    """Network minus all schools but one, and community minus one school: the
    other school's three answers (all 1s) must not be derivable. The published
    sums are over whole batches, so the difference is empty."""
    (school,) = period_results(school_rounds(network.school))
    (community,) = period_results(community_rounds(network.community))
    (whole,) = period_results(network_rounds(network.partnership))
    for parent in (community, whole):
        hidden_n = parent.counted - school.counted
        hidden_sum = [
            p.mean * parent.counted - s.mean * school.counted
            for p, s in zip(parent.subscales, school.subscales, strict=True)
        ]
        assert hidden_n == 0
        assert hidden_sum == pytest.approx([0, 0])


def test_differencing_never_isolates_fewer_than_five_people(network, instrument):
    """Whatever the counts, every published figure is over complete groups of five,
    so any difference between two figures is nobody or at least five people: also
    between the same page before and after one more answer."""
    schools = [network.school, network.other_school]
    schools += [factories.SchoolFactory(partnership=network.partnership) for _ in range(2)]
    for school, count in zip(schools, [6, 7, 9, 12], strict=True):
        answer(make_round(school, network.school_year, instrument), instrument, count)
    published = [period_results(school_rounds(s))[0].counted for s in schools]
    total = period_results(network_rounds(network.partnership))[0].counted
    for leave_out in range(len(schools)):
        difference = total - sum(c for i, c in enumerate(published) if i != leave_out)
        assert difference == 0 or difference >= 5
    before = period_results(school_rounds(schools[1]))[0]
    answer(schools[1].monitoring_rounds.get(), instrument, 1)
    after = period_results(school_rounds(schools[1]))[0]
    assert after.counted - before.counted in {0, 5}


def test_csv_and_json_suppress_like_the_page(client, network, two_schools, login):
    login(network.people["network_admin"])
    other_csv = client.get(reverse("monitoring:school_csv", args=[network.other_school.pk]))
    rows = list(csv.reader(io.StringIO(other_csv.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    mean_column = header.index("Gemiddelde") if "Gemiddelde" in header else 8
    assert body and all(row[mean_column] == "" for row in body)
    assert all(row[-1] for row in body)  # the reason is given

    other_json = client.get(reverse("monitoring:school_json", args=[network.other_school.pk]))
    (period,) = other_json.json()["rounds"]
    assert period["suppressed"] is True
    assert {s["mean"] for s in period["subscales"]} == {None}
    assert {s["sd"] for s in period["subscales"]} == {None}

    community_json = client.get(reverse("monitoring:community_json", args=[network.community.pk]))
    (period,) = community_json.json()["rounds"]
    assert period["counted"] == 5 and period["answered"] == 10
    # The community's mean is the home school's batch only: the 1s of the other school are out.
    assert period["subscales"][0]["mean"] == pytest.approx((3 * 4 + 3) / 4)

    page = client.get(reverse("monitoring:school", args=[network.other_school.pk]))
    html = page.content.decode()
    assert 'data-testid="suppressed"' in html and 'data-testid="mean"' not in html
    assert 'data-testid="means-chart"' not in html
