"""The workspace's "Inspiration for this stage" panel: published studies of other
schools on the team's themes or close to its question, upcoming sessions about
its stage or themes, and how those studies went about this stage.

Only published studies are ever read (``knowledge_base.public``); the team's own
school is left out, so its own work, published or not, is never suggested to it.
A fixed number of queries: the ranking, the studies' cards (only what they show,
with school and year), the sessions.
"""

import datetime
import functools
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    TextField,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from access.roles import AnyUser, is_network_admin, is_signed_in
from config.kept_query import kept_list, prepared_statements
from config.versioned_cache import VersionedCache
from knowledge_base.models import Study
from knowledge_base.public import public_studies
from network_sessions.models import NetworkSession, invited_by, invited_values
from research_cycle.models import CycleStage, ResearchCycle, ResearchTeam

#: How many studies and sessions the panel shows.
STUDY_COUNT = 4
SESSION_COUNT = 3
#: How many of the newest matches of each kind (same theme, similar words) are
#: ranked: bounded, so the panel costs the same at any size of the library, and
#: recent studies are the likelier inspiration anyway.
CANDIDATES = 100
#: The studies on the team's themes are looked for among this many of the newest
#: (read in date order, the search stops as soon as it has its candidates).
THEME_WINDOW = 3000
#: At most this many words of the question (the longest ones, the likeliest to
#: carry its meaning) are looked up.
QUERY_WORDS = 12
#: A word in more than this share of the published studies (``leerlingen``,
#: ``school``) says nothing about what a question is about: it neither finds nor
#: ranks suggestions. Below ``COMMON_FLOOR`` studies no word counts as common (a
#: small library can afford every word, and shares of a handful are noise).
COMMON_SHARE = 0.05
COMMON_FLOOR = 50
#: The similar studies are found by the question's rarest words only, as many as
#: together are in at most this many studies (the rarest always, if telling at
#: all): the index then hands over a bounded number of matches at any size.
#: Every telling word still counts in the ranking.
MATCH_BUDGET = 2000
#: Those words' newest ``CANDIDATES`` studies are taken from all their studies
#: when they are in at most ``FEW_MATCHES``; when in more (a rarest word in 1-5 %
#: of the library), from the newest studies among which ``RECENT_SPARE`` times
#: ``CANDIDATES`` of them are expected (library × 3 × 100 / studies with the
#: words): the same newest matches unless the words' studies bunch in the past,
#: but the index hands over a few hundred rows instead of thousands (both index
#: scans, the words' and the dates', are intersected before any row is read).
FEW_MATCHES = 1000
RECENT_SPARE = 3
SUGGESTED_KINDS = (
    NetworkSession.Kind.KNOWLEDGE,
    NetworkSession.Kind.TRAINING,
    NetworkSession.Kind.REFLECTION,
)
#: Which published field shows how a study went about each stage (the worked example).
STAGE_FIELDS = {
    "dilemma": ("dilemma", _("Their dilemma")),
    "beliefs": ("dilemma", _("Their dilemma")),
    "question": ("research_question", _("Their research question")),
    "inspiration": ("inspiration", _("Their literature and inspiration")),
    "data_collection": ("methods", _("Their data collection")),
    "analysis": ("findings", _("Their findings")),
    "action": ("action_and_effect", _("Their action and its effect")),
    "evaluation": ("lessons", _("Their lessons")),
}

