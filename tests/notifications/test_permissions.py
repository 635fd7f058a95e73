"""Permission matrix: every persona × every URL and method of the notifications app.

A notification is its recipient's alone (anyone else: 404, nothing marked read);
the inbox, "mark all read" and the preferences need a login; the signed
preference link is its own credential and works logged out."""

import pytest
from django.urls import reverse

from notifications.models import Notification, Preference
from notifications.tokens import make_token
from research_cycle.services import comment_add
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS

pytestmark = pytest.mark.django_db

EVERYONE = [*PERSONAS, *CONTINUUM_PERSONAS, "anonymous"]


@pytest.fixture
def world(network, entry):
    comment_add(entry=entry, author=network.people["coach"], body="@lotte-janssens kijk eens")
    notification = network.people["research_teacher"].notifications.get()
    return {
        "notification": notification,
        "token": make_token(network.people["research_teacher"].pk, "mention"),
    }


ENDPOINTS = {
    "inbox": ("get", lambda w: reverse("notifications:inbox"), {}),
    "open": ("get", lambda w: reverse("notifications:open", args=[w["notification"].pk]), {}),
    "mark_all_read": ("post", lambda w: reverse("notifications:mark_all_read"), {}),
    "preferences": ("get", lambda w: reverse("notifications:preferences"), {}),
    "preferences_post": ("post", lambda w: reverse("notifications:preferences"), {"mention": "x"}),
    "link": ("get", lambda w: reverse("notifications:preference_link", args=[w["token"]]), {}),
    "link_post": (
        "post",
        lambda w: reverse("notifications:preference_link", args=[w["token"]]),
        {"delivery": "daily"},
    ),
}


def expected(endpoint: str, persona: str) -> int:
    if endpoint == "link":
        return 200
    if endpoint == "link_post":
        return 200
    if persona == "anonymous":
        return 302
    if endpoint == "open":
        return 302 if persona == "research_teacher" else 404
    if endpoint == "mark_all_read":
        return 302
    if endpoint == "preferences_post":
        return 400  # an incomplete form: refused, nothing saved
    return 200


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("persona", EVERYONE)
def test_permission_matrix(client, network, world, endpoint, persona):
    if persona != "anonymous":
        client.force_login(network.people[persona])
    method, url, data = ENDPOINTS[endpoint]
    response = getattr(client, method)(url(world), data)
    assert response.status_code == expected(endpoint, persona)
    if response.status_code == 302 and persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", [p for p in EVERYONE if p != "research_teacher"])
def test_nobody_else_marks_my_notification_read(client, network, world, persona):
    if persona != "anonymous":
        client.force_login(network.people[persona])
    client.get(reverse("notifications:open", args=[world["notification"].pk]))
    client.post(reverse("notifications:mark_all_read"))
    assert Notification.objects.get(pk=world["notification"].pk).read_at is None


def test_the_preference_link_changes_only_its_owners_preference(client, network, world):
    client.force_login(network.people["outsider"])
    client.post(
        reverse("notifications:preference_link", args=[world["token"]]), {"delivery": "daily"}
    )
    assert list(Preference.objects.values_list("user", "kind", "delivery")) == [
        (network.people["research_teacher"].pk, "mention", "daily")
    ]
