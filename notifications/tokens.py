"""The signed one-click links of notification mails.

A link names a person and a scope (one kind, or a digest period) and is signed
with the site's secret, so it works logged out and cannot be forged or pointed
at someone else. It carries no expiry: like any unsubscribe link it must keep
working in an old mail. Resetting ``SECRET_KEY`` voids them all."""

from dataclasses import dataclass

from django.core import signing

SALT = "notifications.preference-link"
#: Dots only, so the token fits the ``token`` path converter.
_signer = signing.Signer(salt=SALT, sep=".")


@dataclass(frozen=True)
class LinkScope:
    user_id: int
    #: A kind's key, or "digest:daily" / "digest:weekly".
    scope: str


def make_token(user_id: int, scope: str) -> str:
    return _signer.sign_object({"u": user_id, "s": scope})


def read_token(token: str) -> LinkScope | None:
    """The person and scope of a link, or None when the signature is bad."""
    try:
        data = _signer.unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    if not isinstance(data.get("s"), str):
        return None
    return LinkScope(user_id=data["u"], scope=data["s"])