# Ranks the newest studies on the team's themes and the newest that share one of
# the question's rarer words, by text similarity over its telling words, a shared
# theme counting extra. The question is taken as the index takes it: its words'
# lexemes (``meertalige`` is ``meertal``, which ``meertaligheid`` is too). How many
# studies hold each lexeme comes from ``knowledge_base_search_lexeme`` (the index's
# own count, refreshed with the vocabulary; a lexeme not in it yet counts as
# rare); the number of published studies from the planner's statistics, counted
# when they say the index is small. The settings above are written into the SQL
# (``suggest_sql``), so only the words and the team are values: a prepared
# statement's generic plan knows its limits as a plan made for the values would.
SUGGEST_SQL = """
WITH library AS MATERIALIZED (
    SELECT CASE WHEN c.reltuples >= %(floor)s / %(share)s THEN c.reltuples
                ELSE (SELECT count(*) FROM knowledge_base_search_entry) END AS studies
    FROM pg_class c WHERE c.oid = 'knowledge_base_search_entry'::regclass
),
telling AS MATERIALIZED (
    SELECT x.lexeme, row_number() OVER rarest AS position,
           sum(coalesce(v.documents, 0)) OVER rarest AS reach
    FROM unnest(to_tsvector('dutch', array_to_string(%(words)s::text[], ' '))) AS x
    LEFT JOIN knowledge_base_search_lexeme v ON v.lexeme = x.lexeme
    CROSS JOIN library l
    WHERE coalesce(v.documents, 0) <= greatest(%(share)s * l.studies, %(floor)s)
    WINDOW rarest AS (ORDER BY coalesce(v.documents, 0), x.lexeme)
),
q AS MATERIALIZED (
    SELECT coalesce(string_agg(quote_literal(lexeme), ' | '), '')::tsquery AS ranking,
           coalesce(string_agg(quote_literal(lexeme), ' | ')
               FILTER (WHERE position = 1 OR reach <= %(budget)s), '')::tsquery AS matching,
           coalesce(max(reach) FILTER (WHERE position = 1 OR reach <= %(budget)s), 0) AS matches
    FROM telling
),
themes AS MATERIALIZED (
    SELECT coalesce(array_agg(theme_id), '{}')::bigint[] AS ids
    FROM research_cycle_researchteam_themes WHERE researchteam_id = %(team)s
),
candidates AS MATERIALIZED (
    (SELECT w.study_id FROM (
        SELECT e.study_id, e.theme_ids FROM knowledge_base_search_entry e
        ORDER BY e.published_at DESC LIMIT %(window)s
     ) w, themes t WHERE t.ids <> '{}' AND w.theme_ids && t.ids LIMIT %(n)s)
    UNION
    (SELECT e.study_id FROM knowledge_base_search_entry e
     WHERE (SELECT matches <= %(few)s FROM q) AND e.search_vector @@ (SELECT matching FROM q)
     ORDER BY e.published_at DESC LIMIT %(n)s)
    UNION
    (SELECT e.study_id FROM knowledge_base_search_entry e
     WHERE (SELECT matches > %(few)s FROM q) AND e.search_vector @@ (SELECT matching FROM q)
       AND e.published_at >= coalesce((
           SELECT published_at FROM knowledge_base_search_entry ORDER BY published_at DESC
           OFFSET (SELECT (l.studies * %(spare)s * %(n)s / greatest(q.matches, 1))::bigint
                   FROM q, library l)
           LIMIT 1), '-infinity')
     ORDER BY e.published_at DESC LIMIT %(n)s)
),
ranked AS MATERIALIZED (
    SELECT e.study_id, e.published_at, e.theme_ids && t.ids AS shares_theme,
           ts_rank_cd(e.search_vector, q.ranking, 32) AS similarity
    FROM candidates c
    JOIN knowledge_base_search_entry e ON e.study_id = c.study_id
    JOIN knowledge_base_study s ON s.id = e.study_id
    CROSS JOIN q CROSS JOIN themes t
    WHERE s.school_id <> %(school)s
)
SELECT study_id, shares_theme, similarity FROM ranked
ORDER BY shares_theme::int * 0.1 + similarity DESC, published_at DESC, study_id DESC
LIMIT %(limit)s
"""


@dataclass
class Suggestion:
    study: Study
    shares_theme: bool
    similar_text: bool
    example_label: str = ""
    example: str = ""


@dataclass
class Inspiration:
    stage: CycleStage
    studies: list[Suggestion] = field(default_factory=list)
    sessions: list[NetworkSession] = field(default_factory=list)


