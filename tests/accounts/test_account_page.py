"""The account page: name, language, email change with verification, password,
active sessions with "log out everywhere else"."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES = ["account_profile", "account_email", "account_change_password", "usersessions_list"]


@pytest.mark.parametrize("persona", [*PERSONAS, *CONTINUUM_PERSONAS, None])
@pytest.mark.parametrize("name", ACCOUNT_PAGES)
def test_every_person_has_their_own_account_pages_and_anonymous_visitors_log_in(
    login, network, persona, name
):
    client = login(network.people[persona] if persona else None)
    response = client.get(reverse(name))
    if persona is None:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert client.post(reverse(name), {}).status_code == 302
    else:
        assert response.status_code == 200
        assert network.people[persona].email in response.content.decode() or name not in {
            "account_profile",
            "account_email",
        }


def test_the_header_links_to_the_account_page(login, network):
    page = login(network.people["coach"]).get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("account_profile")}"' in page
    assert "Mijn account" in page


def test_a_person_changes_their_name_and_language_and_the_pages_follow(login, network):
    coach = network.people["coach"]
    client = login(coach)
    response = client.post(
        reverse("account_profile"),
        {"full_name": "Sara Peeters-Claes", "preferred_language": "en"},
        follow=True,
    )
    coach.refresh_from_db()
    assert (coach.full_name, coach.preferred_language) == ("Sara Peeters-Claes", "en")
    page = response.content.decode()
    assert '<html lang="en"' in page
    assert "Your account has been saved." in page
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_an_empty_name_is_refused_in_the_persons_language_and_nothing_changes(login, network):
    coach = network.people["coach"]
    response = login(coach).post(
        reverse("account_profile"), {"full_name": "", "preferred_language": "xx"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dit veld is verplicht." in page
    assert "Selecteer een geldige keuze" in page
    coach.refresh_from_db()
    assert (coach.full_name, coach.preferred_language) == ("Sara Peeters", "nl")


def test_logging_in_speaks_the_persons_language_over_a_cookie_left_on_the_device(client, network):
    person = network.people["coach"]
    person.preferred_language = "en"
    person.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"  # someone switched before
    response = client.post(
        reverse("account_login"), {"login": person.email, "password": PASSWORD}, follow=True
    )
    assert '<html lang="en"' in response.content.decode()
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en"' in client.get(reverse("dashboard")).content.decode()


def test_a_new_email_address_counts_only_once_verified(login, network):
    coach = network.people["coach"]
    client = login(coach)
    client.post(reverse("account_email"), {"action_add": "", "email": "sara@nieuw.test"})
    coach.refresh_from_db()
    assert coach.email == "coach@school.test"  # not yet
    page = client.get(reverse("account_email")).content.decode()
    assert "sara@nieuw.test" in page and "Nog niet bevestigd" in page
    assert mail.outbox[-1].to == ["sara@nieuw.test"]
    link = re.search(r"https?://\S+/confirm-email/\S+", mail.outbox[-1].body).group(0)
    client.post("/" + link.split("://", 1)[1].split("/", 1)[1])
    coach.refresh_from_db()
    assert coach.email == "sara@nieuw.test"
    assert list(EmailAddress.objects.filter(user=coach).values_list("email", flat=True)) == [
        "sara@nieuw.test"
    ]


def test_a_malformed_email_address_is_refused_and_kept(login, network):
    response = login(network.people["coach"]).post(
        reverse("account_email"), {"action_add": "", "email": "geen-adres"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="geen-adres"' in page
    assert "geldig e-mailadres" in page
    assert EmailAddress.objects.filter(email="geen-adres").count() == 0


def test_the_password_is_changed_with_the_current_one(login, network):
    coach = network.people["coach"]
    client = login(coach)
    wrong = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "fout",
            "password1": "Nieuw-wachtwoord-77",
            "password2": "Nieuw-wachtwoord-77",
        },
    )
    assert wrong.status_code == 200
    coach.refresh_from_db()
    assert coach.check_password(PASSWORD)
    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "Nieuw-wachtwoord-77",
            "password2": "Nieuw-wachtwoord-77",
        },
    )
    coach.refresh_from_db()
    assert coach.check_password("Nieuw-wachtwoord-77")


def _log_in(person: User, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_logging_out_everywhere_else_ends_the_other_devices_only(network):
    coach = network.people["coach"]
    laptop = _log_in(coach, "Laptop-browser")
    phone = _log_in(coach, "Telefoon-browser")
    page = laptop.get(reverse("usersessions_list")).content.decode()
    assert "Laptop-browser" in page and "Telefoon-browser" in page
    assert "Dit toestel" in page
    laptop.post(reverse("usersessions_list"))
    assert phone.get(reverse("dashboard")).status_code == 302  # back to the login page
    assert laptop.get(reverse("dashboard")).status_code == 200
    assert UserSession.objects.filter(user=coach).count() == 1


def test_the_sessions_page_runs_a_fixed_number_of_queries(network, django_assert_max_num_queries):
    coach = network.people["coach"]
    clients = [_log_in(coach, f"Browser {n}") for n in range(12)]
    with django_assert_max_num_queries(12):
        response = clients[0].get(reverse("account_profile"))
    assert "12 toestellen aangemeld" in response.content.decode()
