"""A teacher answers from the mailed link: once, before closing, on the scale, in
their language; every refusal leaves nothing stored."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Invitation, Response, Round, Score

from .conftest import add_teachers, answers_for, invite, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(network, instrument):
    round_ = make_round(network.school, network.school_year, instrument)
    return invite(round_, [network.people["mentor"]])[0]


def post_data(instrument, value=4):
    return {f"item_{pk}": v for pk, v in answers_for(instrument, value).items()}


def url(invitation):
    return reverse("monitoring:answer", args=[invitation.token])


def test_the_link_opens_the_questionnaire_without_logging_in(client, invitation, instrument):
    page = client.get(url(invitation))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Als team vinden we samen een aanpak" in html
    assert "helemaal eens" in html
    assert invitation.person.full_name not in html  # a shared phone learns nothing


def test_an_english_speaking_teacher_reads_it_in_english(client, invitation, instrument):
    invitation.person.preferred_language = "en"
    invitation.person.save()
    html = client.get(url(invitation)).content.decode()
    assert "As a team, we find an approach together" in html
    assert "Send my answers" in html
    assert 'lang="en"' in html


def test_answering_stores_one_response_and_uses_the_link(client, invitation, instrument):
    page = client.post(url(invitation), post_data(instrument))
    assert page.status_code == 200
    assert 'data-testid="answer-thanks"' in page.content.decode()
    assert Response.objects.count() == 1
    assert Score.objects.count() == 2
    invitation.refresh_from_db()
    assert invitation.used
    assert Round.objects.get().response_count == 1


def test_a_second_answer_with_the_same_link_is_refused_and_nothing_is_stored(
    client, invitation, instrument
):
    client.post(url(invitation), post_data(instrument, 2))
    again = client.post(url(invitation), post_data(instrument, 6))
    assert again.status_code == 409
    assert 'data-testid="answer-used"' in again.content.decode()
    assert Response.objects.count() == 1
    assert client.get(url(invitation)).status_code == 200  # the message, not an error


def test_an_answer_after_closing_is_refused(client, invitation, instrument):
    later = timezone.localdate() + datetime.timedelta(days=11)
    with time_machine.travel(datetime.datetime.combine(later, datetime.time(10)), tick=False):
        page = client.post(url(invitation), post_data(instrument))
    assert page.status_code == 409
    assert 'data-testid="answer-closed"' in page.content.decode()
    assert Response.objects.count() == 0
    invitation.refresh_from_db()
    assert not invitation.used


def test_the_closing_day_itself_still_takes_answers(client, invitation, instrument):
    closing = Round.objects.get().closes_on
    with time_machine.travel(datetime.datetime.combine(closing, datetime.time(22)), tick=False):
        assert client.post(url(invitation), post_data(instrument)).status_code == 200
    assert Response.objects.count() == 1


@pytest.mark.parametrize("value", ["7", "0", "-1", "abc", "4.5", ""])
def test_an_out_of_scale_value_is_refused_with_a_message_and_the_rest_kept(
    client, invitation, instrument, value
):
    data = post_data(instrument, 5)
    first, *_rest = sorted(data)
    data[first] = value
    page = client.post(url(invitation), data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "error-summary" in html
    assert Response.objects.count() == 0
    invitation.refresh_from_db()
    assert not invitation.used
    # What was typed stays chosen.
    second = sorted(data)[1]
    assert f'name="{second}" value="5"' in html and "checked" in html


def test_a_forged_or_mangled_link_is_not_found(client, invitation):
    assert client.get(reverse("monitoring:answer", args=[invitation.key])).status_code == 404
    forged = f"{invitation.key}.{'0' * 32}"
    assert client.get(reverse("monitoring:answer", args=[forged])).status_code == 404
    assert client.get(reverse("monitoring:answer", args=["nothing.here"])).status_code == 404


def test_the_service_refuses_out_of_scale_values_too(network, invitation, instrument):
    from django.core.exceptions import ValidationError

    from monitoring.services import response_submit

    for bad in (7, 0, True, "4"):
        answers = answers_for(instrument, 3)
        answers[next(iter(answers))] = bad
        with pytest.raises(ValidationError):
            response_submit(invitation_key=invitation.key, answers=answers)
    with pytest.raises(ValidationError):
        response_submit(invitation_key=invitation.key, answers={})
    assert Response.objects.count() == 0
    assert not Invitation.objects.get().used


def test_reverse_scored_items_are_turned_around(network, instrument):
    round_ = make_round(network.school, network.school_year, instrument)
    (invitation,) = invite(round_, add_teachers(network.school, network.school_year, 1))
    from monitoring.services import response_submit

    response_submit(invitation_key=invitation.key, answers=answers_for(instrument, 6))
    # Three items of each subscale at 6, the reverse-scored one counts 1: (6+6+6+1)/4.
    assert sorted(Score.objects.values_list("value", flat=True)) == [4.75, 4.75]