def question_words(cycle: ResearchCycle, team: ResearchTeam) -> list[str]:
    """The words the team's question (or, before it has one, its dilemma and theme)
    is made of, longest first."""
    text = cycle.research_question or f"{cycle.dilemma} {team.theme}"
    words = {w.lower() for w in re.findall(r"\w{4,}", text)}
    return sorted(words, key=lambda w: (-len(w), w))[:QUERY_WORDS]


def suggest_sql() -> str:
    """``SUGGEST_SQL`` with the settings above in it, as literals."""
    return _sql_with(
        share=COMMON_SHARE,
        floor=COMMON_FLOOR,
        budget=MATCH_BUDGET,
        n=CANDIDATES,
        window=THEME_WINDOW,
        limit=STUDY_COUNT,
        few=FEW_MATCHES,
        spare=RECENT_SPARE,
    )


@functools.cache
def _sql_with(**settings: float) -> str:
    literals = {
        name: repr(float(v) if isinstance(v, float) else int(v)) for name, v in settings.items()
    }
    return SUGGEST_SQL % {
        **literals,
        **{name: f"%({name})s" for name in ("words", "team", "school")},
    }


def suggest_params(team: ResearchTeam, words: list[str]) -> dict[str, Any]:
    """The values of ``suggest_sql()`` for a team and its question's words."""
    return {"words": words, "team": team.pk, "school": team.school_id}


def _ranked_ids(team: ResearchTeam, words: list[str]) -> list[tuple[int, bool, bool]]:
    """(study id, shares a theme, similar words), best first. A prepared statement
    on PostgreSQL: parsing and planning this query took longer than running it."""
    db = Study.objects.db
    if connections[db].vendor == "postgresql":
        with prepared_statements(connections[db]), connections[db].cursor() as cursor:
            cursor.execute(suggest_sql(), suggest_params(team, words))
            return [(pk, shares, similarity > 0) for pk, shares, similarity in cursor.fetchall()]
    return _ranked_ids_fallback(team, words)


def _ranked_ids_fallback(team: ResearchTeam, words: list[str]) -> list[tuple[int, bool, bool]]:
    """The embedded database: a shared theme, or a word of the question in the
    title or question; newest first."""
    similar = Q(pk__in=[])
    for word in words[:4]:
        similar |= Q(title__icontains=word) | Q(research_question__icontains=word)
    on_theme = Study.themes.through.objects.filter(study=OuterRef("pk"), theme__research_teams=team)
    rows = (
        Study.objects.published()
        .exclude(school_id=team.school_id)
        .annotate(shares=Exists(on_theme), similar=ExpressionWrapper(similar, BooleanField()))
        .filter(Q(shares=True) | Q(similar=True))
        .order_by("-shares", "-similar", "-published_at", "-pk")
        .values_list("pk", "shares", "similar")[:STUDY_COUNT]
    )
    return [(pk, bool(shares), bool(alike)) for pk, shares, alike in rows]


#: What the panel's cards show of a study (and the stage's worked example, added
#: per stage): a study's full row and its themes are never read.
CARD_FIELDS = (
    "slug",
    "title",
    "city",
    "research_question",
    "methods",
    "school__name",
    "school_year__name",
)


def _cards(*, ids: list[int], shown: tuple[str, ...]) -> QuerySet[Study]:
    """The suggested studies, still only published ones (``public_studies``), with
    their school and year in the same query and only the fields ``shown``."""
    return (
        public_studies()
        .filter(pk__in=ids)
        .select_related(None)
        .select_related("school", "school_year")
        .prefetch_related(None)
        .only(*shown)
    )


def _sessions(team: ResearchTeam, stage: CycleStage, user: AnyUser) -> list[NetworkSession]:
    """Upcoming knowledge, training and reflection sessions about the stage or one
    of the team's themes that this person can open (compiled once per process:
    ``config.kept_query``)."""
    if not is_signed_in(user):
        return []
    values = {} if is_network_admin(user) else invited_values(user)
    return kept_list(
        "inspiration.sessions",
        _suggested_sessions,
        now=timezone.now(),
        stage=stage.pk,
        team=team.pk,
        **values,
    )


