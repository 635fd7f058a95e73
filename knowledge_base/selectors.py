"""Reads for the public knowledge base. Every public surface (detail page, list,
search, feed, API, OAI-PMH, sitemap) starts from ``public_studies()``."""

from django.db.models import Prefetch, QuerySet

from .models import Study, StudyAuthor, Theme


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


def library_rows() -> QuerySet[Study]:
    """Published studies as the library lists them (``/studies/``, the list API)."""
    return (
        Study.objects.published()
        .select_related("school_year")
        .only(*LIST_FIELDS)
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name_nl")))
    )


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
