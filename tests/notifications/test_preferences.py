"""The preferences page and the signed one-click link of every mail."""

import pytest
from django.urls import reverse

from notifications import registry
from notifications.models import Preference
from notifications.tokens import make_token

pytestmark = pytest.mark.django_db


def form_data(**choices: str) -> dict[str, str]:
    return {kind.key: kind.default.value for kind in registry.kinds()} | choices


def test_the_preferences_page_shows_the_defaults_and_saves(client, network):
    client.force_login(network.people["coach"])
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert "Een reactie op mijn logboeknotitie" in html
    assert '<option value="daily" selected>' in html
    response = client.post(
        reverse("notifications:preferences"),
        form_data(comment_on_my_entry="app", mention="weekly"),
        follow=True,
    )
    assert "Je meldingsvoorkeuren zijn bewaard." in response.content.decode()
    saved = dict(Preference.objects.values_list("kind", "delivery"))
    assert saved["comment_on_my_entry"] == "app"
    assert saved["mention"] == "weekly"


def test_a_bad_choice_keeps_what_was_chosen_and_saves_nothing(client, network):
    client.force_login(network.people["coach"])
    response = client.post(
        reverse("notifications:preferences"),
        form_data(comment_on_my_entry="hourly", mention="weekly"),
    )
    assert response.status_code == 400
    assert not Preference.objects.exists()
    assert '<option value="weekly" selected>' in response.content.decode()


def test_the_mail_link_asks_first_then_changes_logged_out(client, network):
    coach = network.people["coach"]
    url = reverse("notifications:preference_link", args=[make_token(coach.pk, "mention")])
    html = client.get(url).content.decode()
    assert "Iemand vermeldt mij" in html
    assert not Preference.objects.exists()
    response = client.post(url, {"delivery": "daily"})
    assert response.status_code == 200
    assert Preference.objects.get(user=coach, kind="mention").delivery == "daily"


def test_a_mail_clients_one_click_post_means_app_only(client, network):
    coach = network.people["coach"]
    url = reverse("notifications:preference_link", args=[make_token(coach.pk, "mention")])
    client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert Preference.objects.get(user=coach, kind="mention").delivery == "app"


def test_a_digest_link_takes_every_kind_out_of_that_digest(client, network):
    coach = network.people["coach"]
    url = reverse("notifications:preference_link", args=[make_token(coach.pk, "digest:daily")])
    client.post(url, {"delivery": "weekly"})
    changed = set(Preference.objects.filter(user=coach).values_list("kind", "delivery"))
    assert ("comment_on_my_entry", "weekly") in changed
    assert ("mention", "weekly") not in changed  # mentions come immediately


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_signature_changes_nothing_and_says_so(client, network, method):
    token = make_token(network.people["coach"].pk, "mention")
    forged = (
        make_token(network.people["outsider"].pk, "mention").split(".")[0]
        + "."
        + (token.split(".")[1])
    )
    response = getattr(client, method)(
        reverse("notifications:preference_link", args=[forged]), {"delivery": "app"}
    )
    assert response.status_code == 400
    assert "Deze link werkt niet" in response.content.decode()
    assert not Preference.objects.exists()
