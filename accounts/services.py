"""Writes about people: invitations, deactivation, language preference."""

from collections.abc import Iterable
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from config.absolute_urls import absolute_url

from .models import User


def send_templated_mail(
    *,
    template: str,
    to: list[str],
    language: str,
    context: dict[str, Any],
    attachments: Iterable[tuple[str, str | bytes, str]] = (),
    headers: dict[str, str] | None = None,
) -> None:
    """Send an email built from templates/<template>_subject.txt, .txt and .html,
    rendered in the given language, with optional (filename, content, mimetype)
    attachments and extra headers (e.g. ``List-Unsubscribe``). The subject and the
    text are rendered by the "text" template engine, which escapes nothing: they
    are not HTML."""
    # Mail has no request, so templates get the language here (for <html lang>).
    context = {**context, "LANGUAGE_CODE": language}
    with translation.override(language):
        subject = " ".join(
            render_to_string(f"{template}_subject.txt", context, using="text").split()
        )
        text = render_to_string(f"{template}.txt", context, using="text")
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, headers=headers)
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(*attachment)
    message.send()


def password_set_url(user: User) -> str:
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    return absolute_url(path)


def user_send_invitation(*, user: User) -> None:
    """Email the person a link to choose their own password, in their language."""
    send_templated_mail(
        template="emails/invitation",
        to=[user.email],
        language=user.language,
        context={
            "user": user,
            "url": password_set_url(user),
            "login_url": absolute_url(reverse("account_login")),
        },
    )


@transaction.atomic
def user_invite(
    *,
    email: str,
    full_name: str,
    preferred_language: str = "nl",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create an account without a password and send the invitation after commit.

    The admin never chooses or sees a password: the person sets it through the
    emailed link, which also verifies their email address.
    """
    user = User(
        email=email,
        full_name=full_name,
        preferred_language=preferred_language,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    user_register_email(user=user)
    transaction.on_commit(lambda: user_send_invitation(user=user))
    return user


def user_register_email(*, user: User, verified: bool = False) -> None:
    EmailAddress.objects.update_or_create(
        user=user,
        email=user.email,
        defaults={"primary": True, "verified": verified},
    )


@transaction.atomic
def user_email_changed(*, user: User) -> None:
    """After an admin changed someone's email: the new address becomes the primary one,
    unverified. At their next login allauth mails them a confirmation link (verification
    is mandatory), so nobody logs in on an address they don't own."""
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(primary=False)
    user_register_email(user=user, verified=False)


def user_deactivate(*, user: User) -> None:
    """End access at once; keep all history.

    No session needs deleting: Django's auth backend refuses inactive users on
    every request, so an open session becomes anonymous on its next click.
    """
    user.is_active = False
    user.save(update_fields=["is_active"])


def user_update_profile(*, user: User, full_name: str, preferred_language: str) -> None:
    """A person changes their own name and language on the account page."""
    user.full_name = full_name
    user.preferred_language = preferred_language
    user.full_clean()
    user.save(update_fields=["full_name", "preferred_language"])


def user_set_language(*, user: User, language: str) -> None:
    if language in dict(settings.LANGUAGES) and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
