"""Demo data for the knowledge at the right moment (``seed_demo``): the demo teams'
themes in the knowledge base, sessions tagged with stages and themes, a knowledge
injection in the home team's timeline, the partnership's vision and goals, and the
home school's public page showing its current research theme. Idempotent."""

from knowledge_base.models import Study, Theme
from network_sessions.models import NetworkSession
from partnership.models import SchoolYear
from research_cycle.models import CycleStage
from schools.models import SchoolPublicity

from .models import KnowledgeInjection
from .services import injection_send

#: A word of a team's theme → the knowledge base's themes it is about.
THEME_WORDS = {
    "leesmotivatie": ["leesmotivatie"],
    "feedback": ["feedback"],
    "differentiëren": ["differentiatie"],
    "meertalig": ["meertaligheid"],
    "welbevinden": ["welbevinden"],
    "ouderbetrokkenheid": ["ouderbetrokkenheid"],
    "samenwerkend": ["samenwerkend-leren"],
    "rust in de klas": ["klasmanagement"],
}
#: Session title (start) → the stages and themes it is about.
SESSION_TOPICS = {
    "Kennissessie: datageletterdheid": (["data_collection", "analysis"], []),
    "Zomeropleiding leerkracht-coaches": (["question", "inspiration"], ["leesmotivatie"]),
    "Reflectiesessie voor student-leraren": (["evaluation"], []),
}
VISION_NL = (
    "Samen onderzoeken, samen leren, samen onderwijs maken, samen morgen bouwen. "
    "Toekomstige leraren, leraren, lerarenopleiders en onderzoekers doen samen "
    "praktijkgericht onderzoek in de school, zodat professioneel leren een continuüm "
    "wordt van de opleiding tot het einde van de loopbaan, en leraren blijven waar "
    "collega's elkaar steunen."
)
VISION_EN = (
    "Researching together, learning together, making education together, building "
    "tomorrow together. Future teachers, teachers, teacher educators and researchers "
    "do practitioner research together in the school, so that professional learning "
    "becomes a continuum from initial training to the end of a career, and teachers "
    "stay where colleagues support each other."
)
GOALS_NL = (
    "- Samen opleiden: student-leraren, beginnende leraren en zij-instromers groeien mee "
    "in de onderzoeksteams van de scholen.\n"
    "- Krachtig schoolleiderschap: schoolleiders leren samen in professionele "
    "leergemeenschappen van hoogstens vier scholen.\n"
    "- Effectieve professionalisering: een onderzoekscultuur in de hele school, met "
    "datageletterdheid en eigenaarschap over het eigen leren.\n"
    "- Pedagogische afstemming tussen school en lerarenopleiding, met gelijke kansen "
    "en excellentie voor alle leerlingen."
)
GOALS_EN = (
    "- Training together: student teachers, starting teachers and career changers "
    "grow in the schools' research teams.\n"
    "- Strong school leadership: school leaders learn together in professional "
    "learning communities of at most four schools.\n"
    "- Effective professional development: a research culture in the whole school, "
    "with data literacy and ownership of one's own learning.\n"
    "- Pedagogical fit between school and teacher education, with equal opportunities "
    "and excellence for every pupil."
)


def seed(network) -> None:
    # Next school year exists ahead of time, so its learning communities can be composed.
    year = network.school_year
    SchoolYear.objects.get_or_create(
        name=f"{year.starts_on.year + 1}-{year.starts_on.year + 2}",
        defaults={
            "starts_on": year.starts_on.replace(year=year.starts_on.year + 1),
            "ends_on": year.ends_on.replace(year=year.ends_on.year + 1),
        },
    )
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    for team in network.teams.values():
        wording = team.theme.lower()
        slugs = [slug for word, found in THEME_WORDS.items() if word in wording for slug in found]
        team.themes.add(*[themes[slug] for slug in slugs if slug in themes])

    stages = {stage.code: stage for stage in CycleStage.objects.all()}
    for title, (stage_codes, theme_slugs) in SESSION_TOPICS.items():
        for session in NetworkSession.objects.filter(title__startswith=title):
            session.stages.add(*[stages[code] for code in stage_codes if code in stages])
            session.themes.add(*[themes[slug] for slug in theme_slugs if slug in themes])

    partnership = network.partnership
    if not partnership.goals:
        partnership.vision, partnership.vision_en = VISION_NL, VISION_EN
        partnership.goals, partnership.goals_en = GOALS_NL, GOALS_EN
        partnership.save(update_fields=["vision", "vision_en", "goals", "goals_en"])

    SchoolPublicity.objects.get_or_create(
        school=network.home_school, defaults={"show_current_theme": True}
    )

    team = network.home_team
    if team.current_cycle and not KnowledgeInjection.objects.filter(team=team).exists():
        others = Study.objects.published().exclude(school=network.home_school)
        others = others.order_by("-published_at", "-pk")
        study = others.filter(themes__in=team.themes.all()).first() or others.first()
        if study is not None:
            injection_send(
                team=team,
                sender=network.people["bridge_builder"],
                kind=KnowledgeInjection.Kind.STUDY,
                study=study,
                note=(
                    "Deze school verzamelde gegevens bij leerlingen met korte "
                    "klasgesprekken: misschien bruikbaar voor jullie plan?"
                ),
            )
