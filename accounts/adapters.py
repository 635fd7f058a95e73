from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from config.absolute_urls import absolute_url, base_domain


def _on_canonical_address(url: str) -> str:
    """allauth builds its links from the request's Host header; ours use the one base URL."""
    parts = urlsplit(url)
    return absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""))


class AccountAdapter(DefaultAccountAdapter):
    """No open signup: network admins create accounts and invite people. allauth's
    mails name the platform and link to its canonical address, not the Sites
    framework's ``example.com``."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        site = SimpleNamespace(name="Leerbrug", domain=base_domain())
        super().send_mail(template_prefix, email, {"current_site": site, **context})

    def get_reset_password_from_key_url(self, key: str) -> str:
        return _on_canonical_address(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation) -> str:
        return _on_canonical_address(super().get_email_confirmation_url(request, emailconfirmation))
