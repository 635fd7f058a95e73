"""Factories and helpers for the publishing tests (studies in every status)."""

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from knowledge_base.demo import study_pdf
from knowledge_base.models import Study, StudyAuthor, StudyFile, Theme
from tests import factories


def pdf_upload(name="rapport.pdf", title="Rapport"):
    return ContentFile(
        study_pdf(title=title, school="School", year="2025-2026", summary="Samenvatting."),
        name=name,
    )


class StudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Study
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Feedback in de klas {n}")
    summary = "Leerkrachten gaven feedback die vooruit kijkt."
    school = factory.SubFactory(factories.SchoolFactory)
    school_year = factory.SubFactory(factories.SchoolYearFactory)
    city = "Anderlecht"
    school_level = "Basisonderwijs"
    dilemma = "Leerlingen lezen de feedback niet."
    research_question = "Helpt één tip per tekst?"
    findings = "Twee derde paste de tip toe."

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create:
            self.themes.set(extracted if extracted is not None else [Theme.objects.first()])


class PublishedStudyFactory(StudyFactory):
    status = Study.Status.PUBLISHED
    slug = factory.Sequence(lambda n: f"feedback-in-de-klas-{n}")
    published_at = factory.LazyFunction(timezone.now)


class StudyAuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyAuthor

    study = factory.SubFactory(StudyFactory)
    name = factory.Sequence(lambda n: f"Auteur Nummer{n}")
    email = factory.Sequence(lambda n: f"auteur{n}@school.test")
    consent = StudyAuthor.Consent.AGREED


class StudyFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyFile

    study = factory.SubFactory(StudyFactory)
    kind = StudyFile.Kind.REPORT
    file = factory.LazyFunction(lambda: pdf_upload())
    original_name = "rapport.pdf"
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: o.file.size)


def team_study(network, **kwargs) -> Study:
    """A study of the network's home team, in the given status."""
    defaults = {"team": network.team, "school": network.school, "school_year": network.school_year}
    factory_class = (
        PublishedStudyFactory
        if kwargs.get("status") in {Study.Status.PUBLISHED, Study.Status.WITHDRAWN}
        else StudyFactory
    )
    return factory_class(**(defaults | kwargs))
