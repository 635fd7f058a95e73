"""A section module that is installed but imports something missing: the review
must raise, not hide it."""

import leerbrug_no_such_dependency  # noqa: F401


def section(*, partnership, school_year):
    return None
