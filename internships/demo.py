"""Demo data of internships (``seed_demo``, after ``placements.demo``): the
institution's rubric, a few weeks of internship log on the running placement of
the demo student teacher at the demo school (some hours confirmed by the mentor,
the latest not yet), a complete mid-term evaluation, and the mentor's training.
Idempotent: what exists is left alone."""

import datetime
from decimal import Decimal

from django.utils import timezone

from partnership.demo import DemoNetwork
from placements.models import Placement

from . import services
from .models import EvaluatorRole, LogEntry, MentorTraining, Moment, Rubric

#: The demo rubric, written for Leerbrug: (Dutch title, English title, Dutch
#: description, English description).
DEMO_CRITERIA = [
    (
        "Lessen voorbereiden",
        "Preparing lessons",
        "Zet doelen voor de leerlingen voorop en kiest werkvormen die erbij passen.",
        "Puts the pupils' learning goals first and chooses activities that fit them.",
    ),
    (
        "Klasklimaat",
        "Classroom climate",
        "Bouwt aan een veilige, rustige klas waarin elke leerling meedoet.",
        "Builds a safe, calm classroom in which every pupil takes part.",
    ),
    (
        "Inspelen op verschillen",
        "Adapting to pupils",
        "Merkt verschillen tussen leerlingen op (taal, tempo, interesse) en speelt erop in.",
        "Notices differences between pupils (language, pace, interest) and responds to them.",
    ),
    (
        "Onderzoekende houding",
        "Inquiring stance",
        "Verzamelt gegevens over de eigen lessen, denkt erover na samen met anderen, stuurt bij.",
        "Collects data on their own lessons, reflects on them with others, adjusts.",
    ),
    (
        "Samenwerken in het schoolteam",
        "Working in the school team",
        "Overlegt met mentor en collega's, vraagt feedback, deelt wat werkt.",
        "Consults the mentor and colleagues, asks for feedback, shares what works.",
    ),
]
#: The levels every demo criterion has: (Dutch label, English label, Dutch
#: description, English description), from the lowest up.
DEMO_LEVELS = [
    (
        "Beginnend",
        "Beginning",
        "Lukt nog vooral samen met de mentor.",
        "Succeeds mostly together with the mentor.",
    ),
    (
        "Groeiend",
        "Developing",
        "Lukt soms, met gerichte tips.",
        "Succeeds at times, with targeted tips.",
    ),
    ("Zelfstandig", "Independent", "Lukt meestal zonder hulp.", "Usually succeeds without help."),
    (
        "Inspirerend",
        "Inspiring",
        "Lukt vlot, collega's leren ervan.",
        "Succeeds with ease; colleagues learn from it.",
    ),
]

REFLECTIONS = [
    "Kennismaking met de klas; meegekeken hoe de mentor de dag start.",
    "Eerste leesles gegeven in kleine groepjes.",
    "Rekenles over breuken: veel vragen bij de instructie, morgen met materiaal.",
    "Observatieopdracht voor het onderzoeksteam afgewerkt.",
    "Kringgesprek geleid; de stille leerlingen kwamen beter aan bod.",
    "Feedback van de mentor op de klasorganisatie verwerkt.",
    "Wereldoriëntatie: buitenles in het park voorbereid.",
]


def seed_rubric(institution) -> Rubric:
    """The institution's rubric in use: the demo rubric when it has none."""
    rubric = Rubric.objects.filter(institution=institution, is_active=True).first()
    if rubric is not None:
        return rubric
    rubric = Rubric.objects.create(institution=institution, name="Stage-evaluatie (demo)")
    for order, (title_nl, title_en, text_nl, text_en) in enumerate(DEMO_CRITERIA, start=1):
        criterion = rubric.criteria.create(
            order=order,
            title_nl=title_nl,
            title_en=title_en,
            description_nl=text_nl,
            description_en=text_en,
        )
        for rank, (label_nl, label_en, level_nl, level_en) in enumerate(DEMO_LEVELS, start=1):
            criterion.levels.create(
                rank=rank,
                label_nl=label_nl,
                label_en=label_en,
                description_nl=level_nl,
                description_en=level_en,
            )
    return rubric


def seed(network: DemoNetwork) -> None:
    rubric = seed_rubric(network.institution)
    mentor = network.people["mentor"]
    if not MentorTraining.objects.filter(mentor=mentor).exists():
        today = timezone.localdate()
        for title, days_ago, hours in [
            ("Basisopleiding mentor", 400, Decimal("12")),
            ("Feedback geven aan student-leraren", 60, Decimal("3")),
        ]:
            services.mentor_training_add(
                mentor=mentor,
                title=title,
                completed_on=today - datetime.timedelta(days=days_ago),
                hours=hours,
                provider="Vrije Universiteit Brussel",
            )
    placement = (
        Placement.objects.filter(
            student=network.people["student_teacher"],
            school=network.home_school,
            state=Placement.State.RUNNING,
        )
        .select_related("period")
        .first()
    )
    if placement is None or placement.log_entries.exists():
        return
    _seed_log(placement, mentor)
    _seed_mid_term(placement, rubric)


def _seed_log(placement: Placement, mentor) -> None:
    """Working days of the last three weeks of the period so far: the hours of all
    but the last week confirmed."""
    today = timezone.localdate()
    period = placement.period
    last = min(today, period.ends_on)
    first = max(period.starts_on, last - datetime.timedelta(days=20))
    days = [
        first + datetime.timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + datetime.timedelta(days=n)).weekday() < 5
    ]
    entries = [
        services.log_entry_save(
            placement=placement,
            span=LogEntry.Span.DAY,
            date=day,
            hours=Decimal("6.5") if day.weekday() != 2 else Decimal("4"),
            reflection=REFLECTIONS[n % len(REFLECTIONS)],
        )
        for n, day in enumerate(days)
    ]
    confirmed = [e for e in entries if e.date < last - datetime.timedelta(days=6)]
    if placement.mentor_id:
        services.hours_confirm(
            placement=placement, entries=confirmed, mentor=placement.mentor or mentor
        )


def _seed_mid_term(placement: Placement, rubric: Rubric) -> None:
    criteria = list(rubric.criteria.prefetch_related("levels"))
    for role, author, ranks, summary in [
        (
            EvaluatorRole.MENTOR,
            placement.mentor,
            [3, 2, 2, 3, 3],
            "Milan bereidt zijn lessen grondig voor en de klas vertrouwt hem. "
            "Volgende stap: vaker differentiëren in de instructie.",
        ),
        (
            EvaluatorRole.BRIDGE_BUILDER,
            placement.bridge_builder,
            [3, 3, 2, 3, 2],
            "Sterke reflecties in het logboek. Betrek de mentor ook bij de analyse "
            "van de observaties voor het onderzoeksteam.",
        ),
    ]:
        if author is None:
            continue
        services.evaluation_save(
            placement=placement,
            moment=Moment.MID_TERM,
            evaluator_role=role,
            author=author,
            levels={
                c.pk: next(level for level in c.levels.all() if level.rank == rank)
                for c, rank in zip(criteria, ranks, strict=False)
            },
            summary=summary,
            submit=True,
        )
