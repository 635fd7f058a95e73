"""Querysets compiled once per process and run again with new values.

On a signed-in page built anew, most of the CPU goes to Django *building and
compiling* a handful of small querysets (cloning queries, resolving lookups,
joins and subqueries, writing SQL), not to running them: a dashboard panel's
query runs in well under a millisecond and compiles in one to three.
``kept_list(name, build, **values)`` compiles ``build(**values)`` once per
process and *shape*, keeps the SQL with Django's own compiler (which turns the
rows into model instances, ``select_related`` objects and annotations exactly
as the queryset would), and afterwards only puts the new values into the
parameters. The rows are read on every call: nothing but SQL is kept, so
nothing can be stale or seen by another person.

**The contract of ``build``**: its SQL and parameters depend only on its keyword
arguments (no clock, no request, no settings read inside: pass ``today`` in).
Values may be ``int``, ``str``, ``datetime.date``, ``datetime.datetime``, a
list/tuple/set of those (an id list: sorted and deduplicated here) or a mapping of
them to such lists (ids per school year, as ``access.scope.in_years`` takes them;
sorted by key); the lengths are part of the shape. ``shape`` holds structural
values (flags, a page's limits), given to ``build`` as they are and part of the
key, as is the active language. A value ``build`` merges or drops (an empty list
in a mapping) changes the SQL: such a shape is found out and not kept (below).

**Checked, not trusted.** A shape is compiled twice, with two sets of stand-in
values (distinct, in range for any integer column); it is kept only when both
give the same SQL and every stand-in shows up in the parameters where its twin
does, as itself or as the database adapts it (a date as text on SQLite). A
queryset whose SQL depends on the values (``None`` becomes ``IS NULL``, a value
out of a column's range empties the query) or on anything else (the clock) is
then never kept: it runs as a plain queryset every time, with a warning.
"""

import contextlib
import datetime
import itertools
import logging
import operator
import threading
from collections.abc import Callable, Hashable, Iterator, Mapping
from copy import copy
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.utils import translation

#: The cursor that sends values apart from the SQL, so psycopg can prepare it.
_SERVER_BINDING: Any
try:
    from django.db.backends.postgresql.base import ServerBindingCursor as _SERVER_BINDING
except ImportError:  # no psycopg 3 (SQLite only)
    _SERVER_BINDING = None

logger = logging.getLogger(__name__)

#: At most this many shapes are kept per process (a shape per id-list length and
#: flag combination: a few dozen in practice); beyond it, queries run uncompiled.
MAX_SHAPES = 2048
#: Values with more ids than this (a network admin's) are not worth a shape.
MAX_VALUES = 400

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
_BASE = 1_987_000_000  # stand-in ids: inside a 32-bit column's range, unlike real ids
_DAY = datetime.date(1903, 1, 1)
_MOMENT = datetime.datetime(1903, 1, 1, 12, tzinfo=datetime.UTC)

_kept: dict[Hashable, "Kept | None"] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Kept:
    """One compiled shape: its SQL, where each parameter comes from, and the
    compiler that turns its rows into what the queryset would give."""

    sql: str
    #: per parameter: ("const", value) or ("value", path of the value, adapter)
    slots: tuple[tuple[Any, ...], ...]
    queryset: QuerySet
    compiler: Any
    #: the selected columns and the converters Django finds for them (from the
    #: columns' fields and the database backend alone, so the same on every run)
    columns: tuple[Any, ...]
    converters: dict[int, Any]


_SCALARS = ((bool, None), (int, "int"), (str, "str"), (datetime.datetime, "datetime"))


def _normal(value: Any) -> Any:
    """Id lists sorted and deduplicated, mappings sorted by key (as the builders
    and ``access.scope.in_years`` read them)."""
    if isinstance(value, dict):
        return {key: _normal(value[key]) for key in sorted(value)}
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted(set(value))
    return value


