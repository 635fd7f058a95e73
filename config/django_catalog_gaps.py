"""Strings Django 6.1 shows people but its own Dutch catalog does not translate
yet (they are new in 6.1): "- Select an option -" in every select, "Search
scholen" and "Pagination scholen" in the admin.

They are marked here only so that `make messages` keeps them in locale/nl, whose
translations take precedence over Django's (LOCALE_PATHS is searched first).
Nothing imports this module. When Django's catalog catches up, the line can go:
tests/test_languages.py shows whether one is still needed."""

from django.utils.translation import gettext_noop, ngettext_lazy

SINGULAR = [
    gettext_noop("- Select an option -"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Logout"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? "
        "All of the following related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the "
        "following protected related objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types of "
        "objects:"
    ),
]
PLURAL = [
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
]
