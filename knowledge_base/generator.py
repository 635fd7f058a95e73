"""Realistic Dutch studies in bulk, for load tests and the benchmark (never for demo data).

Used by ``manage.py generate_studies``. Texts are assembled from phrases a Flemish
research team would write, so word frequencies look like real studies: a few very
common words (leerlingen, school), many medium ones, some rare ones.
"""

import datetime
import random
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from partnership.models import Institution, Partnership, SchoolYear
from research_cycle.models import Perspective
from schools.models import School

from .models import Study, Theme

THEMES = [
    ("leesmotivatie", "Leesmotivatie", "Reading motivation"),
    ("feedback", "Feedback", "Feedback"),
    ("differentiatie", "Differentiatie", "Differentiation"),
    ("ouderbetrokkenheid", "Ouderbetrokkenheid", "Parental involvement"),
    ("welbevinden", "Welbevinden", "Well-being"),
    ("meertaligheid", "Meertaligheid", "Multilingualism"),
    ("formatief-evalueren", "Formatief evalueren", "Formative assessment"),
    ("samenwerkend-leren", "Samenwerkend leren", "Cooperative learning"),
    ("klasmanagement", "Klasmanagement", "Classroom management"),
    ("stem", "STEM", "STEM"),
    ("burgerschap", "Burgerschap", "Citizenship"),
    ("digitale-geletterdheid", "Digitale geletterdheid", "Digital literacy"),
]
CITIES = [
    "Anderlecht", "Brussel", "Molenbeek", "Schaarbeek", "Jette", "Elsene", "Etterbeek",
    "Sint-Gillis", "Vorst", "Ukkel", "Laken", "Koekelberg", "Ganshoren", "Evere",
    "Vilvoorde", "Halle", "Dilbeek", "Asse", "Grimbergen", "Zaventem", "Machelen",
    "Sint-Pieters-Leeuw", "Aalst", "Mechelen", "Leuven",
]  # fmt: skip
TOPICS = [
    ("leesmotivatie", "de leesmotivatie", "begrijpend lezen", "leesplezier"),
    ("feedback", "feedback", "peerfeedback", "feedbackgesprekken"),
    ("differentiatie", "differentiatie", "niveaugroepen", "uitdaging voor sterke leerlingen"),
    ("ouderbetrokkenheid", "ouderbetrokkenheid", "oudercontacten", "huiswerkbegeleiding"),
    ("welbevinden", "het welbevinden", "pesten", "klasklimaat"),
    ("meertaligheid", "meertaligheid", "thuistalen", "woordenschat"),
    ("formatief-evalueren", "formatief evalueren", "succescriteria", "exit tickets"),
    ("samenwerkend-leren", "samenwerkend leren", "groepswerk", "coöperatieve werkvormen"),
    ("klasmanagement", "klasmanagement", "overgangsmomenten", "klasafspraken"),
    ("stem", "STEM-onderwijs", "onderzoekend leren", "programmeren"),
    ("burgerschap", "burgerschap", "leerlingenparticipatie", "filosoferen met kinderen"),
    ("digitale-geletterdheid", "digitale geletterdheid", "mediawijsheid", "tablets in de klas"),
]
GROUPS = [
    "het eerste leerjaar", "het derde leerjaar", "het vijfde leerjaar", "de kleuterklas",
    "de eerste graad", "de tweede graad", "het beroepsonderwijs", "de onthaalklas (OKAN)",
]  # fmt: skip
QUESTIONS = [
    "Hoe kunnen we {a} in {g} versterken met {b}?",
    "Welk effect heeft {b} op {a} in {g}?",
    "Wat werkt om {c} in {g} beter te laten verlopen?",
    "Hoe ervaren leerlingen en leerkrachten {b} in {g}?",
]
TITLES = [
    "{A} in {g}: wat werkt?",
    "Meer {c} in {g}",
    "{B} als hefboom voor {a}",
    "Samen onderzoeken: {a} in {g}",
    "Van dilemma naar actie: {b} in {g}",
]
SUMMARIES = [
    "Ons onderzoeksteam merkte dat {a} in {g} onder druk stond. ",
    "Leerkrachten, student-leraren en de bruggenbouwer zochten samen uit hoe {b} kan helpen. ",
    "We bevroegen leerlingen, ouders en collega's en observeerden lessen gedurende zes weken. ",
    "Na een literatuurstudie over {c} probeerden we een nieuwe aanpak uit in de klas. ",
    "De resultaten tonen dat korte, haalbare acties het verschil maken. ",
    "Het schoolteam nam de aanbevelingen op in het schoolbeleid. ",
]
FINDINGS = [
    "Leerlingen gaven aan dat {b} hen meer houvast geeft.",
    "De observaties toonden meer betrokkenheid tijdens {c}.",
    "Ouders reageerden positief, maar de tijdsinvestering bleef een drempel.",
    "Vooral zwakkere lezers en anderstalige nieuwkomers profiteerden van de aanpak.",
    "De effecten waren kleiner in {g} dan we hadden verwacht.",
    "Collega's gebruiken de werkvorm intussen ook in andere klassen.",
]
LESSONS = [
    "Begin klein en betrek het hele schoolteam van bij de start.",
    "Plan vaste momenten om data samen te analyseren.",
    "Student-leraren brengen frisse ideeën en nieuwe literatuur binnen.",
    "Een duidelijke onderzoeksvraag houdt het project haalbaar.",
    "Deel tussentijdse resultaten met leerlingen en ouders.",
]


