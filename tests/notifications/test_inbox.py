"""The inbox, opening a notification, "mark all read" and the header badge."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import services
from notifications.models import Notification
from research_cycle.models import TeamMembership
from research_cycle.services import comment_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def commented(network, entry):
    comment_add(entry=entry, author=network.people["coach"], body="Mooi begin!")
    return network.people["research_teacher"].notifications.get()


def test_the_inbox_lists_my_notifications_and_the_badge_counts_them(client, network, commented):
    client.force_login(network.people["research_teacher"])
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "Sara Peeters heeft gereageerd op je logboeknotitie" in html
    assert 'data-testid="unread-badge">1<' in html
    assert reverse("notifications:open", args=[commented.pk]) in html


def test_opening_marks_read_and_goes_to_the_place_to_act(client, network, commented):
    client.force_login(network.people["research_teacher"])
    response = client.get(reverse("notifications:open", args=[commented.pk]))
    assert response.status_code == 302
    assert response["Location"] == commented.url
    commented.refresh_from_db()
    assert commented.read_at is not None
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert 'data-testid="unread-badge"' not in html


def test_someone_elses_or_a_forged_id_is_404_and_stays_unread(client, network, commented):
    client.force_login(network.people["outsider"])
    assert client.get(reverse("notifications:open", args=[commented.pk])).status_code == 404
    assert client.get("/notifications/999999/").status_code == 404
    commented.refresh_from_db()
    assert commented.read_at is None


def test_a_target_i_can_no_longer_see_is_404(client, network, commented):
    TeamMembership.objects.filter(user=network.people["research_teacher"]).delete()
    client.force_login(network.people["research_teacher"])
    assert client.get(reverse("notifications:open", args=[commented.pk])).status_code == 404


def test_mark_all_read_needs_a_post(client, network, commented):
    client.force_login(network.people["research_teacher"])
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "Alle meldingen zijn als gelezen gemarkeerd." in response.content.decode()
    assert not network.people["research_teacher"].notifications.unread().exists()


def test_mark_all_read_marks_only_mine(client, network, commented):
    client.force_login(network.people["outsider"])
    client.post(reverse("notifications:mark_all_read"))
    commented.refresh_from_db()
    assert commented.read_at is None


def _flood(user, actor, count):
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind="comment_in_my_team",
                event_key=f"comment:{n}",
                actor=actor,
                target_id=1,
                params={"actor": actor.full_name, "team": "Leesmotivatie", "date": "2025-11-03"},
                url="/",
            )
            for n in range(count)
        ]
    )


def test_the_inbox_with_5000_notifications_runs_a_fixed_number_of_queries(
    client, network, django_assert_max_num_queries
):
    coach = network.people["coach"]
    _flood(coach, network.people["research_teacher"], 5000)
    client.force_login(coach)
    # session, user, the badge, the paginator's count, the page of rows.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("notifications:inbox"))
    html = response.content.decode()
    assert html.count("notification-row") == 25
    assert 'data-testid="unread-badge">5000<' in html
    with django_assert_max_num_queries(5):
        response = client.get(reverse("notifications:inbox") + "?page=200")
    assert response.content.decode().count("notification-row") == 25


def _badge_queries(page) -> list:
    return [q for q in page.captured_queries if "notifications_notification" in q["sql"]]


def test_the_badge_is_read_with_the_person_on_any_page(client, network):
    coach = network.people["coach"]
    _flood(coach, network.people["research_teacher"], 30)
    client.force_login(coach)
    for url in [reverse("knowledge_base:study_list"), reverse("dashboard")]:
        with CaptureQueriesContext(connection) as page:
            html = client.get(url).content.decode()
        # no query of its own: the signed-in person's row carries the count
        [badge] = _badge_queries(page)
        assert '"accounts_user"' in badge["sql"]
        assert 'data-testid="unread-badge">30<' in html
    services.notifications_mark_all_read(user=coach)
    assert 'data-testid="unread-badge"' not in client.get(reverse("dashboard")).content.decode()


def test_anonymous_pages_spend_nothing_on_the_badge(client, network):
    with CaptureQueriesContext(connection) as page:
        client.get(reverse("knowledge_base:study_list"))
    assert not _badge_queries(page)
