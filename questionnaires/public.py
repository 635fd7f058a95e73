"""The public form's busy path, kept to what a hello-world page costs plus a few
round trips (docs/performance.md, "The public questionnaire form under load").

- One query reads the round with its questionnaire on every request, so closing
  a round or editing the questionnaire's title, languages or modes shows at once.
  On a connection kept from an earlier request that read is also the connection's
  health check (``_read_checking_health``): no ``SELECT 1`` round trip before it.
- The questions come from a per-process cache keyed by the round's token: they
  cannot change once a round is opened (``services._editable``).
- Pages that are the same for every respondent (the blank form, the thanks page,
  the closed page) are rendered once per process and kept under a key made of
  everything they show; the blank form gets its fresh nonce by a string
  replacement. They are rendered without the request, so none of the site's
  context processors (navigation, the inbox badge) runs for a respondent.
- A complete, valid submission is checked by ``valid_answers`` against a summary
  of the round's questions kept in memory, without building the form's 20
  fields; anything else (a missing or wrong answer) goes through ``AnswerForm``,
  which says what is wrong in the respondent's language and keeps the input.
- The rate limit is one Redis command (a script: count, and expire a new counter).
"""

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpRequest
from redis.exceptions import RedisError

from .models import OPEN_ANSWER_MAX_LENGTH, Question, Questionnaire, Round

#: Final submissions accepted from one address (hashed, in the cache only) per window.
#: Generous: a whole class answers from the school's one public address.
RATE_LIMIT = 100
RATE_WINDOW_SECONDS = 300
#: Stands for the nonce in a cached blank form; replaced by a fresh one per request.
NONCE_PLACEHOLDER = "nonce-placeholder-4b1d"
#: This process's memory of question lists and pages: plain objects, no pickling
#: (the site's "local" LocMemCache unpickles a question list on every read, which
#: costs more than the query it saves). Every key holds what its value shows, so
#: nothing in it is ever stale; emptied when full.
_memory: dict[str, object] = {}
MEMORY_ENTRIES = 1000


def _remember(key: str, make: Callable[[], Any]) -> Any:
    value = _memory.get(key)
    if value is None:
        value = make()
        if len(_memory) >= MEMORY_ENTRIES:
            _memory.clear()
        _memory[key] = value
    return value


def open_round(token: str) -> Round | None:
    """The round behind a public link with its questionnaire: one query, read on
    every request (closing a round or editing its questionnaire shows at once).
    The SQL is Django's own, compiled once per process (``_round_select``): on
    the public form's busiest path compiling the query cost more than running it."""
    sql, converters, round_columns, questionnaire_columns = _round_select()
    connection = connections[DEFAULT_DB_ALIAS]
    row = _read_checking_health(connection, sql, [token])
    if row is None:
        return None
    values = list(row)
    for position, (functions, expression) in converters.items():
        for convert in functions:
            values[position] = convert(values[position], expression, connection)
    round_ = Round.from_db(DEFAULT_DB_ALIAS, round_columns, values[: len(round_columns)])
    questionnaire = Questionnaire.from_db(
        DEFAULT_DB_ALIAS, questionnaire_columns, values[len(round_columns) :]
    )
    Round._meta.get_field("questionnaire").set_cached_value(round_, questionnaire)
    return round_


def _read_checking_health(connection: Any, sql: str, params: list[str]) -> tuple | None:
    """Run a read; on a connection kept from an earlier request, the read is its
    health check. ``CONN_HEALTH_CHECKS`` would first send ``SELECT 1`` (a round
    trip, and half of PostgreSQL's statements for a respondent): here a kept
    connection that turns out broken (PostgreSQL restarted, the connection cut)
    is closed and the read runs once more on a new one, which is what the health
    check would have done. Only outside a transaction (a retry there would leave
    it), and only for a read: running it twice changes nothing."""
    check_pending = (
        connection.connection is not None
        and connection.health_check_enabled
        and not connection.health_check_done
        and not connection.in_atomic_block
    )
    if check_pending:
        connection.health_check_done = True  # this read is the check
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    except (OperationalError, InterfaceError):
        if not check_pending:
            raise
        connection.close()  # the kept connection was broken: a new one
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


@functools.cache
def _round_select() -> tuple[str, dict, list[str], list[str]]:
    """The SQL of ``open_round``'s query with its converters and the columns each
    model gets, as the ORM would compile them (no ORDER BY: the round's default
    ordering joins through the questionnaire)."""
    query = (
        Round.objects.select_related("questionnaire")
        .filter(token="", answers_deleted_on__isnull=True)
        .order_by()
        .query
    )
    compiler = query.get_compiler(DEFAULT_DB_ALIAS)
    sql, params = compiler.as_sql()
    assert list(params) == [""], params  # the token is the only parameter
    columns = [column for column, _sql, _alias in compiler.select]
    names = [column.target.attname for column in columns]
    round_count = len(Round._meta.concrete_fields)
    assert names[:round_count] == [f.attname for f in Round._meta.concrete_fields], names
    return sql, compiler.get_converters(columns), names[:round_count], names[round_count:]


