"""What every page's navigation needs from the oversight app."""

from django.http import HttpRequest

from access.roles import is_network_admin

from .permissions import OVERSIGHT_LINK_SESSION_KEY, shows_oversight


def navigation(request: HttpRequest) -> dict[str, bool]:
    """Whether the navigation links to the oversight pages. Remembered in the session
    at login (see ``OversightConfig.ready``), so ordinary pages spend no query on it;
    a session from before that is filled in once. Worked out here, before the
    templates render, so no template tag asks the database."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shows_oversight_link": False}
    if is_network_admin(user):
        return {"shows_oversight_link": True}
    session = getattr(request, "session", None)
    if session is not None and OVERSIGHT_LINK_SESSION_KEY in session:
        return {"shows_oversight_link": bool(session[OVERSIGHT_LINK_SESSION_KEY])}
    value = shows_oversight(user)
    if session is not None:
        session[OVERSIGHT_LINK_SESSION_KEY] = value
    return {"shows_oversight_link": value}
