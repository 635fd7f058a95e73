"""The one enforcement path of every view (in the style of healthchecks'
``_get_check_for_user``): fetch through the model's ``visible_to(user)`` queryset,
so an outsider gets 404 and learns nothing, then check the ``rules`` permission of
the action, so someone who may look but not act gets 403.

Permissions are checked with ``rules.has_perm`` rather than ``user.has_perm``:
Django's own ``has_perm`` grants a superuser everything without asking, but some
rules deliberately leave the network admin out (an admin does not agree on behalf
of a school), and every predicate should run for everyone, admins included.
"""

from collections.abc import Callable
from typing import Protocol, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from rules.permissions import has_perm as rules_has_perm

from .roles import AnyUser

#: ``rules.has_perm`` (the package has no type hints).
has_perm = cast(Callable[[str, AnyUser, object], bool], rules_has_perm)


class Scoped[M: Model](Protocol):
    """A queryset that knows what a person may see."""

    def visible_to(self, user: AnyUser) -> QuerySet[M]: ...


def require(user: AnyUser, perm: str, obj: object = None) -> None:
    """403 unless the registered ``rules`` permission ``perm`` allows it."""
    if not has_perm(perm, user, obj):
        raise PermissionDenied


def object_for[M: Model](
    user: AnyUser, queryset: Scoped[M], *, perm: str | None = None, **lookup: object
) -> M:
    """The object this person may see (else 404); with ``perm``, the object this
    person may also act on (else 403)."""
    found = get_object_or_404(queryset.visible_to(user), **lookup)
    if perm is not None:
        require(user, perm, found)
    return found