def _fill(template: str, topic, group: str) -> str:
    _, a, b, c = topic
    return template.format(a=a, b=b, c=c, g=group, A=a[:1].upper() + a[1:], B=b[:1].upper() + b[1:])


def ensure_themes() -> dict[str, Theme]:
    themes = {}
    for slug, name_nl, name_en in THEMES:
        themes[slug], _ = Theme.objects.get_or_create(
            slug=slug, defaults={"name_nl": name_nl, "name_en": name_en}
        )
    return themes


def _ensure_context(rng: random.Random):
    institution, _ = Institution.objects.get_or_create(
        name="Lerarenopleiding Generator", defaults={"city": "Brussel"}
    )
    partnership, _ = Partnership.objects.get_or_create(
        name="Generatornetwerk", defaults={"institution": institution}
    )
    schools = []
    for number, city in enumerate(CITIES):
        level = School.Level.PRIMARY if number % 3 else School.Level.SECONDARY
        school, _ = School.objects.get_or_create(
            institution_number=f"G{number:05d}",
            defaults={
                "partnership": partnership,
                "name": f"{'Basisschool' if level == 'primary' else 'Atheneum'} {city} {number}",
                "level": level,
                "city": city,
            },
        )
        schools.append(school)
    years = []
    for start in range(2016, 2026):
        year, _ = SchoolYear.objects.get_or_create(
            name=f"{start}-{start + 1}",
            defaults={
                "starts_on": datetime.date(start, 9, 1),
                "ends_on": datetime.date(start + 1, 6, 30),
            },
        )
        years.append(year)
    return schools, years


def generate_studies(*, count: int, batch_size: int = 2000, unpublished_share: float = 0.05,
                     seed: int = 1) -> int:  # fmt: skip
    """Create ``count`` studies (a share unpublished) with 1-3 themes each; returns
    the number of published ones."""
    rng = random.Random(seed)
    themes = ensure_themes()
    schools, years = _ensure_context(rng)
    now = timezone.now()
    run = uuid.uuid4().hex[:6]
    Through = Study.themes.through
    published = 0
    for start in range(0, count, batch_size):
        studies, theme_slugs = [], []
        for number in range(start, min(count, start + batch_size)):
            topic = rng.choice(TOPICS)
            other = rng.choice(TOPICS)
            group = rng.choice(GROUPS)
            school = rng.choice(schools)
            year_index = rng.randrange(len(years))
            title = _fill(rng.choice(TITLES), topic, group)
            is_published = rng.random() >= unpublished_share
            published += is_published
            published_at = now - datetime.timedelta(
                days=(len(years) - year_index) * 365 - rng.randrange(300), minutes=number
            )
            studies.append(
                Study(
                    slug=f"{slugify(title)[:90]}-{run}{number:06d}",
                    status=Study.Status.PUBLISHED if is_published else Study.Status.DRAFT,
                    title=title,
                    summary="".join(
                        _fill(t, topic, group) for t in rng.sample(SUMMARIES, 4)
                    ).strip(),
                    school=school,
                    school_year=years[year_index],
                    school_level=school.level,
                    city=school.city,
                    dilemma=_fill("Hoe gaan we om met {a} in {g}?", topic, group),
                    research_question=_fill(rng.choice(QUESTIONS), topic, group),
                    perspectives=rng.sample(Perspective.values, rng.randint(1, 4)),
                    methods="Vragenlijsten, observaties en focusgesprekken.",
                    findings=" ".join(_fill(t, topic, group) for t in rng.sample(FINDINGS, 3)),
                    action_and_effect=_fill(
                        "We voerden {b} in en volgden het effect op.", other, group
                    ),  # fmt: skip
                    lessons=" ".join(rng.sample(LESSONS, 2)),
                    published_at=published_at if is_published else None,
                )
            )
            extra = rng.sample([t[0] for t in THEMES], rng.randint(0, 2))
            theme_slugs.append({topic[0], *extra})
        with transaction.atomic():
            created = Study.objects.bulk_create(studies)
            Through.objects.bulk_create(
                [
                    Through(study_id=study.pk, theme_id=themes[slug].pk)
                    for study, slugs in zip(created, theme_slugs, strict=True)
                    for slug in slugs
                ]
            )
    return published
