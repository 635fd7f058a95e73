"""Reads of the knowledge base. Every public surface starts from ``public_studies()``."""

from django.db.models import Prefetch, QuerySet

from .models import Study, Theme


def public_studies() -> QuerySet[Study]:
    """Published studies with what every public listing shows (school year, themes)."""
    return (
        Study.objects.published()
        .select_related("school_year")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name_nl")))
    )
