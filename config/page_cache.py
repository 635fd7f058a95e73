"""Signed-in pages answered again from the cache until anything in the database changes.

The busiest signed-in pages (dashboards, the team page, oversight, the lists) cost
tens of milliseconds of CPU to build, almost all of it Django compiling the access
layer's querysets; the same person asks them again and again between lessons
(back to the dashboard, the team page after each entry). ``per_session`` keeps the
rendered page of one request and answers the same request with it, as long as:

- **the same session of the same person asks** (the key holds the user id and the
  whole ``Cookie`` header: session, CSRF cookie, language cookie), so a page is
  never shown to anyone but the session it was made for, and a CSRF token in it
  stays valid;
- **nothing in the database has changed since, anywhere** (the key holds the
  *data generation*, a random token replaced after every write: see below). So
  any change that could matter (a membership ended, an entry added, a notification
  read, a person deactivated) makes every cached page stale at once: no
  invalidation rule per page to get wrong;
- the same language, path with query string, htmx target and local date, and at
  most ``LEERBRUG_PAGE_CACHE_SECONDS`` ago (two minutes: what changes with the
  clock alone, "3 minutes ago", a session starting, is at most that late).

A page is not stored when it was not a plain 200 HTML answer, set a cookie,
changed the session, consumed or added a flash message, or when the generation
moved while it was made (the view itself wrote, e.g. marking notifications read).

**The data generation** is one key in the ``pages`` cache (Redis in production, the
database without it, so every web and worker process sees the same). A wrapper on
every database connection (installed when a connection opens, so web, Celery and
management commands alike) watches the statements: after an ``INSERT``, ``UPDATE``,
``DELETE``, ``TRUNCATE`` or ``MERGE`` that changed rows it replaces the token when
the transaction commits (a page made before, from data not yet committed, is stored
under the token the commit replaces), and with Redis also at once (see
``track_writes``).

Writes made by reading are ignored (``IGNORED_TABLES``): sessions, the database
cache, the access log (shown only on the access-log page, which is not cached) and
the daily reading counts and the anonymous answers to public questionnaires (a
public reader or a class answering must not empty everyone's pages; the reading
statistics on the oversight and study pages and the answer counts on a team's
questionnaire list are at most ``LEERBRUG_PAGE_CACHE_SECONDS`` late; the results
page is not cached). Writes outside Django (psql by hand) are not
seen either: they show after ``LEERBRUG_PAGE_CACHE_SECONDS`` at the latest.
"""

import hashlib
import re
import threading
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, Literal

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import timezone

from access import scope

GENERATION_KEY = "leerbrug:data-generation"

#: Tables written as a side effect of reading or of answering anonymously: no page
#: cache entry is dropped for them; cached pages show their counts at most
#: ``LEERBRUG_PAGE_CACHE_SECONDS`` late.
IGNORED_TABLES = frozenset(
    {
        "django_session",
        "knowledge_base_studyreadcount",
        "privacy_accessrecord",
        # Anonymous answers to a team's public questionnaire: a class answering
        # must not empty everyone's pages every few seconds.
        "questionnaires_response",
        "questionnaires_answer",
        "questionnaires_usednonce",
    }
)

_WRITE = re.compile(
    # SQLite's ``INSERT OR IGNORE INTO`` is Django's ``bulk_create(ignore_conflicts=True)``
    # (every many-to-many ``add``) and ``INSERT OR REPLACE INTO`` its ``REPLACE``
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM"
    r"|TRUNCATE(?:\s+TABLE)?|MERGE\s+INTO)\s+"
    r"(?:ONLY\s+)?\"?([\w.]+)\"?",
    re.IGNORECASE,
)
_WRITE_IN_WITH = re.compile(
    r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO)\s+\"?(\w+)\"?(?=[\s(])",
    re.IGNORECASE,
)
_VERBS = ("INSERT", "REPLACE", "UPDATE", "DELETE", "TRUNCATE", "MERGE", "WITH")
_replacing = threading.local()


def _cache():
    return caches["pages"]


def _configured() -> bool:
    """Settings without a ``pages`` cache (a project's own test settings) have no
    page cache, rather than failing every write."""
    return "pages" in settings.CACHES


def generation() -> str:
    """The current data generation (made when missing, e.g. after a cache flush)."""
    token = _cache().get(GENERATION_KEY)
    if token is None:
        fresh = uuid.uuid4().hex
        _cache().add(GENERATION_KEY, fresh, timeout=None)
        token = _cache().get(GENERATION_KEY) or fresh
    return token


def new_generation() -> None:
    """Make every cached page stale. A new random token rather than a counter: two
    processes replacing it at once can never bring an old token back."""
    if getattr(_replacing, "active", False):
        return
    _replacing.active = True
    try:
        _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except DatabaseError:
        # The database cache has no table yet (``migrate`` runs before
        # ``createcachetable``): then no page can have been cached either.
        pass
    finally:
        _replacing.active = False


def _ignored_tables() -> frozenset[str]:
    aliases: dict[str, dict[str, str]] = settings.CACHES  # type: ignore[assignment]
    cache_tables = {
        options["LOCATION"]
        for options in aliases.values()
        if options["BACKEND"].endswith("DatabaseCache")
    }
    return IGNORED_TABLES | cache_tables