def _signature(value: Any) -> Hashable:
    """The value's structure: kinds of its scalars, lengths of its lists."""
    if isinstance(value, dict):
        return ("dict", tuple((_signature(k), _signature(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("list", tuple(_signature(item) for item in value))
    for kind, name in _SCALARS:
        if isinstance(value, kind):
            if name is None:
                raise TypeError("flags belong in shape=")
            return name
    if isinstance(value, datetime.date):
        return "date"
    raise TypeError(f"kept_list cannot take a {type(value).__name__}")


def _size(signature: Any) -> int:
    if isinstance(signature, str):
        return 1
    if signature[0] == "dict":
        return sum(_size(k) + _size(v) for k, v in signature[1])
    return sum(_size(item) for item in signature[1])


def _stand_in(signature: Any, numbers: Iterator[int]) -> Any:
    """A value of this structure made of stand-ins, increasing in the order they are
    made (so sorting keeps them in place)."""
    if isinstance(signature, str):
        n = next(numbers)
        if signature == "int":
            return _BASE + n
        if signature == "str":
            return f"\x1ekept-{n:07d}\x1e"
        if signature == "date":
            return _DAY + datetime.timedelta(days=n)
        return _MOMENT + datetime.timedelta(minutes=n)
    if signature[0] == "dict":
        return {_stand_in(k, numbers): _stand_in(v, numbers) for k, v in signature[1]}
    return [_stand_in(item, numbers) for item in signature[1]]


def _leaves(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """(path, scalar) for every scalar in the value, keys of mappings included."""
    if isinstance(value, dict):
        for i, (key, item) in enumerate(value.items()):
            yield from _leaves(key, (*path, i, "k"))
            yield from _leaves(item, (*path, i, "v"))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, (*path, i))
    else:
        yield path, value


def _adapters(value: Any, connection: Any) -> list[tuple[str, Any]]:
    """The forms a value can take among the parameters: itself, or as the database
    adapts it (dates and times as text on SQLite)."""
    if isinstance(value, datetime.datetime):
        return [("same", value), ("datetime", connection.ops.adapt_datetimefield_value(value))]
    if isinstance(value, datetime.date):
        return [("same", value), ("date", connection.ops.adapt_datefield_value(value))]
    return [("same", value)]


def _compile(build: Callable[..., QuerySet], signature: dict, shape: dict) -> Kept | None:
    connection = connections[DEFAULT_DB_ALIAS]
    compiled = []
    for twin in (0, 1):
        numbers = itertools.count(twin, 2)  # the twins never share a stand-in
        values = {name: _stand_in(sig, numbers) for name, sig in signature.items()}
        queryset = build(**values, **shape)
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # nothing to run: building it each time costs little
            return None
        where: dict[Any, tuple] = {}
        for name, value in values.items():
            for path, leaf in _leaves(value, (name,)):
                for adapter, form in _adapters(leaf, connection):
                    where.setdefault(form, (path, adapter))
        compiled.append((queryset, compiler, sql, list(params), where))
    (queryset, compiler, sql, params, where), (_q, _c, sql_b, params_b, where_b) = compiled
    if not sql or sql != sql_b or len(params) != len(params_b):
        _not_kept(build, "its SQL depends on the values")
        return None
    slots: list[tuple[Any, ...]] = []
    used = set()
    for value, value_b in zip(params, params_b, strict=True):
        slot, slot_b = _found(where, value), _found(where_b, value_b)
        if slot is None and slot_b is None and value == value_b:
            slots.append(("const", value))
        elif slot is not None and slot == slot_b:
            slots.append(("value", *slot))
            used.add(slot[0])
        else:
            _not_kept(build, "a parameter depends on something but its values")
            return None
    if len(used) != sum(_size(sig) for sig in signature.values()):
        # a value the SQL does not carry changed its structure
        _not_kept(build, "a value is not among its parameters")
        return None
    columns = tuple(selected[0] for selected in compiler.select[: compiler.col_count])
    return Kept(
        sql=sql,
        slots=tuple(slots),
        queryset=queryset,
        compiler=compiler,
        columns=columns,
        converters=compiler.get_converters(list(columns)),
    )


def _not_kept(build: Callable[..., QuerySet], reason: str) -> None:
    logger.warning("kept_list(%s): not kept, %s", getattr(build, "__qualname__", build), reason)


def _found(where: dict[Any, tuple], value: Any) -> tuple | None:
    try:
        return where.get(value)
    except TypeError:  # unhashable (a list parameter): never a stand-in
        return None


class _KeptQuery:
    """The queryset's own query, but its compiler is the kept one (read-only)."""

    def __init__(self, query: Any, compiler: Any) -> None:
        self._query, self._compiler = query, compiler

    def get_compiler(self, using: Any = None, connection: Any = None, elide_empty: bool = True):
        return self._compiler

    def __getattr__(self, name: str) -> Any:
        return getattr(self._query, name)


_ADAPT = {"date": "adapt_datefield_value", "datetime": "adapt_datetimefield_value"}


def kept_list(
    name: str,
    build: Callable[..., QuerySet],
    /,
    *,
    shape: Mapping[str, Hashable] | None = None,
    **values: Any,
) -> list:
    """``list(build(**values, **shape))``, compiled once per process and shape (see
    the module's docstring). ``name`` tells the queries apart: one per ``build``."""
    shape = dict(shape or {})
    values = {arg: _normal(value) for arg, value in values.items()}
    signature = {arg: _signature(value) for arg, value in sorted(values.items())}
    if sum(_size(sig) for sig in signature.values()) > MAX_VALUES:
        return list(build(**values, **shape))
    key = (name, translation.get_language(), tuple(signature.items()), tuple(sorted(shape.items())))
    try:
        kept = _kept[key]
    except KeyError:
        if len(_kept) >= MAX_SHAPES:  # full: plain querysets from now on
            return list(build(**values, **shape))
        try:
            kept = _compile(build, signature, shape)
        except Exception:  # a stand-in ``build`` cannot take: the real values may do
            logger.exception("kept_list(%s): not kept, compiling it failed", name)
            kept = None
        with _lock:
            _kept[key] = kept
    if kept is None:
        return list(build(**values, **shape))
    connection = connections[DEFAULT_DB_ALIAS]
    leaves = {
        path: leaf
        for value_name, value in values.items()
        for path, leaf in _leaves(value, (value_name,))
    }
    if any(type(leaf) is int and not _INT_MIN <= leaf <= _INT_MAX for leaf in leaves.values()):
        # out of a column's range (a typed URL): Django's own lookups know what to do
        return list(build(**values, **shape))
    params = []
    for slot in kept.slots:
        if slot[0] == "const":
            params.append(slot[1])
        elif slot[2] == "same":
            params.append(leaves[slot[1]])
        else:
            params.append(getattr(connection.ops, _ADAPT[slot[2]])(leaves[slot[1]]))
    compiler = copy(kept.compiler)
    compiler.connection = connection
    compiler.as_sql = lambda *args, **kwargs: (kept.sql, tuple(params))
    compiler.get_converters = partial(_kept_converters, kept, compiler.get_converters)
    # A fresh queryset like the kept one (copy.copy would evaluate it: QuerySet's
    # pickling support fetches the rows), its query answering with the kept compiler.
    template = kept.queryset
    queryset: Any = template.__class__.__new__(template.__class__)
    queryset.__dict__.update(template.__dict__)
    queryset._query = _KeptQuery(template.query, compiler)
    queryset._result_cache = None
    queryset._prefetch_done = False
    with prepared_statements(connection):
        return list(queryset)


def _kept_converters(kept: Kept, find: Callable[[list], dict], columns: list) -> dict:
    """The kept shape's converters for its own columns (the rows' converters are
    otherwise looked up again, column by column, on every run); ``find`` (Django's)
    for any other."""
    if len(columns) == len(kept.columns) and all(map(operator.is_, columns, kept.columns)):
        return kept.converters
    return find(columns)


@contextlib.contextmanager
def prepared_statements(connection: Any) -> Iterator[None]:
    """Cursors opened inside bind their values on the server, so psycopg prepares
    a statement run often enough (``prepare_threshold`` in the settings) and
    PostgreSQL stops planning it again. Only for statements whose best plan does
    not depend on the values: the kept page queries (an id list, a date), the
    scope and the suggestions panel's ranking. A library search keeps Django's
    client-binding cursor and a plan made for its own words. Elsewhere (SQLite,
    prepared statements switched off) it does nothing."""
    if (
        _SERVER_BINDING is None
        or connection.vendor != "postgresql"
        or connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is None
    ):
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.cursor_factory
    raw.cursor_factory = _SERVER_BINDING
    try:
        yield
    finally:
        raw.cursor_factory = before


def forget() -> None:
    """Drop every kept shape (tests)."""
    with _lock:
        _kept.clear()


def attach_prefetched(
    objects: list[Any], name: str, model: type[Any], rows: list[Any], *, by: str, back: str = ""
) -> None:
    """``prefetch_related(name)`` as Django leaves it, from ``rows`` read apart (by a
    kept query): ``obj.<name>.all`` answers from memory with the rows whose ``by``
    (the foreign key's ``…_id``) is the object's pk, in the rows' order. With
    ``back`` (the foreign key's name) each row's link to its object is set too, so
    ``row.<back>`` costs no query."""
    mine: dict[Any, list[Any]] = {}
    for row in rows:
        mine.setdefault(getattr(row, by), []).append(row)
    for obj in objects:
        found = mine.get(obj.pk, [])
        if back:
            for row in found:
                setattr(row, back, obj)
        prefetched: Any = QuerySet(model=model)
        prefetched._result_cache = found
        prefetched._prefetch_done = True
        obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = prefetched
