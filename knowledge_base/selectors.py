"""Reads for the public knowledge base: result cards and related studies. What
is public at all (published studies, agreed authors) is ``public.py``'s rule."""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Count, F, OuterRef, Q, QuerySet, StringAgg, Subquery, TextField, Value
from django.db.models.functions import Cast, JSONArray
from django.urls import reverse
from django.utils.safestring import SafeString

from access.roles import is_network_admin, is_signed_in
from access.scope import in_years, scope_of
from config.kept_query import kept_list
from research_cycle.models import ResearchTeam, TeamRole, _in_language
from research_cycle.permissions import visible_team_filter, visible_team_values
from schools.models import Role

from .models import Study, Theme, school_level_label
from .public import is_named


class CardTheme(NamedTuple):
    """A theme as a card (or a facet) shows it; ``name`` as ``Theme.name``."""

    pk: int | None
    slug: str
    name_nl: str
    name_en: str

    @property
    def name(self) -> str:
        return _in_language(self, "name")


@dataclass
class LibraryCard:
    """A published study as the library lists it (``/studies/``, the list API): a
    read model with just what a result card shows, built from one ``values()``
    query instead of full model instances (which cost a third of a result page)."""

    pk: int
    slug: str
    title: str
    summary: str
    language: str
    school_level: str
    city: str
    perspectives: list
    published_at: datetime.datetime
    school_year_name: str
    themes: list[CardTheme | Theme] = field(default_factory=list)
    school_name: str = ""
    school_slug: str | None = None
    headline: str | None = None
    title_headline: str | None = None
    snippet: SafeString | None = None  # set by the search, from the headline
    marked_title: SafeString | None = None  # the title with the search's words marked
    url: str = ""
    school_url: str = ""  # the school's public page (issue 15), when it has a slug
    level_label: str = ""
    theme_names: list[str] = field(default_factory=list)

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def theme_links(self) -> list[tuple[CardTheme | Theme, str]]:
        """Each theme with its name in the reader's language (for its filter link)."""
        return list(zip(self.themes, self.theme_names, strict=False))

    @classmethod
    def of(cls, study: Study) -> "LibraryCard":
        """The card of one study read in full (its themes prefetched or not)."""
        card = cls(
            **{name: getattr(study, name) for name in _CARD_FIELDS},
            school_year_name=study.school_year.name if study.school_year else "",
            themes=list(study.themes.all()),
        )
        _prepare_cards([card])
        return card


_CARD_FIELDS = (
    "pk",
    "slug",
    "title",
    "summary",
    "language",
    "school_level",
    "city",
    "perspectives",
    "published_at",
)


def library_cards(
    ids: list[int],
    *,
    words: str = "",
    headlines: Callable[[str], dict[str, Any]] | None = None,
) -> list[LibraryCard]:
    """The published studies ``ids``, in that order, as result cards with their
    themes (by Dutch name), URL and labels in the reader's language. Two queries:
    the studies (through ``Study.objects.published()``), their themes; both
    compiled once per process (``config.kept_query``). ``headlines(words)``: the
    expressions annotated as ``headline`` (the search snippet) and
    ``title_headline`` (the title with the words marked)."""
    if not ids:
        return []
    marked = {"words": words} if headlines else {}
    cards = {}
    for row in kept_list(
        "library.cards", _card_rows, ids=ids, shape={"headlines": headlines}, **marked
    ):
        themes = row.pop("theme_rows")
        card = cards[row["pk"]] = LibraryCard(**row)
        if themes:
            card.themes = sorted(
                (CardTheme(*theme) for theme in json.loads(f"[{themes}]")),
                key=lambda theme: theme.name_nl,
            )
    _prepare_cards(list(cards.values()))
    return [cards[pk] for pk in ids if pk in cards]


def _card_rows(
    *, ids: list[int], headlines: Callable[[str], dict[str, Any]] | None, words: str = ""
) -> QuerySet:
    rows = Study.objects.published().filter(pk__in=ids).order_by()  # put in order above
    marks = headlines(words) if headlines else {}
    return (
        rows.annotate(**marks)
        .annotate(
            school_year_name=F("school_year__name"),
            school_name=F("school__name"),
            school_slug=F("school__slug"),
            theme_rows=Subquery(_card_themes()),
        )
        .values(
            *_CARD_FIELDS, "school_year_name", "school_name", "school_slug", "theme_rows", *marks
        )
    )


