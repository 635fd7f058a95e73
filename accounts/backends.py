"""Django's and allauth's authentication backends, with the signed-in person read by
a kept query.

On every signed-in request Django's ``ModelBackend.get_user`` builds and compiles
``User.objects.get(pk=…)`` anew and sends it with its values inlined, so PostgreSQL
parses and plans it every time. Here the row is read with ``kept_list`` (compiled
once per process, a prepared statement on PostgreSQL: ``config.kept_query``);
everything else, logging in, the session check and permissions, is the backends'
own. The same row carries the person's unread notifications (``unread_badge``, a
count over a partial index) for the header's badge, so a page does not ask again
(``notifications.selectors.unread_count``), and their scope (``access.scope``: every
membership that decides what they see, as one JSON array), so access decisions
cost no query of their own either, and the version of the reference tables
(``research_cycle.ReferenceVersion``), under which oversight pages keep the school
years and stages they read. Sessions from before these backends
named Django's and allauth's classes: ``accounts.middleware.UpgradeBackendMiddleware``
moves them over, so nobody is signed out.
"""

from typing import Any

from allauth.account import auth_backends
from django.contrib.auth import backends, get_user_model

from access.scope import remember_scope, scope_rows
from config.kept_query import kept_list

#: The backends these replace, as sessions name them, and what they are now.
REPLACES = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "accounts.backends.AuthenticationBackend"
    ),
}


def _person(*, pk: int):
    from notifications.selectors import unread_subquery
    from oversight.selectors import reference_version_subquery

    return (
        get_user_model()
        ._default_manager.filter(pk=pk)
        .annotate(
            unread_badge=unread_subquery(),
            scope_rows=scope_rows(),
            reference_version=reference_version_subquery(),
        )
    )


class KeptUserMixin:
    def get_user(self, user_id: Any) -> Any:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        found = kept_list("accounts.user", _person, pk=pk)
        user = found[0] if found else None
        if user is not None:
            remember_scope(user, user.scope_rows)
            del user.scope_rows  # kept as the scope; nothing else should read the rows
        return user if user is not None and self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class ModelBackend(KeptUserMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(KeptUserMixin, auth_backends.AuthenticationBackend):
    pass
