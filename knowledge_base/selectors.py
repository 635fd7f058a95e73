"""Reads for the public knowledge base. Every public surface (detail page, list,
search, feed, API, OAI-PMH, sitemap) starts from ``public_studies()``."""

from django.db import connections
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import get_language

from schools.models import School

from .models import SearchEntry, Study, StudyAuthor, Theme


def agreed_authors_prefetch() -> Prefetch:
    """Only authors who agreed to be named are ever shown in public."""
    return Prefetch(
        "authors",
        queryset=StudyAuthor.objects.filter(consent=StudyAuthor.Consent.AGREED),
        to_attr="public_authors",
    )


def public_studies() -> QuerySet[Study]:
    return (
        Study.objects.published()
        .select_related("school", "school_year", "school__partnership")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name_nl")))
    )


#: What a result card (and the API's list) shows; the long texts stay in the table.
LIST_FIELDS = (
    "slug",
    "status",
    "published_at",
    "title",
    "summary",
    "language",
    "school_level",
    "city",
    "perspectives",
    "school_year__name",
)


def library_rows(ids: list[int], *, headline=None) -> list[Study]:
    """The published studies ``ids`` as the library lists them (``/studies/``, the
    list API), in that order, each with ``theme_list`` (its themes by Dutch name).

    On PostgreSQL the themes come from the search index's theme ids and one small
    query for the themes themselves, instead of a prefetch (a third of the cost of
    a result page). ``headline``: an expression annotated as ``headline``."""
    rows = (
        Study.objects.published()
        .filter(pk__in=ids)
        .select_related("school_year")
        .only(*LIST_FIELDS)
    )
    if headline is not None:
        rows = rows.annotate(headline=headline)
    if connections[rows.db].vendor == "postgresql":
        index = SearchEntry.objects.filter(study=OuterRef("pk")).values("theme_ids")
        studies = list(rows.annotate(theme_ids=Subquery(index)))
        themes = {theme.pk: theme for theme in Theme.objects.all()} if studies else {}
        for study in studies:
            study.theme_list = sorted(
                (themes[pk] for pk in study.theme_ids or () if pk in themes),
                key=lambda theme: theme.name_nl,
            )
    else:
        studies = list(rows.prefetch_related(Prefetch("themes", queryset=Theme.objects.all())))
        for study in studies:
            study.theme_list = list(study.themes.all())
    _prepare_cards(studies)
    position = {pk: index for index, pk in enumerate(ids)}
    return sorted(studies, key=lambda study: position[study.pk])


def _prepare_cards(studies: list[Study]) -> None:
    """What a result card shows, worked out once per page rather than once per card
    in the template (a URL reversed, labels translated): ``card_url``,
    ``level_label`` and ``theme_names`` in the reader's language."""
    placeholder = "slug-placeholder"
    url = reverse("knowledge_base:study_detail", kwargs={"slug": placeholder})
    levels = {value: str(label) for value, label in School.Level.choices}
    english = (get_language() or "nl")[:2] == "en"
    names = {}
    for study in studies:
        study.card_url = url.replace(placeholder, study.slug)
        study.level_label = levels.get(study.school_level, study.school_level)
        for theme in study.theme_list:
            if theme.pk not in names:
                names[theme.pk] = (theme.name_en if english else "") or theme.name_nl
        study.theme_names = [names[theme.pk] for theme in study.theme_list]


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