def _card_themes() -> QuerySet:
    """A card's themes in its own row (one round trip for the page, not two), as
    JSON arrays ``[id, slug, name_nl, name_en]`` joined by commas: JSON keeps any
    character of a name, and ``StringAgg`` and ``JSONArray`` are the same on every
    database."""
    theme = JSONArray("theme_id", "theme__slug", "theme__name_nl", "theme__name_en")
    return (
        Study.themes.through.objects.filter(study_id=OuterRef("pk"))
        .order_by()
        .values("study_id")
        .annotate(rows=StringAgg(Cast(theme, TextField()), delimiter=Value(",")))
        .values("rows")  # type: ignore[misc]  # django-stubs does not see the annotation
    )


def _prepare_cards(cards: list[LibraryCard]) -> None:
    """What a card shows, worked out once per page rather than once per card in the
    template (a URL reversed, labels translated): ``url``, ``level_label`` and
    ``theme_names`` in the reader's language, ``school_url``."""
    placeholder = "slug-placeholder"
    url = reverse("knowledge_base:study_detail", kwargs={"slug": placeholder})
    school_url = reverse("schools:public_detail", kwargs={"slug": placeholder})
    levels, names = {}, {}
    for card in cards:
        card.url = url.replace(placeholder, card.slug)
        if card.school_slug:
            card.school_url = school_url.replace(placeholder, card.school_slug)
        if card.school_level not in levels:
            levels[card.school_level] = school_level_label(card.school_level)
        card.level_label = levels[card.school_level]
        for theme in card.themes:
            if theme.pk not in names:
                names[theme.pk] = theme.name
        card.theme_names = [names[theme.pk] for theme in card.themes]


def studies_awaiting_review(user, *, limit: int | None = 10) -> list[Study]:
    """The studies waiting for this person's review, oldest change first: at most
    ``limit`` on the dashboard, all of them (``None``) on the studies page."""
    if not is_signed_in(user):
        return []
    if is_network_admin(user):
        return kept_list("studies.awaiting_all", _awaiting, shape={"limit": limit})
    # As ``Study.objects.awaiting_review_by``, over the person's scope; nothing to
    # ask when they are no bridge-builder anywhere.
    scope = scope_of(user)
    teams = scope.team_ids([Role.BRIDGE_BUILDER])
    schools = scope.schools_by_year([Role.BRIDGE_BUILDER])
    if not teams and not schools:
        return []
    return kept_list(
        "studies.awaiting", _awaiting, teams=teams, schools=schools, shape={"limit": limit}
    )


def manageable_studies(user) -> list[Study]:
    """The studies this person may see on the staff pages, in every status (as
    ``Study.objects.visible_to``), most recently changed first, with how many
    authors there are and how many agreed to be named."""
    if not is_signed_in(user):
        return []
    if is_network_admin(user):
        return kept_list("studies.manageable", _manageable, shape={"everything": True})
    return kept_list(
        "studies.manageable", _manageable, shape={"everything": False}, **visible_team_values(user)
    )


def _manageable(*, everything: bool, **visible: Any) -> QuerySet[Study]:
    studies = Study.objects.all()
    if not everything:
        studies = studies.filter(visible_team_filter(**visible, prefix="team__"))
    return (
        studies.select_related("school", "school_year")
        .annotate(
            author_count=Count("authors", distinct=True),
            agreed_count=Count("authors", filter=is_named("authors__"), distinct=True),
        )
        .order_by("-updated_at")
    )


def coached_teams_in_cycle(user) -> list[Any]:
    """The teams this person coaches that have a cycle to make a study draft from."""
    if not is_signed_in(user):
        return []
    ids = scope_of(user).team_ids([TeamRole.COACH])
    return kept_list("studies.coached_teams", _coached_teams, ids=ids) if ids else []


def _coached_teams(*, ids: list[int]) -> QuerySet[Any]:
    return (
        ResearchTeam.objects.filter(pk__in=ids, current_cycle__isnull=False)
        .select_related("school", "school_year")
        .order_by("school__name", "theme", "pk")
    )


def _awaiting(
    *, limit: int | None, teams: list[int] | None = None, schools: dict | None = None
) -> QuerySet[Study]:
    studies = Study.objects.filter(status=Study.Status.SUBMITTED)
    if teams is not None:
        studies = studies.filter(
            Q(team__in=teams)
            | in_years(schools or {}, ids="team__school_id", year="team__school_year_id")
        )
    return studies.select_related("school", "school_year").order_by("updated_at")[:limit]


def related_studies(study: Study, *, limit: int = 4) -> list[Study]:
    """Other published studies sharing a theme, newest first."""
    theme_ids = [theme.pk for theme in study.themes.all()]
    if not theme_ids:
        return []
    return list(
        Study.objects.published()
        .filter(themes__in=theme_ids)
        .exclude(pk=study.pk)
        .select_related("school", "school_year")
        .distinct()
        .order_by("-published_at")[:limit]
    )
