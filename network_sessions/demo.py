"""Demo sessions for ``seed_demo``: past and upcoming sessions of every kind with
the demo personas invited, some answers, and attendance on the past ones.
Idempotent: sessions are found again by title."""

import datetime

from django.utils import timezone

from schools.models import Role

from .models import NetworkSession, Participation
from .selectors import invitees
from .services import session_create

Kind = NetworkSession.Kind


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed(network) -> None:
    people = network.people
    community = network.home_school.learning_communities.filter(
        school_year=network.school_year
    ).first()
    plans = [
        # (title, kind, organiser, start in days, hour, hours, audience, location)
        (
            "Lerend netwerk: data verzamelen bij leerlingen",
            Kind.LEARNING_NETWORK,
            "bridge_builder",
            9,
            14,
            3,
            {"audience_roles": [Role.COACH, Role.BRIDGE_BUILDER]},
            "VUB Campus Etterbeek, gebouw K, lokaal 2.04",
        ),
        (
            "Lerend netwerk: een goede onderzoeksvraag",
            Kind.LEARNING_NETWORK,
            "bridge_builder",
            -30,
            14,
            3,
            {"audience_roles": [Role.COACH, Role.BRIDGE_BUILDER]},
            "VUB Campus Etterbeek, gebouw K, lokaal 2.04",
        ),
        (
            "PLG-bijeenkomst: onderzoekscultuur in de hele school",
            Kind.LEARNING_COMMUNITY,
            "process_facilitator",
            16,
            9,
            2,
            {"audience_communities": [community] if community else []},
            "Basisschool De Regenboog, leraarskamer",
        ),
        (
            "PLG-bijeenkomst: gedeelde leervragen",
            Kind.LEARNING_COMMUNITY,
            "process_facilitator",
            -21,
            9,
            2,
            {"audience_communities": [community] if community else []},
            "Basisschool De Regenboog, leraarskamer",
        ),
        (
            "Kennissessie: datageletterdheid voor onderzoeksteams",
            Kind.KNOWLEDGE,
            "admin",
            23,
            15,
            2,
            {"audience_schools": [network.home_school]},
            "",
        ),
        (
            "Reflectiesessie voor student-leraren",
            Kind.REFLECTION,
            "bridge_builder",
            -10,
            13,
            2,
            {
                "audience_roles": [Role.STUDENT_TEACHER],
                "audience_people": [people["bridge_builder"]],
            },
            "VUB Campus Jette",
        ),
        (
            "Zomeropleiding leerkracht-coaches",
            Kind.TRAINING,
            "admin",
            40,
            9,
            6,
            {"audience_roles": [Role.COACH], "audience_people": [people["research_teacher"]]},
            "VUB Campus Etterbeek, aula Q",
        ),
    ]
    for title, kind, organiser, days, hour, hours, audience, location in plans:
        if NetworkSession.objects.filter(title=title).exists():
            continue
        starts_at = _at(days, hour)
        session = session_create(
            organiser=people[organiser],
            kind=kind,
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=hours),
            location=location,
            online_url="https://meet.example.org/leerbrug-kennissessie" if not location else "",
            agenda=(
                "- Welkom en stand van zaken per school\n"
                "- Inspiratie: wat zegt het onderzoek?\n"
                "- Werken in duo's aan de volgende stap\n"
                "- Afspraken voor de volgende keer"
            ),
            materials="Breng jullie logboek en de onderzoeksvraag mee.",
            **audience,
        )
        _answers_and_attendance(session, people)


def _answers_and_attendance(session: NetworkSession, people) -> None:
    """Some answers on every session; on past ones, attendance too. Written
    directly: the answer rules (closed once a session started) are for people,
    not for history."""
    invited = {user.pk: user for user in invitees(session)}
    answers = {
        "coach2": Participation.Response.GOING,
        "bridge_builder": Participation.Response.GOING,
        "school_leader": Participation.Response.MAYBE,
        "research_teacher": Participation.Response.NOT_GOING,
        "other_coach": Participation.Response.MAYBE,
    }
    past = session.starts_at < timezone.now()
    if past:
        answers["coach"] = Participation.Response.GOING
    for key, response in answers.items():
        user = people[key]
        if user.pk not in invited:
            continue
        Participation.objects.update_or_create(
            session=session,
            user=user,
            defaults={
                "response": response,
                "responded_at": session.created_at,
                "attended": (response == Participation.Response.GOING) if past else None,
            },
        )
