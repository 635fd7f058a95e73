"""Demo studies for the knowledge base: published studies of the demo schools, one
under review and one withdrawn, each with a real PDF (title and summary) made
with reportlab. Idempotent: a study whose title exists is left alone.

Everything goes through the services, so the demo also has a review trail.
"""

import datetime
import io
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from . import services
from .demo_content import STUDIES, SUBMITTED, WITHDRAWAL_NOTE, WITHDRAWN
from .models import Study, StudyFile, Theme


def study_pdf(*, title: str, school: str, year: str, summary: str, sections=()) -> bytes:
    """A small but real PDF report: title, school and year, summary, sections."""
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, author=school)
    story = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(escape(f"{school} · {year}"), styles["Italic"]),
        Spacer(1, 12),
        Paragraph(escape(summary), styles["BodyText"]),
    ]
    for heading, text in sections:
        story += [
            Spacer(1, 8),
            Paragraph(escape(heading), styles["Heading2"]),
            Paragraph(escape(text), styles["BodyText"]),
        ]
    document.build(story)
    return buffer.getvalue()


def _school_year_for(network, offset: int):
    return network.school_year if offset == 0 else network.previous_year


def _create(network, spec, *, team=None) -> Study:
    (school_index, year_offset, language, theme_slugs, title, summary, dilemma, question,
     inspiration, perspectives, methods, findings, action, lessons, authors) = spec  # fmt: skip
    admin = network.people["admin"]
    school = network.schools[school_index]
    school_year = _school_year_for(network, year_offset)
    study = services.study_create(
        user=admin,
        school=school,
        school_year=school_year,
        themes=Theme.objects.filter(slug__in=theme_slugs),
        title=title,
        summary=summary,
        language=language,
        dilemma=dilemma,
        research_question=question,
        inspiration=inspiration,
        perspectives=perspectives,
        methods=methods,
        findings=findings,
        action_and_effect=action,
        lessons=lessons,
    )
    if team is not None:
        Study.objects.filter(pk=study.pk).update(team=team)
        study.team = team
    pdf = study_pdf(
        title=title,
        school=school.name,
        year=school_year.name,
        summary=summary,
        sections=[("Bevindingen" if language == "nl" else "Findings", findings)],
    )
    kind = StudyFile.Kind.POSTER if school_index % 3 == 0 else StudyFile.Kind.REPORT
    name = ("poster" if kind == StudyFile.Kind.POSTER else "rapport") + f"-{school_index + 1}.pdf"
    services.study_file_add(study=study, user=admin, upload=ContentFile(pdf, name=name), kind=kind)
    for name in authors:
        author = services.study_author_add(study=study, user=admin, name=name, language=language)
        services.study_author_answer(author=author, agreed=True)
    services.study_submit(study=study, user=admin)
    return study


def _publish(network, study: Study, when: datetime.datetime) -> Study:
    study = services.study_publish(
        study=study,
        user=network.people["admin"],
        no_identifiable_people=True,
        consent_for_data=True,
    )
    # Spread the demo over the years the studies were done in.
    Study.objects.filter(pk=study.pk).update(published_at=when)
    return study


def _ensure_themes() -> None:
    """The themes come from a data migration; a flushed test database has none."""
    from importlib import import_module

    migration = import_module("knowledge_base.migrations.0002_author_language_and_themes")
    for slug, name_nl, name_en in migration.THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name_nl": name_nl, "name_en": name_en})


def seed(network) -> None:
    _ensure_themes()
    existing = set(Study.objects.values_list("title", flat=True))
    for index, spec in enumerate(STUDIES):
        if spec[4] in existing:
            continue
        study = _create(network, spec)
        ends_on = _school_year_for(network, spec[1]).ends_on
        when = timezone.make_aware(
            datetime.datetime.combine(ends_on, datetime.time(10)) - datetime.timedelta(days=index)
        )
        _publish(network, study, min(when, timezone.now() - datetime.timedelta(days=index)))
    if SUBMITTED[4] not in existing:
        # Under review for the home team: the demo bridge-builder can review it.
        _create(network, SUBMITTED, team=network.home_team)
    if WITHDRAWN[4] not in existing:
        study = _create(network, WITHDRAWN)
        study = _publish(network, study, timezone.now() - datetime.timedelta(days=200))
        services.study_withdraw(study=study, user=network.people["admin"], note=WITHDRAWAL_NOTE)
