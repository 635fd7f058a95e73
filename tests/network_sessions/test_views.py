"""Every session page by persona and method, query budgets, and bad input."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from network_sessions.models import NetworkSession
from network_sessions.services import calendar_feed_for, session_respond
from tests import factories
from tests.conftest import PERSONAS

from .conftest import brussels

pytestmark = pytest.mark.django_db

NOW = brussels(2025, 11, 10, 9, 0)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def session(plan, network):
    """Organised by the bridge-builder, for the coaches only: the bridge-builder
    sees it as organiser but is not invited; the outsider (a coach of another
    school) is invited."""
    return plan(audience_roles=["coach"])


# persona -> expected status, per (url name, method). 302 = login redirect or a
# redirect after a successful POST; 404 = not visible; 403 = visible, not allowed.
MATRIX = {
    ("list", "get"): dict.fromkeys(PERSONAS, 200) | {None: 302},
    ("calendar", "get"): dict.fromkeys(PERSONAS, 200) | {None: 302},
    ("calendar_reset", "post"): dict.fromkeys(PERSONAS, 302) | {None: 302},
    ("create", "get"): {
        "coach": 403,
        "research_teacher": 403,
        "student_teacher": 403,
        "bridge_builder": 200,
        "school_leader": 403,
        "process_facilitator": 200,
        "network_admin": 200,
        "outsider": 403,
        None: 302,
    },
    ("detail", "get"): {
        "coach": 200,
        "research_teacher": 404,
        "student_teacher": 404,
        "bridge_builder": 200,
        "school_leader": 404,
        "process_facilitator": 404,
        "network_admin": 200,
        "outsider": 200,
        None: 302,
    },
    ("ics", "get"): {
        "coach": 200,
        "research_teacher": 404,
        "student_teacher": 404,
        "bridge_builder": 200,
        "school_leader": 404,
        "process_facilitator": 404,
        "network_admin": 200,
        "outsider": 200,
        None: 302,
    },
    ("respond", "post"): {
        "coach": 302,
        "research_teacher": 404,
        "student_teacher": 404,
        "bridge_builder": 403,  # the organiser, not invited
        "school_leader": 404,
        "process_facilitator": 404,
        "network_admin": 403,
        "outsider": 302,
        None: 302,
    },
    ("edit", "get"): {
        "coach": 403,
        "research_teacher": 404,
        "student_teacher": 404,
        "bridge_builder": 200,
        "school_leader": 404,
        "process_facilitator": 404,
        "network_admin": 200,
        "outsider": 403,
        None: 302,
    },
    ("attendance", "post"): {
        "coach": 403,
        "research_teacher": 404,
        "student_teacher": 404,
        "bridge_builder": 302,
        "school_leader": 404,
        "process_facilitator": 404,
        "network_admin": 302,
        "outsider": 403,
        None: 302,
    },
    ("cancel", "post"): {
        "coach": 403,
        "research_teacher": 404,
        "student_teacher": 404,
        "bridge_builder": 302,
        "school_leader": 404,
        "process_facilitator": 404,
        "network_admin": 302,
        "outsider": 403,
        None: 302,
    },
}

CASES = [
    (name, method, persona, status)
    for (name, method), expected in MATRIX.items()
    for persona, status in expected.items()
]


@pytest.mark.parametrize(("name", "method", "persona", "status"), CASES)
def test_permission_matrix(client, network, session, name, method, persona, status):
    args = [] if name in {"list", "calendar", "calendar_reset", "create"} else [session.pk]
    url = reverse(f"network_sessions:{name}", args=args)
    if persona is not None:
        client.force_login(network.people[persona])
    data = {"response": "going"} if name == "respond" else {}
    response = getattr(client, method)(url, data)
    assert response.status_code == status, (name, method, persona)
    if persona is None:
        assert response.url.startswith(reverse("account_login"))


def test_get_is_not_allowed_on_actions(client, network, session):
    client.force_login(network.people["bridge_builder"])
    for name in ("cancel", "respond", "attendance"):
        url = reverse(f"network_sessions:{name}", args=[session.pk])
        assert client.get(url).status_code == 405


def test_the_calendar_feed_needs_no_login_but_the_secret(client, network, session):
    feed = calendar_feed_for(user=network.people["coach"])
    assert client.get(reverse("network_sessions:feed", args=[feed.token])).status_code == 200
    assert client.get(reverse("network_sessions:feed", args=[feed.key])).status_code == 404


def test_planning_a_session_through_the_form(client, network):
    client.force_login(network.people["process_facilitator"])
    response = client.post(
        reverse("network_sessions:create"),
        {
            "kind": "learning_community",
            "title": "PLG Zuid: leervragen",
            "starts_at": "2025-12-02T09:00",
            "ends_at": "2025-12-02T11:00",
            "location": "De Regenboog",
            "reminder_days": "7, 2",
            "audience_communities": [network.community.pk],
        },
        follow=True,
    )
    session = NetworkSession.objects.get()
    assert response.redirect_chain[-1][0] == reverse("network_sessions:detail", args=[session.pk])
    assert "De sessie is gepland." in response.content.decode()
    assert session.starts_at == brussels(2025, 12, 2, 9, 0)
    assert session.reminder_days == [7, 2]
    assert session.organiser == network.people["process_facilitator"]
    assert list(session.audience_communities.all()) == [network.community]


def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, network):
    client.force_login(network.people["bridge_builder"])
    response = client.post(
        reverse("network_sessions:create"),
        {
            "kind": "learning_network",
            "title": "Lerend netwerk december",
            "starts_at": "2025-12-02T16:00",
            "ends_at": "2025-12-02T14:00",
            "reminder_days": "zeven",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Een sessie moet eindigen na het begin." in html
    assert "Geef gehele aantallen dagen, gescheiden door komma&#x27;s." in html
    assert "Kies wie uitgenodigd is: rollen, leergemeenschappen, scholen of personen." in html
    assert 'value="Lerend netwerk december"' in html
    assert not NetworkSession.objects.exists()


def test_reminder_days_out_of_range_are_refused_with_a_message(client, network):
    client.force_login(network.people["bridge_builder"])
    response = client.post(
        reverse("network_sessions:create"),
        {
            "kind": "learning_network",
            "title": "Te vroeg",
            "starts_at": "2025-12-02T14:00",
            "ends_at": "2025-12-02T16:00",
            "reminder_days": "90",
            "audience_roles": ["coach"],
        },
    )
    assert "Herinneringen kunnen van 0 tot 60 dagen vooraf verstuurd worden." in (
        response.content.decode()
    )
    assert not NetworkSession.objects.exists()


def test_changing_the_time_through_the_form_tells_the_invitees(
    client, network, session, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(network.people["bridge_builder"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("network_sessions:edit", args=[session.pk]),
            {
                "kind": "learning_network",
                "title": session.title,
                "starts_at": "2025-11-27T14:00",
                "ends_at": "2025-11-27T17:00",
                "reminder_days": "7, 1",
                "audience_roles": ["coach"],
            },
        )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.sequence == 1
    assert sorted(m.to[0] for m in mailoutbox if m.subject.startswith("Gewijzigd")) == [
        "coach@school.test",
        "other@school.test",
    ]


def test_a_cancelled_session_cannot_be_edited(client, network, session):
    client.force_login(network.people["bridge_builder"])
    client.post(reverse("network_sessions:cancel", args=[session.pk]), {"reason": "Ziek."})
    response = client.get(reverse("network_sessions:edit", args=[session.pk]), follow=True)
    assert "Een geannuleerde sessie kan niet meer gewijzigd worden." in response.content.decode()


def test_the_session_list_query_budget(client, network, plan, django_assert_max_num_queries):
    coach = network.people["coach"]
    for day in range(15):
        s = plan(title=f"Sessie {day}", starts_at=brussels(2025, 11, 12 + day, 14, 0))
        if day % 2:
            session_respond(session=s, user=coach, response="maybe")
    for day in range(5):
        plan(title=f"Voorbij {day}", starts_at=brussels(2025, 10, 1 + day, 14, 0))
    client.force_login(coach)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("network_sessions:list"))
    html = response.content.decode()
    assert html.count("session-row") == 20
    assert html.count('value="maybe" class="btn btn-sm btn-warning"') == 7


def test_the_dashboard_shows_the_next_sessions_within_its_budget(
    client, network, plan, django_assert_max_num_queries
):
    for day in range(12):
        plan(title=f"Sessie {day}", starts_at=brussels(2025, 11, 12 + day, 14, 0))
    client.force_login(network.people["coach"])
    # 11: a coach teaches, so may mentor a student teacher (the internships panel).
    # +3: "Waiting for you" (studies, questionnaire invitations) and the unread badge.
    # +1: the person's scope (access.scope), read once instead of compiling the
    # access layer's subqueries into every panel's query.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("dashboard"))
    html = response.content.decode()
    assert html.count('data-testid="dashboard-session"') == 3
    assert "Komende sessies" in html
    assert "Sessie 0" in html and "Sessie 3" not in html


def test_the_detail_page_query_budget_for_the_organiser(
    client, network, plan, django_assert_max_num_queries
):
    session = plan(audience_roles=["coach"])
    for _ in range(15):
        factories.RoleMembershipFactory(
            role="coach",
            school=factories.SchoolFactory(partnership=network.partnership),
            school_year=network.school_year,
        )
    client.force_login(network.people["bridge_builder"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("network_sessions:detail", args=[session.pk]))
    assert response.content.decode().count('name="present"') == 0  # not started yet
    assert "17 personen uitgenodigd" in response.content.decode()


def test_attendance_form_after_the_session(client, network, session):
    client.force_login(network.people["bridge_builder"])
    coach = network.people["coach"]
    with time_machine.travel(session.ends_at + datetime.timedelta(hours=1), tick=False):
        page = client.get(reverse("network_sessions:detail", args=[session.pk])).content.decode()
        assert page.count('name="present"') == 2
        response = client.post(
            reverse("network_sessions:attendance", args=[session.pk]),
            {"present": [coach.pk]},
            follow=True,
        )
    assert "Aanwezigheden bewaard: 1 aanwezig." in response.content.decode()
    assert session.participations.get(user=coach).attended is True


def test_a_session_that_has_started_cannot_be_cancelled(client, network, session):
    client.force_login(network.people["bridge_builder"])
    with time_machine.travel(session.starts_at, tick=False):
        page = client.get(reverse("network_sessions:detail", args=[session.pk])).content.decode()
        assert "Sessie annuleren" not in page
        response = client.post(reverse("network_sessions:cancel", args=[session.pk]), follow=True)
    assert "Een sessie die begonnen is, kan niet meer geannuleerd worden." in (
        response.content.decode()
    )
    session.refresh_from_db()
    assert not session.is_cancelled
