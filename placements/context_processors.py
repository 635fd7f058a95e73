"""What every page's navigation needs from placements."""

from django.http import HttpRequest

from .permissions import NAVIGATION_SESSION_KEY, shows_placements


def navigation(request: HttpRequest) -> dict[str, bool]:
    """Whether the navigation links to /placements/: worked out once per session
    (like the oversight link), so ordinary pages spend no query on it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shows_placements_link": False}
    session = getattr(request, "session", None)
    if session is not None and NAVIGATION_SESSION_KEY in session:
        return {"shows_placements_link": bool(session[NAVIGATION_SESSION_KEY])}
    value = shows_placements(user)
    if session is not None:
        session[NAVIGATION_SESSION_KEY] = value
    return {"shows_placements_link": value}
