"""The rules of every public surface, in one place.

A study is public only while it is published; an author is named in public only
after agreeing to be (and stops being named the moment they withdraw that). Every
public surface reads through this module: the study page, its files and its
citations (APA, BibTeX, RIS, JSON-LD), the library search and its result cards,
the Atom feed, the sitemap, the JSON API and OAI-PMH. ``Study.objects.published()``
is this module's ``is_public()`` too. A test changes these two rules and watches
every surface follow (tests/knowledge_base/test_public_rule.py).
"""

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from .models import Study, StudyAuthor, Theme


def is_public() -> Q:
    """The condition a study meets while the public may read it."""
    return Q(status=Study.Status.PUBLISHED, published_at__isnull=False)


def is_named(prefix: str = "") -> Q:
    """The condition an author meets while the public may read their name
    (``prefix`` to reach the author from another model, e.g. ``"authors__"``)."""
    return Q(**{f"{prefix}consent": StudyAuthor.Consent.AGREED})


def may_be_named(author: StudyAuthor) -> bool:
    """``is_named`` for an author already in memory."""
    return author.consent == StudyAuthor.Consent.AGREED


def public_studies() -> QuerySet[Study]:
    """The published studies with what every public page shows of them."""
    return (
        Study.objects.filter(is_public())
        .select_related("school", "school_year", "school__partnership")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name_nl")))
    )


def _named_authors_prefetch() -> Prefetch:
    named = StudyAuthor.objects.filter(is_named()).order_by("order", "pk")
    return Prefetch("authors", queryset=named, to_attr="public_authors")


def named_authors_of(studies: QuerySet[Study]) -> QuerySet[Study]:
    """The studies with their named authors prefetched (as ``public_authors``)."""
    return studies.prefetch_related(_named_authors_prefetch())


def prefetch_named_authors(studies: list[Study]) -> None:
    """``named_authors_of`` for studies already fetched (e.g. a draft under review,
    shown as it will be published)."""
    prefetch_related_objects(studies, _named_authors_prefetch())


def named_authors(study: Study) -> list[StudyAuthor]:
    """The authors a public surface may name, in their order."""
    if hasattr(study, "public_authors"):
        return list(study.public_authors)
    return list(study.authors.filter(is_named()).order_by("order", "pk"))
