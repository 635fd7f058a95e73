"""The person's scope: every membership that decides what they see, read once.

The role blocks in ``access.roles`` are ``Exists`` subqueries: exact, but Django
spends most of a page's CPU compiling them (every ``visible_to`` nests several,
each resolved again for every queryset of the page). A person's memberships are
few, so ``scope_of(user)`` reads them all in **one query** (a ``UNION ALL`` of
their roles per school year, research teams, facilitated learning communities,
the communities of the schools they lead, and which school year is the current
one) into a small immutable ``Scope``; the hot ``visible_to`` querysets and
predicates then filter on plain id lists (``school_id IN (…)``), which compile in
a fraction of the time.

**Never stale.** The scope is memoised on the user object, stamped with the
process's count of membership writes (``note_write``, called by the write
watcher every connection has: ``config.page_cache.install``):

- every request loads its user afresh, so a membership gained or lost anywhere
  is seen on the next request;
- a write to any table the scope is read from (or a statement whose table cannot
  be told) in this process, in this request or a Celery task, a command or a test
  calling selectors directly, makes every memoised scope stale: the next
  question reads the memberships again;
- so does the end of a transaction that wrote memberships (a rollback undoes
  them without a statement the watcher sees) and a rollback to a savepoint.

So the memo lives exactly as long as the user object it hangs on, and is never
older than the last membership write this process made. The signed-in person's
scope is read with their row (``scope_rows``, ``accounts.backends``) and memoised
as if ``scope_of`` had read it then, under the same rules.
"""

import itertools
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import JSONField, Q
from django.db.models.expressions import RawSQL

from config.kept_query import prepared_statements

if TYPE_CHECKING:
    from accounts.models import AnyUser

#: The tables a scope is read from: a write to one makes every memoised scope stale.
SCOPE_TABLES = frozenset(
    {
        "schools_rolemembership",
        "research_cycle_teammembership",
        "partnership_learningcommunity",
        "partnership_learningcommunitymembership",
        "partnership_schoolyear",
    }
)
_MEMO = "_access_scope"
_writes = itertools.count(1)
_generation = 0
#: Whether this thread wrote memberships inside a transaction still open: when it
#: ends, committed or rolled back, the memos are stale again.
_open = threading.local()


def _stale() -> None:
    global _generation
    _generation = next(_writes)


def note_write(table: str | None, *, in_transaction: bool = False) -> None:
    """A statement wrote to ``table`` (None: a write whose table is unknown, or a
    rollback to a savepoint); ``in_transaction``: inside an atomic block."""
    if table is None or table in SCOPE_TABLES:
        _stale()
        if in_transaction:
            _open.writes = True


@dataclass(frozen=True)
class RoleHeld:
    """One role membership: a role at a school or institution in a school year."""

    role: str
    school_id: int | None
    institution_id: int | None
    school_year_id: int


