"""Reads about network sessions, each scoped to who asks."""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone

from access.roles import is_network_admin, is_signed_in
from accounts.models import User
from config.kept_query import kept_list
from schools.models import Role, RoleMembership

from .models import (
    AudienceRole,
    NetworkSession,
    Participation,
    invited_by,
    invited_condition,
    invited_values,
)


def invitees(session: NetworkSession) -> QuerySet[User]:
    """Everyone the session's audience names today, resolved in its school year.

    The mirror image of ``NetworkSession.objects.invited(user)``: a person is in
    this queryset exactly when the session is in theirs (a test holds them to it).
    """
    memberships = RoleMembership.objects.filter(school_year_id=session.school_year_id)
    roles = list(session.audience_roles.values_list("role", flat=True))
    criteria = Q(pk__in=session.audience_people.values("pk"))
    if roles:
        criteria |= Q(pk__in=memberships.filter(role__in=roles).values("user"))
    criteria |= Q(
        pk__in=memberships.filter(school__in=session.audience_schools.values("pk")).values("user")
    )
    communities = session.audience_communities.all()
    criteria |= Q(pk__in=communities.values("process_facilitator"))
    criteria |= Q(
        pk__in=memberships.filter(
            role=Role.SCHOOL_LEADER,
            school__learning_community_memberships__community__in=communities.values("pk"),
        ).values("user")
    )
    return User.objects.filter(criteria, is_active=True).order_by("full_name", "pk")


def invitable_people(planner: User, *, keep: Iterable[int] = ()) -> QuerySet[User]:
    """Whom a planner may name as invitees: the people with a role in the network this
    school year (a network admin: anyone active). ``keep`` are the ones a session
    already names, so editing it never drops someone who has since left."""
    people = User.objects.filter(is_active=True)
    if not is_network_admin(planner):
        this_year = RoleMembership.objects.filter(school_year__is_current=True)
        people = people.filter(Q(pk__in=this_year.values("user")) | Q(pk__in=list(keep)))
    return people.only("pk", "full_name", "email").order_by("full_name", "pk")


def with_my_response(queryset: QuerySet, user, *, invited: bool = False) -> QuerySet:
    """Annotate each session with this person's answer ('' when none yet) and, with
    ``invited``, whether they are invited (the list shows who may answer; pages of
    invitations only need not compile the audience again)."""
    mine = Participation.objects.filter(session=OuterRef("pk"), user=user)
    annotated = queryset.annotate(my_response=Subquery(mine.values("response")[:1]))
    if not invited:
        return annotated
    return annotated.annotate(
        i_am_invited=ExpressionWrapper(invited_condition(user), output_field=BooleanField())
    )


def dashboard_sessions(
    user, *, limit: int = 3, audience: Iterable[str] = ()
) -> tuple[list[NetworkSession], list[NetworkSession]]:
    """The dashboard's sessions: the next ones this person is invited to (each with
    their answer) and, with ``audience`` (roles), the next ones of those whose
    audience names one of these roles (a starter's "sessions for starters"). On
    PostgreSQL both are one query (``UNION ALL`` of the two limited reads), compiled
    once per process (``config.kept_query``)."""
    if not is_signed_in(user):
        return [], []
    values = invited_values(user)
    now = timezone.now()
    roles = tuple(sorted(set(audience)))

    def read(**shape: Any) -> list[NetworkSession]:
        return kept_list(
            "sessions.upcoming", _upcoming, now=now, shape={"limit": limit, **shape}, **values
        )

    if not roles:
        return read(), []
    if connection.features.supports_slicing_ordering_in_compound:
        rows: list[Any] = read(audience=roles, part="both")  # each with ``listed``
        return (
            [row for row in rows if row.listed == _NEXT],
            [row for row in rows if row.listed == _FOR_AUDIENCE],
        )
    # SQLite takes no LIMIT inside a UNION: there the two lists are read apart.
    return read(), read(audience=roles, part="audience")


#: Which of the two reads of ``_upcoming`` a row comes from.
_NEXT, _FOR_AUDIENCE = 1, 2


def _upcoming(
    *,
    now: datetime.datetime,
    limit: int,
    audience: tuple[str, ...] = (),
    part: str = "next",
    **invited: Any,
) -> QuerySet[NetworkSession]:
    sessions = with_my_response(
        NetworkSession.objects.filter(invited_by(**invited)).scheduled().upcoming(now),
        invited["user"],
    ).order_by("starts_at", "pk")
    nearest = sessions.annotate(listed=Value(_NEXT))[:limit]
    if part == "next":
        return nearest
    for_audience = sessions.filter(
        Exists(AudienceRole.objects.filter(session=OuterRef("pk"), role__in=audience))
    ).annotate(listed=Value(_FOR_AUDIENCE))[:limit]
    if part == "audience":
        return for_audience
    return nearest.union(for_audience, all=True).order_by("listed", "starts_at", "pk")