def written_table(sql: str) -> str | None | Literal[False]:
    """The table a statement writes to; None for a write whose table cannot be told
    (``WITH … UPDATE``), False for a statement that writes nothing."""
    head = sql.lstrip()[:10].upper()
    if not head.startswith(_VERBS):
        return False
    match = _WRITE.match(sql)
    if match is None:  # e.g. WITH … UPDATE: the table cannot be told
        if not head.startswith("WITH"):
            return None  # a write this reading does not know: never taken for a read
        writes = re.search(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", sql, re.IGNORECASE)
        return None if writes else False
    return match.group(1).split(".")[-1]


def changes_data(sql: str) -> bool:
    """Whether a statement writes to a table that cached pages may show."""
    return _table_changes_data(sql, written_table(sql))


def _table_changes_data(sql: str, table: str | None | Literal[False]) -> bool:
    """``changes_data`` for a statement whose ``written_table`` is known (the
    watcher has it already: each statement is parsed once)."""
    if table is None:
        return _with_changes_data(sql)
    return table is not False and table not in _ignored_tables()


def _with_changes_data(sql: str) -> bool:
    """A ``WITH`` statement matters unless every write in it is into an ignored
    table (the public form's submit: the nonce, the response and its answers in
    one statement). Every ``INSERT``, ``UPDATE``, ``DELETE`` or ``MERGE`` word
    counts, and one not followed by an ignored table's name (``DO UPDATE SET``,
    ``FOR UPDATE``, a schema-qualified name) makes it matter: never too lenient."""
    writes = re.findall(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", sql, re.IGNORECASE)
    targets = _WRITE_IN_WITH.findall(sql)
    ignored = _ignored_tables()
    return bool(writes) and (
        len(targets) != len(writes) or any(table not in ignored for table in targets)
    )


def _changed_rows(sql: str, cursor) -> bool:
    """Whether rows changed: an UPDATE or DELETE of no rows (a scan that found nothing
    due) changes nothing. SQLite reports no count before a RETURNING's rows are read,
    so an INSERT or a RETURNING statement always counts."""
    if sql.lstrip()[:6].upper() == "INSERT" or "RETURNING" in sql.upper():
        return True
    return cursor.rowcount != 0


def _as_text(sql: object, connection) -> str:
    if isinstance(sql, bytes):
        return sql.decode(errors="replace")
    as_string = getattr(sql, "as_string", None)
    if as_string is not None:
        return as_string(connection.connection)
    return str(sql)


def track_writes(execute, sql, params, many, context):
    """``connection.execute_wrappers`` member: a new generation after a write.

    Outside a transaction the write is committed: a new generation now. Inside one,
    a new generation at commit (what makes pages correct), and also at once, so
    that code running inside a transaction that never commits (the tests) sees its
    own writes; not with the database cache, where that would lock the generation's
    row until every writing transaction ends."""
    result = execute(sql, params, many, context)
    if not isinstance(sql, str):  # psycopg's composed SQL (the library search), bytes
        sql = _as_text(sql, context["connection"])
    table = written_table(sql)
    if table is not False or sql.lstrip()[:8].upper() == "ROLLBACK":
        # Memoised memberships (``access.scope``) are read again after any write to
        # theirs or a rollback to a savepoint, whether or not pages are cached.
        in_transaction = context["connection"].in_atomic_block
        scope.note_write(table or None, in_transaction=in_transaction)
    if _configured() and _table_changes_data(sql, table) and _changed_rows(sql, context["cursor"]):
        connection = context["connection"]
        if not connection.in_atomic_block:
            new_generation()
            return result
        if not isinstance(_cache(), DatabaseCache):
            new_generation()
        if not any(
            callback is new_generation for _sids, callback, _robust in connection.run_on_commit
        ):
            transaction.on_commit(new_generation, using=connection.alias, robust=True)
    return result


def install(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: watch this connection's writes."""
    if track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(track_writes)


def _key(request: HttpRequest) -> str | None:
    seconds = getattr(settings, "LEERBRUG_PAGE_CACHE_SECONDS", 0)
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if (
        not seconds
        or not _configured()
        or request.method != "GET"
        or user is None
        or not user.is_authenticated
        or session is None
        or session.session_key is None
        or len(messages.get_messages(request))
    ):
        return None
    parts = [
        generation(),
        str(user.pk),
        request.headers.get("Cookie", ""),
        getattr(request, "LANGUAGE_CODE", ""),
        timezone.localdate().isoformat(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"page:{user.pk}:{digest}"


def _storable(request: HttpRequest, response: HttpResponse, key: str) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and "no-store" not in response.get("Cache-Control", "")
        and not request.session.modified
        and not len(messages.get_messages(request))
        and _key(request) == key  # the view wrote nothing, the date did not turn
    )


def per_session(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer a signed-in GET again from the cache while nothing has changed (see
    the module). Put it outermost, above ``login_required``: a cached page is only
    ever one this session was allowed to see."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = _key(request)
        if key is None:
            return view(request, *args, **kwargs)
        stored = _cache().get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.render()
        if _storable(request, response, key):
            _cache().set(
                key,
                (response.status_code, list(response.items()), response.content),
                settings.LEERBRUG_PAGE_CACHE_SECONDS,
            )
        return response

    return cached_view
