from django import template

from ..permissions import OVERSIGHT_LINK_SESSION_KEY, shows_oversight

register = template.Library()


@register.simple_tag(takes_context=True)
def shows_oversight_link(context) -> bool:
    """Whether the navigation links to the oversight pages. Remembered in the session
    at login (see ``OversightConfig.ready``), so ordinary pages spend no query on it;
    a session from before that is filled in once."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    session = getattr(request, "session", None)
    if session is not None and OVERSIGHT_LINK_SESSION_KEY in session:
        return bool(session[OVERSIGHT_LINK_SESSION_KEY])
    value = shows_oversight(user)
    if session is not None:
        session[OVERSIGHT_LINK_SESSION_KEY] = value
    return value