def session_list_for(user) -> dict:
    """The /sessions/ page: upcoming and recent past sessions the person may see."""
    if not is_signed_in(user):
        return {"upcoming": [], "past": []}
    now = timezone.now()
    # Both lists compiled once per process (``config.kept_query``).
    values = invited_values(user)
    admin = {"admin": is_network_admin(user)}
    upcoming = kept_list("sessions.list_upcoming", _upcoming_listed, now=now, shape=admin, **values)
    past = kept_list(
        "sessions.list_past",
        _past_listed,
        now=now,
        since=now - datetime.timedelta(days=365),
        shape=admin,
        **values,
    )
    return {"upcoming": upcoming, "past": past}


def _listed(admin: bool, invited: dict[str, Any]) -> QuerySet[NetworkSession]:
    """``visible_to`` (everything for an admin) with the person's answer and whether
    they are invited, over the values of ``invited_values``."""
    sessions = NetworkSession.objects.all()
    if not admin:
        sessions = sessions.filter(invited_by(**invited) | Q(organiser=invited["user"]))
    mine = Participation.objects.filter(session=OuterRef("pk"), user=invited["user"])
    return sessions.select_related("organiser").annotate(
        my_response=Subquery(mine.values("response")[:1]),
        i_am_invited=ExpressionWrapper(invited_by(**invited), output_field=BooleanField()),
    )


def _upcoming_listed(
    *, now: datetime.datetime, admin: bool, **invited: Any
) -> QuerySet[NetworkSession]:
    return _listed(admin, invited).filter(ends_at__gte=now).order_by("starts_at", "pk")


def _past_listed(
    *, now: datetime.datetime, since: datetime.datetime, admin: bool, **invited: Any
) -> QuerySet[NetworkSession]:
    return (
        _listed(admin, invited)
        .filter(ends_at__lt=now, starts_at__gte=since)
        .order_by("-starts_at", "-pk")[:20]
    )


@dataclass(frozen=True)
class Day:
    date: datetime.date
    in_month: bool
    sessions: list[NetworkSession]


@dataclass(frozen=True)
class Month:
    first: datetime.date
    weeks: list[list[Day]]
    previous: datetime.date
    next: datetime.date


def parse_month(value: str | None, today: datetime.date) -> datetime.date:
    """The first day of the month in ``?m=YYYY-MM``; this month for anything else
    (typed URLs must not answer 500)."""
    try:
        first = datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)
    return first if 1900 <= first.year <= 2999 else today.replace(day=1)


def month_for(user, first: datetime.date) -> Month:
    """The month grid of /sessions/month/: Monday-first weeks, each day with the
    sessions the person may see that start on it (Brussels time). One query."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        first.year, first.month
    )
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(weeks[0][0], datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        weeks[-1][-1] + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    sessions = with_my_response(
        NetworkSession.objects.visible_to(user).filter(starts_at__gte=start, starts_at__lt=end),
        user,
    ).order_by("starts_at", "pk")
    by_day: dict[datetime.date, list[NetworkSession]] = {}
    for session in sessions:
        by_day.setdefault(timezone.localtime(session.starts_at).date(), []).append(session)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    return Month(
        first=first,
        weeks=[
            [Day(day, day.month == first.month, by_day.get(day, [])) for day in week]
            for week in weeks
        ],
        previous=previous,
        next=following,
    )


def participations_by_user(session: NetworkSession) -> dict[int, Participation]:
    return {p.user_id: p for p in session.participations.all()}


def session_roster(session: NetworkSession) -> list[dict]:
    """Every invitee with their answer and attendance, for the organiser."""
    answers = participations_by_user(session)
    return [
        {"person": person, "participation": answers.get(person.pk)}
        for person in invitees(session).only("pk", "full_name", "email")
    ]


def calendar_sessions_for(user) -> QuerySet[NetworkSession]:
    """What goes into a person's calendar feed: the sessions they are invited to or
    organise, from three months back (cancelled ones too, so calendars drop them)."""
    since = timezone.now() - datetime.timedelta(days=90)
    mine = NetworkSession.objects.invited(user).values("pk")
    return (
        NetworkSession.objects.filter(Q(pk__in=mine) | Q(organiser=user))
        .filter(ends_at__gte=since)
        .order_by("starts_at", "pk")
    )


def teams_needing_attention(user) -> list:
    """The research teams this person oversees in the current school year that need
    attention, by the oversight rule (``oversight.attention``: nothing logged for
    ``LEERBRUG_INACTIVITY_DAYS`` days, or stuck in one stage longer than
    ``LEERBRUG_STAGE_STUCK_DAYS``). Each team carries ``last_logged_on`` and
    ``attention`` for the digest."""
    from oversight.selectors import teams_needing_attention as oversight_rule

    teams = []
    for row in oversight_rule(user):
        team = row.team
        # Set for the digest template only.
        team.last_logged_on = row.last_entry_on  # type: ignore[attr-defined]
        team.attention = row.attention  # type: ignore[attr-defined]
        teams.append(team)
    return sorted(teams, key=lambda team: (team.school.name, team.theme))
