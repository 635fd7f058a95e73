"""Demo data for ``seed_demo``: a short quality framework written for this project
(six criteria around the article's building blocks and pillars) and a filled-in
review of last year: the coordinators' scores with comments, and the needs of
several schools. Idempotent: rows are found again by their natural keys."""

from schools.models import School

from .models import Criterion, CriterionScore, Framework, SchoolNeeds, SelfAssessment, SupportKind

FRAMEWORK = (
    "Kwaliteit van het partnerschap (demo)",
    "Quality of the partnership (demo)",
    "Een kort kader, geschreven voor Leerbrug, rond de bouwstenen van partnerschap 2.0.",
    "A short framework written for Leerbrug, around the building blocks of partnership 2.0.",
)

# (title nl, title en, description nl, description en, score, comment)
CRITERIA = [
    (
        "Samen onderzoeken",
        "Researching together",
        "Elke partnerschool heeft een onderzoeksteam dat een volledige cyclus doorloopt.",
        "Every partner school has a research team that goes through a whole cycle.",
        3,
        "De meeste teams ronden hun cyclus af; twee scholen stopten na de dataverzameling.",
    ),
    (
        "Samen leren",
        "Learning together",
        "Coaches en bruggenbouwers leren van elkaar in het lerend netwerk.",
        "Coaches and bridge-builders learn from each other in the learning network.",
        3,
        "Goede opkomst op de lerende netwerken; de reflectiesessies kunnen beter.",
    ),
    (
        "Samen opleiden",
        "Training together",
        "Student-leraren, starters en zij-instromers worden samen begeleid.",
        "Student teachers, starting teachers and career changers are guided together.",
        2,
        "Stages lopen goed; de begeleiding van zij-instromers is nog te weinig afgestemd.",
    ),
    (
        "Krachtig schoolleiderschap",
        "Strong school leadership",
        "Schoolleiders leren samen in PLG's en verankeren het onderzoek in het beleid.",
        "School leaders learn together in learning communities and anchor research in policy.",
        2,
        "Vier PLG's draaien; de verankering in het schoolbeleid verschilt sterk per school.",
    ),
    (
        "Wederkerigheid",
        "Reciprocity",
        "Wat elke partner bijdraagt en terugkrijgt, staat op papier en gebeurt ook.",
        "What each partner contributes and gets back is written down and happens.",
        3,
        "De afspraken staan op papier; we meten nog niet alles wat we afspreken.",
    ),
    (
        "Samen monitoren",
        "Monitoring together",
        "Het partnerschap volgt samen op wat werkt, met cijfers en met verhalen.",
        "The partnership follows up together on what works, with figures and stories.",
        1,
        "Dit jaar voor het eerst een jaarlijkse terugblik; de metingen starten volgend jaar.",
    ),
]

# (index in the demo schools, kinds of support, wishes)
NEEDS = [
    (
        0,
        [SupportKind.TRAINING, SupportKind.RESEARCH_SUPPORT, SupportKind.INDUCTION],
        "Een vorming over data verzamelen bij kleuters, en begeleiding voor onze twee starters.",
    ),
    (1, [SupportKind.PLACEMENTS], "Graag drie student-leraren in de derde graad."),
    (
        2,
        [SupportKind.KNOWLEDGE_SESSIONS, SupportKind.LEADERSHIP],
        "Een kennissessie over meertaligheid; onze nieuwe directeur wil in een PLG.",
    ),
    (17, [SupportKind.RESEARCH_SUPPORT, SupportKind.PLACEMENTS], "Hulp bij de analyse van data."),
    (20, [SupportKind.TRAINING], "Een zomerschool over feedback geven."),
]


def demo_framework() -> Framework:
    name_nl, name_en, description_nl, description_en = FRAMEWORK
    framework, _ = Framework.objects.get_or_create(
        name_nl=name_nl,
        defaults={
            "name_en": name_en,
            "description_nl": description_nl,
            "description_en": description_en,
        },
    )
    for order, (title_nl, title_en, text_nl, text_en, _score, _comment) in enumerate(CRITERIA, 1):
        Criterion.objects.get_or_create(
            framework=framework,
            order=order,
            defaults={
                "title_nl": title_nl,
                "title_en": title_en,
                "description_nl": text_nl,
                "description_en": text_en,
            },
        )
    return framework


def seed(network) -> None:
    framework = demo_framework()
    year = network.previous_year
    assessment, _ = SelfAssessment.objects.get_or_create(
        partnership=network.partnership, school_year=year, defaults={"framework": framework}
    )
    scorer = network.people["process_facilitator"]
    criteria = list(framework.criteria.order_by("order"))
    for criterion, (*_texts, score, comment) in zip(criteria, CRITERIA, strict=True):
        CriterionScore.objects.get_or_create(
            assessment=assessment,
            criterion=criterion,
            defaults={"score": score, "comment": comment, "scored_by": scorer},
        )
    schools: list[School] = network.schools
    for index, support, wishes in NEEDS:
        SchoolNeeds.objects.get_or_create(
            school=schools[index],
            school_year=year,
            defaults={
                "support": [str(kind) for kind in support],
                "wishes": wishes,
                "filled_by": network.people["school_leader"] if index == 0 else None,
            },
        )
