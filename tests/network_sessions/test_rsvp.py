"""Going / maybe / not going, and attendance afterwards."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from network_sessions.models import Participation
from network_sessions.services import (
    session_cancel,
    session_register_attendance,
    session_respond,
)

from .conftest import brussels

pytestmark = pytest.mark.django_db

NOW = brussels(2025, 11, 10, 9, 0)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_an_invitee_answers_and_changes_their_answer(plan, network):
    session = plan()
    coach = network.people["coach"]
    session_respond(session=session, user=coach, response="going")
    session_respond(session=session, user=coach, response="not_going")
    answers = Participation.objects.filter(session=session, user=coach)
    assert [a.response for a in answers] == ["not_going"]


def test_someone_not_invited_cannot_answer(plan, network):
    session = plan()
    with pytest.raises(ValidationError, match="niet uitgenodigd"):
        session_respond(session=session, user=network.people["research_teacher"], response="going")
    assert not Participation.objects.exists()


def test_answers_close_when_the_session_starts(plan, network):
    session = plan()
    with (
        time_machine.travel(session.starts_at + datetime.timedelta(minutes=1), tick=False),
        pytest.raises(ValidationError, match="al begonnen"),
    ):
        session_respond(session=session, user=network.people["coach"], response="going")


def test_a_cancelled_session_takes_no_answers(plan, network):
    session = plan()
    session_cancel(session=session, reason="De spreker is ziek.")
    with pytest.raises(ValidationError, match="geannuleerd"):
        session_respond(session=session, user=network.people["coach"], response="maybe")


def test_an_unknown_answer_is_refused(plan, network):
    session = plan()
    with pytest.raises(ValidationError):
        session_respond(session=session, user=network.people["coach"], response="perhaps")
    assert not Participation.objects.exists()


def test_answering_through_the_page(client, plan, network):
    session = plan()
    client.force_login(network.people["coach"])
    response = client.post(
        reverse("network_sessions:respond", args=[session.pk]),
        {"response": "going", "next": "/dashboard/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert "Je antwoord voor “Lerend netwerk november”: Ik kom." in response.content.decode()
    assert Participation.objects.get(session=session).response == "going"


def test_a_bad_answer_through_the_page_says_so_in_dutch_and_saves_nothing(client, plan, network):
    session = plan()
    client.force_login(network.people["coach"])
    response = client.post(
        reverse("network_sessions:respond", args=[session.pk]), {"response": "x"}, follow=True
    )
    assert "Kies: ik kom, misschien of ik kom niet." in response.content.decode()
    assert not Participation.objects.exists()


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "abc",  # not a path: was a 500 (NoReverseMatch) found by fuzzing
        "dashboard",  # a URL name is not a path either
        "network_sessions:list",
        "javascript:alert(1)",
        "/\\evil.example/",
        " ",
        "\x00",
    ],
)
def test_a_next_that_is_not_a_local_path_falls_back_to_the_session(client, plan, network, next_url):
    session = plan()
    client.force_login(network.people["coach"])
    response = client.post(
        reverse("network_sessions:respond", args=[session.pk]),
        {"response": "going", "next": next_url},
    )
    assert response.status_code == 302
    assert response.url == reverse("network_sessions:detail", args=[session.pk])
    assert Participation.objects.get(session=session).response == "going"


def test_the_organiser_registers_attendance_after_the_session(plan, network):
    session = plan()
    coach, outsider = network.people["coach"], network.people["outsider"]
    session_respond(session=session, user=coach, response="going")
    with time_machine.travel(session.ends_at, tick=False):
        present = session_register_attendance(session=session, present_ids=[str(coach.pk)])
    assert present == 1
    attended = dict(
        Participation.objects.filter(session=session).values_list("user__email", "attended")
    )
    assert attended == {
        "coach@school.test": True,
        "other@school.test": False,
        "bb@school.test": False,
    }
    assert Participation.objects.get(user=outsider).response == ""


def test_attendance_waits_for_the_session_and_only_takes_invitees(plan, network):
    session = plan()
    with pytest.raises(ValidationError, match="zodra de sessie begonnen is"):
        session_register_attendance(session=session, present_ids=[network.people["coach"].pk])
    with (
        time_machine.travel(session.ends_at, tick=False),
        pytest.raises(ValidationError, match="Alleen genodigden"),
    ):
        session_register_attendance(
            session=session, present_ids=[network.people["research_teacher"].pk]
        )
    assert not Participation.objects.exists()


def test_the_organiser_sees_the_answers(client, plan, network):
    session = plan()
    session_respond(session=session, user=network.people["coach"], response="maybe")
    client.force_login(network.people["bridge_builder"])
    html = client.get(reverse("network_sessions:detail", args=[session.pk])).content.decode()
    assert "3 personen uitgenodigd" in html
    assert "Misschien" in html
    assert "nog geen antwoord" in html