@dataclass(frozen=True)
class Scope:
    """What a person holds, as ids. Answers in Python, or as ``Q`` objects over
    plain id lists for querysets."""

    user_pk: int | None
    roles: tuple[RoleHeld, ...] = ()
    #: (team id, the person's role in the team)
    teams: tuple[tuple[int, str], ...] = ()
    #: (community id, school year id) of the learning communities they facilitate
    facilitated_communities: tuple[tuple[int, int], ...] = ()
    #: (school id, school year id) of the schools in those communities
    facilitated_schools: tuple[tuple[int, int], ...] = ()
    #: (community id, school id) of every community a school they lead (in any
    #: year) belongs to
    led_school_communities: tuple[tuple[int, int], ...] = field(default=())
    #: the ids of the school years marked current (one, or none between years)
    current_years: tuple[int, ...] = ()

    @cached_property
    def team_roles(self) -> dict[int, str]:
        return dict(self.teams)

    def team_ids(self, roles: Iterable[str] | None = None) -> list[int]:
        """The teams they are in (with one of ``roles`` when given)."""
        wanted = None if roles is None else {str(r) for r in roles}
        return [team for team, role in self.teams if wanted is None or role in wanted]

    def held(
        self, roles: Iterable[str] | None = None, *, school_year: int | None = None
    ) -> list[RoleHeld]:
        """Their role memberships, narrowed to these roles and that school year."""
        wanted = None if roles is None else {str(r) for r in roles}
        return [
            held
            for held in self.roles
            if (wanted is None or held.role in wanted)
            and (school_year is None or held.school_year_id == school_year)
        ]

    def held_now(self, roles: Iterable[str] | None = None) -> list[RoleHeld]:
        """Their role memberships of the current school year, narrowed to these
        roles (as ``memberships(user, roles).filter(school_year__is_current=True)``)."""
        return [held for held in self.held(roles) if held.school_year_id in self.current_years]

    def school_ids_now(self, roles: Iterable[str] | None = None) -> list[int]:
        """The ids of the schools where they hold one of ``roles`` this school year,
        sorted (no query: the scope is read once per request)."""
        return self._ids_now("school_id", roles)

    def institution_ids_now(self, roles: Iterable[str] | None = None) -> list[int]:
        """The ids of the institutions where they hold one of ``roles`` this school
        year, sorted."""
        return self._ids_now("institution_id", roles)

    def _ids_now(self, field: str, roles: Iterable[str] | None) -> list[int]:
        ids = {getattr(held, field) for held in self.held_now(roles)}
        ids.discard(None)
        return sorted(ids)

    def schools_by_year(self, roles: Iterable[str] | None = None) -> dict[int, set[int]]:
        """{school year id: ids of the schools where they hold one of ``roles``}."""
        years: dict[int, set[int]] = {}
        for held in self.held(roles):
            if held.school_id is not None:
                years.setdefault(held.school_year_id, set()).add(held.school_id)
        return years

    def institutions_by_year(self, roles: Iterable[str] | None = None) -> dict[int, set[int]]:
        """{school year id: ids of the institutions where they hold one of ``roles``}."""
        years: dict[int, set[int]] = {}
        for held in self.held(roles):
            if held.institution_id is not None:
                years.setdefault(held.school_year_id, set()).add(held.institution_id)
        return years

    def facilitated_by_year(self) -> dict[int, set[int]]:
        """{school year id: ids of the schools in the communities they facilitate}."""
        years: dict[int, set[int]] = {}
        for school, year in self.facilitated_schools:
            years.setdefault(year, set()).add(school)
        return years

    def holds_at(
        self, roles: Iterable[str] | None = None, *, school: int | None, school_year: int
    ) -> bool:
        """Holds one of ``roles`` at the school in the school year (as
        ``access.roles.has_role_at``)."""
        return school is not None and any(
            held.school_id == school for held in self.held(roles, school_year=school_year)
        )

    def facilitates(self, *, school: int | None, school_year: int) -> bool:
        """Facilitates the learning community the school is in that year (as
        ``access.roles.facilitates``)."""
        return (school, school_year) in set(self.facilitated_schools)


def in_years(by_year: Mapping[int, Iterable[int] | Iterable[str]], *, ids: str, year: str) -> Q:
    """``(year = Y AND ids IN (…)) OR …`` for each school year: never matches when
    empty (Django answers an empty ``IN`` without asking the database)."""
    condition = Q(pk__in=[])
    for school_year, members in sorted(by_year.items()):
        condition |= Q(**{year: school_year, f"{ids}__in": sorted(members)})
    return condition


#: The one query of ``_read``, as plain SQL: composing it with the ORM (five
#: querysets and a union) cost more CPU than the subqueries it replaces. The
#: tables and columns are those of the migrations (the tests run it on SQLite and
#: PostgreSQL); each row is (kind, role, id, id, school year id). It runs on
#: every signed-in request, so it is a prepared statement on PostgreSQL
#: (``prepared_statements``): planned once per connection, not once per page.
SCOPE_SQL = """
SELECT 'r' AS kind, role, school_id AS a, institution_id AS b, school_year_id AS year
  FROM schools_rolemembership WHERE user_id = %(user)s
UNION ALL
SELECT 't', role, team_id, NULL, NULL
  FROM research_cycle_teammembership WHERE user_id = %(user)s
UNION ALL
SELECT 'c', '', id, NULL, school_year_id
  FROM partnership_learningcommunity WHERE process_facilitator_id = %(user)s
UNION ALL
SELECT 'f', '', m.school_id, m.community_id, c.school_year_id
  FROM partnership_learningcommunitymembership m
  JOIN partnership_learningcommunity c ON c.id = m.community_id
 WHERE c.process_facilitator_id = %(user)s
UNION ALL
SELECT 'l', '', m.school_id, m.community_id, NULL
  FROM partnership_learningcommunitymembership m
 WHERE m.school_id IN (
       SELECT school_id FROM schools_rolemembership
        WHERE user_id = %(user)s AND role = %(leader)s)
UNION ALL
SELECT 'y', '', NULL, NULL, id
  FROM partnership_schoolyear WHERE is_current
"""


