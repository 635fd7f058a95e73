from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext

from config.absolute_urls import absolute_url, base_domain

from .middleware import activate_request_language, adopt_language


def _on_canonical_address(url: str) -> str:
    """allauth builds its links from the request's Host header; ours use the one base URL."""
    parts = urlsplit(url)
    return absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""))


class AccountAdapter(DefaultAccountAdapter):
    """No open signup: network admins create accounts and invite people. Logging in
    switches the pages to the person's preferred language and logging out chooses the
    language again, right then. allauth's
    mails name the platform and link to its canonical address, not the Sites
    framework's ``example.com``."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def login(self, request, user):
        """The person's saved language wins over a cookie left on the device (by the
        switcher before logging in, or by someone else on a shared laptop)."""
        super().login(request, user)
        adopt_language(request, user.language)

    def logout(self, request):
        """allauth says goodbye before logging out, in the language of the person
        leaving; templates/account/messages/logged_out.txt silences that, and the
        goodbye is said here, in the language of the page that follows."""
        super().logout(request)
        activate_request_language(request)
        self.add_message(request, messages.SUCCESS, message=gettext("You have signed out."))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        site = SimpleNamespace(name="Leerbrug", domain=base_domain())
        super().send_mail(template_prefix, email, {"current_site": site, **context})

    def get_reset_password_from_key_url(self, key: str) -> str:
        return _on_canonical_address(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation) -> str:
        return _on_canonical_address(super().get_email_confirmation_url(request, emailconfirmation))
