"""The page number a visitor asked for, read the same way by every paginated view
and the API."""

# Far beyond any real library (20 studies a page), and small enough that the
# offset it gives fits every database's integer: a larger page number in an
# address is read as this one, which then shows the last page.
MAX_PAGE = 100_000


def requested_page(value: object) -> int:
    """1 for anything that is not a whole number (or is below 1), at most ``MAX_PAGE``.

    ``?page=`` is typed by anyone: without the cap, a page above the 64-bit range
    made PostgreSQL refuse the query's OFFSET (a 500)."""
    try:
        number = int(str(value))
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)
