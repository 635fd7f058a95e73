"""A small public library: published studies with themes, and unpublished ones in
every other state, each carrying the secret word ``geheimwoord`` so a leak shows."""

import datetime
import itertools
from dataclasses import dataclass

import pytest
from django.utils import timezone

from knowledge_base.models import Study, StudyAuthor, Theme
from tests import factories

_slugs = itertools.count(1)


def make_study(*, school, school_year, themes=(), **fields) -> Study:
    number = next(_slugs)
    status = fields.pop("status", Study.Status.PUBLISHED)
    published = status == Study.Status.PUBLISHED
    defaults = {
        "title": f"Studie {number}",
        "summary": "Een onderzoek van een partnerschool.",
        "slug": f"studie-{number}" if published or fields.get("slug") else None,
        "published_at": timezone.now() - datetime.timedelta(days=number) if published else None,
        "city": school.city,
        "school_level": school.level,
    }
    study = Study.objects.create(
        school=school, school_year=school_year, status=status, **{**defaults, **fields}
    )
    study.themes.set(themes)
    return study


@dataclass
class Library:
    themes: dict
    published: list
    unpublished: list
    older_year: object


@pytest.fixture
def library(network) -> Library:
    themes = {
        slug: Theme.objects.update_or_create(slug=slug, defaults={"name_nl": nl, "name_en": en})[0]
        for slug, nl, en in [
            ("leesmotivatie", "Leesmotivatie", "Reading motivation"),
            ("feedback", "Feedback", "Feedback"),
            ("welbevinden", "Welbevinden", "Well-being"),
        ]
    }
    older_year = factories.SchoolYearFactory(name="2023-2024")
    home, other = network.school, network.other_school
    published = [
        make_study(
            school=home,
            school_year=network.school_year,
            themes=[themes["leesmotivatie"]],
            title="Leesmotivatie in het derde leerjaar",
            summary="Hoe versterken we het leesplezier van onze leerlingen met boekenkringen?",
            research_question="Welk effect hebben boekenkringen op de leesmotivatie?",
            findings="Leerlingen lazen vaker vrijwillig.",
            perspectives=["pupils", "parents"],
        ),
        make_study(
            school=other,
            school_year=network.school_year,
            themes=[themes["feedback"], themes["leesmotivatie"]],
            title="Peerfeedback bij schrijfopdrachten",
            summary="Leerlingen geven elkaar feedback op teksten.",
            findings="De leesmotivatie steeg licht, de schrijfkwaliteit duidelijk.",
            perspectives=["pupils", "colleagues"],
        ),
        make_study(
            school=other,
            school_year=older_year,
            themes=[themes["welbevinden"]],
            title="Welbevinden na de overstap naar het secundair",
            summary="Een onderzoek naar het klasklimaat in de eerste graad.",
            lessons="Betrek ouders van bij de start.",
            perspectives=["parents"],
        ),
    ]
    unpublished = [
        make_study(
            school=home,
            school_year=network.school_year,
            themes=[themes["feedback"]],
            status=status,
            title=f"Geheimwoord {status} leesmotivatie",
            summary="Geheimwoord: dit mag nergens publiek verschijnen.",
            city="Geheimstad",
            perspectives=["experts"],
            **extra,
        )
        for status, extra in [
            (Study.Status.DRAFT, {}),
            (Study.Status.SUBMITTED, {}),
            (Study.Status.CHANGES_REQUESTED, {}),
            (
                Study.Status.WITHDRAWN,
                {
                    "slug": "ingetrokken-studie",
                    "withdrawn_at": timezone.now(),
                    "published_at": timezone.now() - datetime.timedelta(days=30),
                },
            ),
        ]
    ]
    StudyAuthor.objects.create(
        study=published[0], name="Sara Peeters", consent=StudyAuthor.Consent.AGREED
    )
    StudyAuthor.objects.create(
        study=published[0], name="Geheime Auteur", consent=StudyAuthor.Consent.DECLINED
    )
    return Library(
        themes=themes, published=published, unpublished=unpublished, older_year=older_year
    )
