"""Reads of the learning-community composer: the facts about every active school
of a partnership that the proposal weighs (``composer.py``), in a fixed number of
queries whatever the number of schools and studies."""

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import User
from knowledge_base.models import Study
from knowledge_base.public import is_public
from knowledge_base.selectors import CardTheme
from research_cycle.models import ResearchTeam
from schools.models import Role, School

from .composer import SchoolFacts, words_of
from .models import LearningCommunity, LearningCommunityMembership, Partnership, SchoolYear

#: The school years before the chosen one whose teams, studies and communities count.
YEARS_BACK = 3


@dataclass
class ComposerData:
    facts: list[SchoolFacts]
    #: Schools already in a community of the chosen year: school id → community name.
    placed: dict[int, str]
    facilitators: list[User]


def years_to_compose() -> QuerySet[SchoolYear]:
    """The current school year and the ones after it (newest last)."""
    current = SchoolYear.objects.current()
    years = SchoolYear.objects.order_by("starts_on")
    return years.filter(starts_on__gte=current.starts_on) if current else years


def default_year(years: list[SchoolYear]) -> SchoolYear | None:
    """Next school year when it exists, else the current one."""
    current = next((y for y in years if y.is_current), None)
    later = [y for y in years if current and y.starts_on > current.starts_on]
    return later[0] if later else current or (years[-1] if years else None)


def composer_facts(partnership: Partnership, school_year: SchoolYear) -> ComposerData:
    schools = list(
        School.objects.active().filter(partnership=partnership).only("name", "level", "city")
    )
    facts = {s.pk: SchoolFacts(pk=s.pk, name=s.name, level=s.level, city=s.city) for s in schools}
    recent = SchoolYear.objects.filter(starts_on__lte=school_year.starts_on).order_by("-starts_on")[
        : YEARS_BACK + 1
    ]
    recent_ids = list(recent.values_list("pk", flat=True))

    team_themes = ResearchTeam.themes.through.objects.filter(
        researchteam__school__in=facts, researchteam__school_year__in=recent_ids
    ).values_list("researchteam__school_id", "theme_id", "theme__name_nl", "theme__name_en")
    study_themes = (
        Study.themes.through.objects.filter(
            study__in=Study.objects.filter(
                is_public(), school__in=facts, school_year__in=recent_ids
            )
        )
        .values_list("study__school_id", "theme_id", "theme__name_nl", "theme__name_en")
        .distinct()
    )
    for school_id, theme_id, name_nl, name_en in [*team_themes, *study_themes]:
        facts[school_id].themes[theme_id] = CardTheme(None, "", name_nl, name_en).name

    for school_id, theme in ResearchTeam.objects.filter(
        school__in=facts, school_year__in=recent_ids
    ).values_list("school_id", "theme"):
        facts[school_id].words |= words_of(theme)
    for school_id, questions in LearningCommunityMembership.objects.filter(
        school__in=facts, community__school_year__in=recent_ids
    ).values_list("school_id", "community__learning_questions"):
        facts[school_id].words |= words_of(questions)

    placed = dict(
        LearningCommunityMembership.objects.filter(
            community__school_year=school_year, community__partnership=partnership
        ).values_list("school_id", "community__name")
    )
    facilitators = list(
        User.objects.filter(
            is_active=True,
            role_memberships__role=Role.PROCESS_FACILITATOR,
            role_memberships__school_year__in=recent_ids,
        )
        .distinct()
        .order_by("full_name")
    )
    return ComposerData(
        facts=[f for f in facts.values() if f.pk not in placed],
        placed=placed,
        facilitators=facilitators,
    )


def existing_communities(partnership: Partnership, school_year: SchoolYear):
    return (
        LearningCommunity.objects.filter(partnership=partnership, school_year=school_year)
        .select_related("process_facilitator")
        .prefetch_related("memberships__school")
    )
