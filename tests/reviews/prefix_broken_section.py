"""Imports a missing module whose name is a prefix of this one's dotted path."""

import tests.rev  # noqa: F401


def section(*, partnership, school_year):
    return None
