"""A team in stage 4 (inspiration) working on reading motivation, and a library
around it: studies of other schools on its theme or close to its question, its own
school's work (published and not), and other schools' unpublished drafts, each
unpublished one carrying the marker ``Geheimwoord``."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from knowledge_base.models import Study, Theme
from network_sessions.models import NetworkSession
from research_cycle.models import CycleStage, ResearchCycle
from tests import factories
from tests.knowledge_base.conftest import make_study


@dataclass
class Library:
    stage: CycleStage
    cycle: ResearchCycle
    themes: dict
    on_theme: Study
    similar: Study
    unrelated: Study
    own_published: Study
    hidden: list


def start_cycle_at(team, order: int) -> ResearchCycle:
    stage = CycleStage.objects.get(order=order)
    now = timezone.now()
    cycle = ResearchCycle.objects.create(
        team=team, current_stage=stage, stage_entered_at=now, started_at=now
    )
    team.current_cycle = cycle
    team.save(update_fields=["current_cycle"])
    return cycle


@pytest.fixture
def library(network) -> Library:
    themes = {
        slug: Theme.objects.update_or_create(slug=slug, defaults={"name_nl": nl, "name_en": en})[0]
        for slug, nl, en in [
            ("leesmotivatie", "Leesmotivatie", "Reading motivation"),
            ("welbevinden", "Welbevinden", "Well-being"),
            ("feedback", "Feedback", "Feedback"),
        ]
    }
    team = network.team
    team.themes.set([themes["leesmotivatie"]])
    cycle = start_cycle_at(team, 4)
    cycle.research_question = "Hoe versterken boekenkringen het leesplezier van kleuters?"
    cycle.save()
    far = factories.SchoolFactory(partnership=network.partnership, name="Basisschool Verweg")
    on_theme = make_study(
        school=network.other_school,
        school_year=network.school_year,
        themes=[themes["leesmotivatie"]],
        title="Voorlezen door oudere leerlingen",
        research_question="Versterkt voorlezen de leesmotivatie?",
        methods="Een vragenlijst leesmotivatie en observaties in de klas.",
        inspiration="Artikels over leesmotivatie van Vansteenkiste.",
    )
    similar = make_study(
        school=far,
        school_year=network.school_year,
        themes=[themes["feedback"]],
        title="Boekenkringen bij kleuters",
        summary="Boekenkringen en leesplezier bij kleuters.",
        research_question="Wat doen boekenkringen met het leesplezier van kleuters?",
        methods="Kringgesprekken opnemen en tekeningen van kleuters verzamelen.",
    )
    unrelated = make_study(
        school=far,
        school_year=network.school_year,
        themes=[themes["welbevinden"]],
        title="Rust op de speelplaats",
        summary="Conflicten op de speelplaats verminderen.",
        research_question="Minder ruzie na de middagpauze?",
    )
    own_published = make_study(
        school=network.school,
        school_year=network.school_year,
        themes=[themes["leesmotivatie"]],
        title="Eigen school: boekenkringen en leesplezier",
        research_question="Boekenkringen en leesplezier bij kleuters?",
    )
    hidden = [
        make_study(
            school=school,
            school_year=network.school_year,
            themes=[themes["leesmotivatie"]],
            status=status,
            title=f"Geheimwoord {status} boekenkringen leesplezier kleuters",
            research_question="Geheimwoord: boekenkringen leesplezier kleuters?",
        )
        for school in (network.school, network.other_school)
        for status in (Study.Status.DRAFT, Study.Status.SUBMITTED)
    ]
    return Library(
        stage=cycle.current_stage,
        cycle=cycle,
        themes=themes,
        on_theme=on_theme,
        similar=similar,
        unrelated=unrelated,
        own_published=own_published,
        hidden=hidden,
    )


def make_session(network, *, kind, title, days=7, stages=(), themes=(), **fields):
    """A session the whole home school is invited to."""
    starts_at = timezone.now() + datetime.timedelta(days=days)
    session = NetworkSession.objects.create(
        kind=kind,
        title=title,
        school_year=network.school_year,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        organiser=network.people["bridge_builder"],
        **fields,
    )
    session.audience_schools.add(network.school)
    session.stages.set(stages)
    session.themes.set(themes)
    return session
