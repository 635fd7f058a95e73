"""Demo data for ``seed_demo``: a team-efficacy questionnaire written for Leerbrug
(not a published scale), two rounds at a few schools, and enough anonymous answers
that the home school shows results and a small school does not. Idempotent: rounds
are found again by school, year, instrument and moment.

The instrument lives here and not in a migration on purpose: a network loads its
own validated scale, and a production database should not start with a demo one.
"""

import datetime
import random

from django.utils import timezone

from accounts.models import User
from schools.models import Role, RoleMembership, School

from .models import Instrument, Invitation, Moment, Round
from .services import response_submit, round_open

LABELS = [
    (1, "helemaal oneens", "strongly disagree"),
    (2, "oneens", "disagree"),
    (3, "eerder oneens", "somewhat disagree"),
    (4, "eerder eens", "somewhat agree"),
    (5, "eens", "agree"),
    (6, "helemaal eens", "strongly agree"),
]

# (subscale nl, en, [(item nl, item en, reverse-scored)])
SUBSCALES = [
    (
        "Elke leerling bereiken",
        "Reaching every pupil",
        [
            (
                "Als team vinden we samen een aanpak voor een leerling die vastloopt.",
                "As a team, we find an approach together for a pupil who gets stuck.",
                False,
            ),
            (
                "Wat we in onze klassen doen, maakt een merkbaar verschil voor de leerlingen "
                "van deze school.",
                "What we do in our classrooms makes a noticeable difference for the pupils "
                "of this school.",
                False,
            ),
            (
                "De thuissituatie van leerlingen bepaalt meer wat ze leren dan wat wij als "
                "team doen.",
                "Pupils' home circumstances decide more of what they learn than what we do "
                "as a team.",
                True,
            ),
            (
                "Samen volgen we de vooruitgang van leerlingen die achterop raken op en "
                "sturen we bij.",
                "Together we follow the progress of pupils who fall behind and adjust what we do.",
                False,
            ),
        ],
    ),
    (
        "Samen aanpakken",
        "Tackling it together",
        [
            (
                "Wanneer een nieuwe aanpak niet meteen werkt, zoeken we samen verder.",
                "When a new approach does not work straight away, we keep looking together.",
                False,
            ),
            (
                "Collega's in dit team delen wat werkt in hun klas.",
                "Colleagues in this team share what works in their classroom.",
                False,
            ),
            (
                "Grote veranderingen lukken in deze school meestal niet, wat we ook proberen.",
                "Big changes rarely succeed in this school, whatever we try.",
                True,
            ),
            (
                "We vertrouwen erop dat we als team ook moeilijke situaties aankunnen.",
                "We trust that as a team we can handle difficult situations too.",
                False,
            ),
        ],
    ),
]


def demo_instrument() -> Instrument:
    """The demo team-efficacy questionnaire (created once)."""
    instrument, created = Instrument.objects.get_or_create(
        name_nl="Teamvertrouwen (demo)",
        defaults={
            "name_en": "Team confidence (demo)",
            "introduction_nl": "Geef bij elke uitspraak aan in welke mate ze klopt voor het "
            "team van je school.",
            "introduction_en": "For each statement, say how far it holds for the team of your "
            "school.",
            # Written for the Leerbrug demo (not a validated scale); neutral words, since
            # the admin shows it in both languages.
            "source": "Leerbrug-demo · CC0 1.0",
            "scale_min": 1,
            "scale_max": 6,
        },
    )
    if created:
        for value, label_nl, label_en in LABELS:
            instrument.scale_labels.create(value=value, label_nl=label_nl, label_en=label_en)
        order = 0
        for position, (name_nl, name_en, items) in enumerate(SUBSCALES, 1):
            subscale = instrument.subscales.create(order=position, name_nl=name_nl, name_en=name_en)
            for text_nl, text_en, reverse in items:
                order += 1
                instrument.items.create(
                    subscale=subscale,
                    order=order,
                    text_nl=text_nl,
                    text_en=text_en,
                    reverse_scored=reverse,
                )
    return instrument


def _teachers(school: School, school_year, count: int, prefix: str) -> None:
    """Extra demo teachers (no password: they only answer through their link)."""
    for number in range(1, count + 1):
        user, created = User.objects.get_or_create(
            email=f"{prefix}-{number}@demo.test",
            defaults={"full_name": f"Leerkracht {prefix.title()} {number}"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        RoleMembership.objects.get_or_create(
            user=user, role=Role.TEACHER, school=school, school_year=school_year
        )


def _answers(instrument: Instrument, rng: random.Random, leaning: int) -> dict[str, int]:
    answers = {}
    for item in instrument.items.all():
        value = min(6, max(1, leaning + rng.choice([-1, 0, 0, 1])))
        answers[str(item.pk)] = 7 - value if item.reverse_scored else value
    return answers


def _round(school, instrument, moment, answering: int, leaning: int, *, close: bool, skip=()):
    school_year = _current_year()
    found = Round.objects.filter(
        school=school, school_year=school_year, instrument=instrument, moment=moment
    ).first()
    if found is not None:
        return found
    today = timezone.localdate()
    opened = round_open(
        school=school,
        instrument=instrument,
        moment=moment,
        closes_on=today + datetime.timedelta(days=14),
        opened_by=None,
    )
    rng = random.Random(f"{school.pk}-{moment}")
    invitations = opened.invitations.exclude(person__email__in=skip).order_by("person__email")
    for invitation in list(invitations)[:answering]:
        response_submit(invitation_key=invitation.key, answers=_answers(instrument, rng, leaning))
    if close:
        # A round of the start of the year, closed a while ago.
        Round.objects.filter(pk=opened.pk).update(
            closes_on=min(school_year.starts_on + datetime.timedelta(days=30), today)
            - datetime.timedelta(days=1)
        )
    return opened


def _current_year():
    from partnership.models import SchoolYear

    return SchoolYear.objects.current()


def demo_answer_invitation(network) -> Invitation | None:
    """The mentor's unanswered invitation at the home school (for tests and the crawl)."""
    email = network.people["mentor"].email
    return (
        Invitation.objects.filter(round__school=network.home_school, person__email=email)
        .filter(used=False, round__moment=Moment.MIDDLE)
        .first()
    )


def seed(network) -> None:
    instrument = demo_instrument()
    year = network.school_year
    schools = list(network.partnership.schools.order_by("name"))
    home = network.home_school
    small = next(s for s in schools if s != home and s != network.other_school)
    large = next(s for s in reversed(schools) if s not in (home, network.other_school, small))
    _teachers(home, year, 8, "regenboog")
    _teachers(large, year, 9, "campus")
    _teachers(small, year, 3, "klein")
    mentor = network.people["mentor"].email
    # The home school: 12 answers at the start (10 counted), 6 so far in the middle.
    _round(home, instrument, Moment.START, 12, 4, close=True)
    _round(home, instrument, Moment.MIDDLE, 6, 5, close=False, skip=[mentor])
    _round(large, instrument, Moment.START, 8, 3, close=True)
    _round(large, instrument, Moment.MIDDLE, 5, 4, close=False)
    # Too few to show anything.
    _round(small, instrument, Moment.START, 3, 4, close=True)
