"""Path converters shared by the apps' URLconfs (registered in ``config/urls.py``)."""


class TokenConverter:
    """A secret made by ``secrets.token_urlsafe`` (letters, digits, ``-`` and ``_``),
    possibly several joined by dots (a calendar feed's ``<key>.<secret>``).

    Anything else cannot be a token, so it is a 404 before a view runs: a NUL byte
    in a ``<str:>`` token made PostgreSQL refuse the lookup (a 500)."""

    regex = r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