def round_questions(round_: Round) -> list[Question]:
    """The round's questions, from this process's memory after the first request."""
    return _remember(
        f"questions:{round_.pk}:{round_.token}",
        lambda: list(
            Question.objects.filter(questionnaire_id=round_.questionnaire_id).order_by(
                "order", "pk"
            )
        ),
    )


#: What ``AnswerForm`` checks of one question: its field's name, whether an answer
#: is needed, and the accepted values (as the form's choices: "1" … "n"), or None
#: for an open question.
type AnswerRule = tuple[int, str, str, bool, frozenset[str] | None]


def valid_answers(round_: Round, questions: list[Question], data) -> dict[int, object] | None:
    """The answers of a complete submission, cleaned as ``AnswerForm`` cleans them,
    or None when any answer is missing or wrong: then the form is built to say
    what, in the respondent's language, and to show what was typed. Accepts
    exactly what the form accepts (a test compares them on generated input)."""
    answers: dict[int, object] = {}
    for pk, kind, name, required, allowed in _answer_rules(round_, questions):
        if allowed is None:  # open: the form's CharField strips, caps and refuses NUL
            text = data.get(name, "").strip()
            if (required and not text) or len(text) > OPEN_ANSWER_MAX_LENGTH or "\x00" in text:
                return None
            answers[pk] = text
        elif kind == Question.Kind.MULTIPLE:
            chosen = data.getlist(name)
            if (required and not chosen) or not allowed.issuperset(chosen):
                return None
            answers[pk] = [int(value) for value in chosen]
        else:
            value = data.get(name, "")
            if value == "":
                if required:
                    return None
                answers[pk] = None
            elif value in allowed:
                answers[pk] = int(value)
            else:
                return None
    return answers


def _answer_rules(round_: Round, questions: list[Question]) -> list[AnswerRule]:
    def rules() -> list[AnswerRule]:
        return [
            (
                question.pk,
                question.kind,
                f"q{question.pk}",
                question.required,
                None
                if question.kind == Question.Kind.OPEN
                else frozenset(str(number) for number in range(1, len(question.options) + 1)),
            )
            for question in questions
        ]

    return _remember(f"rules:{round_.pk}:{round_.token}", rules)


def page_key(kind: str, round_: Round, language: str) -> str:
    """A key for a page that depends only on the round and what the questionnaire
    shows: any edit of the questionnaire makes a new key."""
    questionnaire: Questionnaire = round_.questionnaire
    shown = repr(
        (
            questionnaire.title,
            sorted(questionnaire.title_translations.items()),
            questionnaire.languages,
            questionnaire.child_friendly,
            questionnaire.smileys,
        )
    )
    digest = hashlib.blake2b(shown.encode(), digest_size=12).hexdigest()
    return f"page:{kind}:{round_.pk}:{round_.token}:{language}:{digest}"


def cached_page(key: str, render: Callable[[], str]) -> str:
    return _remember(key, render)


def client_address(request: HttpRequest) -> str:
    """The phone's address: ``REMOTE_ADDR``, or, behind ``LEERBRUG_TRUSTED_PROXIES``
    proxies of ours, the address the outermost of them saw: each proxy appends
    the address it was called from to ``X-Forwarded-For``, so that is the n-th
    from the end; what a phone wrote before it is ignored (allauth reads the
    same setting for its login limits, and takes the same entry)."""
    proxies = settings.LEERBRUG_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if proxies and len(forwarded) >= proxies and forwarded[-proxies].strip():
        return forwarded[-proxies].strip()
    return request.META.get("REMOTE_ADDR", "")


def address_key(request: HttpRequest) -> str:
    """The sender's address, hashed with the site's secret: only ever a cache key."""
    address = client_address(request)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]
    return f"questionnaires:rate:{digest}"


def over_rate_limit(request: HttpRequest) -> bool:
    """Count this submission for its address; True past ``RATE_LIMIT`` in the window."""
    return _count(address_key(request)) > RATE_LIMIT


def _count(key: str) -> int:
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        try:
            redis_key = cache.make_and_validate_key(key)
            return int(_counting_script(cache)(keys=[redis_key], args=[RATE_WINDOW_SECONDS]))
        except (RedisError, OSError):
            pass  # Redis is down: the fail-soft cache's database fallback below
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)
        return 1


#: Count, and give a new counter its expiry, in one command that Redis runs
#: atomically: the window is fixed from the first submission (INCR keeps the
#: expiry), and no counter can outlive it.
COUNT_IN_WINDOW = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


@functools.cache
def _counting_script(cache: RedisCache) -> Any:
    """``COUNT_IN_WINDOW`` on the cache's Redis (sent by its hash after the first
    time), with one client for the process: Django's cache makes a new client
    object for every call, which cost more CPU than the round trip."""
    client = cache._cache.get_client(write=True)
    return client.register_script(COUNT_IN_WINDOW)