def _read(user_pk: int) -> Scope:
    """Every membership of the person, in one query."""
    from schools.models import Role

    with prepared_statements(connection), connection.cursor() as cursor:
        cursor.execute(SCOPE_SQL, {"user": user_pk, "leader": Role.SCHOOL_LEADER.value})
        return _scope(user_pk, cursor.fetchall())


def _scope(user_pk: int, found: Iterable[Iterable[Any]]) -> Scope:
    """The scope of the rows ``SCOPE_SQL`` gives (kind, role, id, id, school year)."""
    rows: dict[str, list[tuple[Any, ...]]] = {letter: [] for letter in "rtcfly"}
    for letter, role, a, b, year in found:
        rows[letter].append((role, a, b, year))
    return Scope(
        user_pk=user_pk,
        roles=tuple(RoleHeld(role, a, b, year) for role, a, b, year in rows["r"]),
        teams=tuple((a, role) for role, a, _b, _y in rows["t"]),
        facilitated_communities=tuple((a, year) for _r, a, _b, year in rows["c"]),
        facilitated_schools=tuple((a, year) for _r, a, _b, year in rows["f"]),
        led_school_communities=tuple((b, a) for _r, a, b, _y in rows["l"]),
        current_years=tuple(year for _r, _a, _b, year in rows["y"]),
    )


def scope_rows() -> RawSQL:
    """``SCOPE_SQL`` for the person of the row it annotates, as one JSON array: the
    query that reads the signed-in person (``accounts.backends``) carries their
    scope, so it costs no query of its own (``remember_scope``)."""
    from accounts.models import User
    from schools.models import Role

    # Only constants of this module and the user table's quoted name go into the
    # SQL; the one value (the leader role) is a parameter.
    person = f'{connection.ops.quote_name(User._meta.db_table)}."id"'
    rows = SCOPE_SQL.replace("%(user)s", person).replace("%(leader)s", "%s")
    if connection.vendor == "postgresql":
        array = "json_agg(json_build_array(kind, role, a, b, year))::text"
    else:  # SQLite
        array = "json_group_array(json_array(kind, role, a, b, year))"
    sql = "(SELECT " + array + " FROM (" + rows + ") AS s)"  # noqa: S608
    return RawSQL(sql, (Role.SCHOOL_LEADER.value,), output_field=JSONField())  # noqa: S611


def remember_scope(user: "AnyUser", rows: Iterable[Iterable[Any]] | None) -> None:
    """Memoise the scope ``scope_rows`` read with the person (None: no rows), as
    ``scope_of`` would after reading it: stamped with this process's count of
    membership writes, so a write after the read makes it stale as ever."""
    if user.pk is not None:
        setattr(user, _MEMO, (_generation, _scope(user.pk, rows or ())))


def scope_of(user: "AnyUser") -> Scope:
    """The person's scope, read at most once per user object and membership write
    (see the module's docstring); empty for anonymous and deactivated people."""
    if not (user.is_authenticated and user.is_active):
        return Scope(user_pk=None)
    if getattr(_open, "writes", False) and not connection.in_atomic_block:
        _open.writes = False  # the transaction ended: rolled back, perhaps
        _stale()
    memo = getattr(user, _MEMO, None)
    if memo is not None and memo[0] == _generation:
        scope: Scope = memo[1]
        return scope
    generation = _generation
    scope = _read(user.pk)
    setattr(user, _MEMO, (generation, scope))
    return scope
