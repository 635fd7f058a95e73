"""Logging in and out, resetting a password, closed signup, invitations, deactivation."""

import re

import pytest
from django.contrib.admin.sites import site
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.services import user_deactivate, user_invite
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_email_and_password_lands_on_the_dashboard(client, network):
    response = client.post(
        reverse("account_login"),
        {"login": "coach@school.test", "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert "Leesmotivatie" in response.content.decode()


def test_a_wrong_password_gets_a_clear_error_and_keeps_the_email(client, network):
    response = client.post(
        reverse("account_login"), {"login": "coach@school.test", "password": "wrong"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="coach@school.test"' in html
    assert "wachtwoord is niet correct" in html


def test_logout_ends_the_session(client, network):
    client.force_login(network.people["coach"])
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_signup_is_closed(client, db):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "Geen open registratie" in response.content.decode()
    client.post(
        reverse("account_signup"),
        {"email": "new@x.test", "password1": "S3cret-pass-123", "password2": "S3cret-pass-123"},
    )
    assert not User.objects.filter(email="new@x.test").exists()


def test_password_reset_by_email_lets_a_person_choose_a_new_password(client, network):
    client.post(reverse("account_reset_password"), {"email": "coach@school.test"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/password/reset/key/[^\s]+", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else "/" + path
    response = client.post(
        form_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"}
    )
    assert response.status_code == 302
    assert client.login(email="coach@school.test", password="a-brand-new-passphrase")


def test_an_invited_person_gets_an_email_in_their_language_and_no_password(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_invite(
            email="Nieuw@School.TEST", full_name="Nora Nieuw", preferred_language="en"
        )
    assert user.email == "nieuw@school.test"
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nieuw@school.test"]
    assert "choose your password" in message.subject
    html, _type = message.alternatives[0]
    assert '<html lang="en">' in html
    assert "/accounts/password/reset/key/" in message.body


def test_an_invitation_in_dutch_by_default(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user_invite(email="nl@school.test", full_name="Nele")
    assert "kies je wachtwoord" in mail.outbox[0].subject


def test_following_the_invitation_sets_the_password_and_verifies_the_email(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user_invite(email="nora@school.test", full_name="Nora Nieuw")
    path = re.search(r"/accounts/password/reset/key/[^\s]+", mail.outbox[0].body).group(0)
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    client.post(
        form_url, {"password1": "mijn-eigen-wachtwoord", "password2": "mijn-eigen-wachtwoord"}
    )
    response = client.post(
        reverse("account_login"),
        {"login": "nora@school.test", "password": "mijn-eigen-wachtwoord"},
    )
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_adding_a_person_in_the_admin_sends_the_invitation(
    client, network, django_capture_on_commit_callbacks
):
    client.force_login(network.people["network_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_add"),
            {"email": "jonas@school.test", "full_name": "Jonas Nieuw", "preferred_language": "nl"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="jonas@school.test")
    assert not user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["jonas@school.test"]]
    assert "password" not in response.url


def test_deactivating_a_person_ends_their_access_at_once_but_keeps_history(client, network):
    coach = network.people["coach"]
    client.force_login(coach)
    assert client.get(reverse("dashboard")).status_code == 200
    user_deactivate(user=coach)
    assert client.get(reverse("dashboard")).status_code == 302
    assert coach.role_memberships.count() == 1
    assert coach.team_memberships.count() == 1
    response = client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD})
    assert response.status_code != 302 or response.url != reverse("dashboard")


def test_the_admin_login_page_sends_people_to_the_rate_limited_login(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=%2Fadmin%2F"
    assert site.login  # the admin site itself is still mounted


def test_failed_logins_are_rate_limited_in_the_real_cache(client, network, settings):
    assert "dummy" not in settings.CACHES["default"]["BACKEND"].lower()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "coach@school.test", "password": "nope"})
    response = client.post(
        reverse("account_login"), {"login": "coach@school.test", "password": PASSWORD}
    )
    assert response.status_code == 200  # still refused: too many failed attempts
    assert "Te veel" in response.content.decode() or "Too many" in response.content.decode()


def test_an_unverified_email_cannot_log_in(client, db):
    user = UserFactory(email="unverified@school.test")
    user.emailaddress_set.update(verified=False)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url != reverse("dashboard")


def test_an_admin_changing_an_email_makes_the_new_address_primary_and_unverified(client, network):
    from allauth.account.models import EmailAddress

    coach = network.people["coach"]
    client.force_login(network.people["network_admin"])
    response = client.post(
        reverse("admin:accounts_user_change", args=[coach.pk]),
        {
            "email": "sara.nieuw@school.test",
            "full_name": coach.full_name,
            "preferred_language": "nl",
            "is_active": "on",
            "role_memberships-TOTAL_FORMS": "0",
            "role_memberships-INITIAL_FORMS": "0",
            "role_memberships-MIN_NUM_FORMS": "0",
            "role_memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    primary = EmailAddress.objects.get(user=coach, primary=True)
    assert (primary.email, primary.verified) == ("sara.nieuw@school.test", False)
    assert not EmailAddress.objects.get(user=coach, email="coach@school.test").primary