def _suggested_sessions(
    *, now: datetime.datetime, stage: int, team: int, **invited: Any
) -> QuerySet[NetworkSession]:
    about = Q(stages=stage) | Q(themes__research_teams=team)
    sessions = NetworkSession.objects.all()
    if invited:  # as ``NetworkSession.objects.visible_to``; everything for admins
        sessions = sessions.filter(invited_by(**invited) | Q(organiser=invited["user"]))
    return (
        sessions.scheduled()
        .upcoming(now)
        .filter(kind__in=SUGGESTED_KINDS)
        .filter(pk__in=NetworkSession.objects.filter(about).values("pk"))
        .order_by("starts_at", "pk")[:SESSION_COUNT]
    )


#: The version of what a cycle's suggested studies are drawn from: the library's
#: (a trigger replaces it on every write to studies, their themes, schools, school
#: years and the index's word counts) and the team's themes. Correlated on the
#: research cycle of the query it annotates; no value is put in.
_SUGGESTIONS_VERSION = """
    SELECT v.version::text || ':' || coalesce((
        SELECT string_agg(t.theme_id::text, ',' ORDER BY t.theme_id)
        FROM research_cycle_researchteam_themes t
        WHERE t.researchteam_id = "research_cycle_researchcycle"."team_id"), '')
    FROM knowledge_base_library_version v WHERE v.id = 1
"""


def suggestions_version() -> RawSQL | None:
    """An annotation for a query of research cycles: the version their suggested
    studies are kept under (``inspiration_for``); None on SQLite, which has no
    library version (the suggestions are then read every time)."""
    if connections[Study.objects.db].vendor != "postgresql":
        return None
    return RawSQL(_SUGGESTIONS_VERSION, (), output_field=TextField())  # noqa: S611  # constant


#: The suggested studies of a team's stage: kept an hour (a new version makes them
#: unreachable before); each process also holds the last 512 it showed.
_suggestions: VersionedCache[list] = VersionedCache("suggestions", seconds=60 * 60, per_process=512)


def inspiration_for(team: ResearchTeam, user: AnyUser) -> Inspiration | None:
    """The panel for the team's current cycle (None when no cycle is going on).

    The suggested studies are kept (``config.versioned_cache``) under the version of
    what they are drawn from, when the cycle was read with it (``suggestions_version``,
    annotated by ``research_cycle.selectors._cycles`` before this), with the
    question's words, the school and the stage in the key. Only the sessions are per
    person, and read every time."""
    cycle = team.current_cycle
    if cycle is None or cycle.is_completed:
        return None
    stage = cycle.current_stage
    words = question_words(cycle, team)
    version = getattr(cycle, "suggestions_version", None)
    if version is None:
        studies = _suggested_studies(team, stage, words)
    else:
        digest = hashlib.blake2b(repr(words).encode(), digest_size=16).hexdigest()
        studies = _suggestions.get(
            f"{team.pk}:{team.school_id}:{stage.code}:{version}:{digest}:{get_language()}",
            lambda: _suggested_studies(team, stage, words),
            list,
        )
    return Inspiration(stage=stage, studies=studies, sessions=_sessions(team, stage, user))


def _suggested_studies(team: ResearchTeam, stage: CycleStage, words: list[str]) -> list[Suggestion]:
    ranked = _ranked_ids(team, words)
    example_field, example_label = STAGE_FIELDS.get(stage.code, ("", ""))
    shown = (*CARD_FIELDS, example_field) if example_field else CARD_FIELDS
    studies = {
        s.pk: s
        for s in kept_list(
            "inspiration.cards", _cards, shape={"shown": shown}, ids=[pk for pk, *_ in ranked]
        )
    }
    return [
        Suggestion(
            study=studies[pk],
            shares_theme=shares,
            similar_text=similar,
            example_label=str(example_label),
            example=getattr(studies[pk], example_field, "") if example_field else "",
        )
        for pk, shares, similar in ranked
        if pk in studies
    ]
