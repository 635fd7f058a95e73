"""Demo induction for ``seed_demo``: the demo starting teacher with mentor@demo.test
and check-ins (two held with notes, the next one in two days), the demo career
changer whose first mentor was replaced, another starter at a second school with
an overdue check-in, and a session for starters. Idempotent: nothing is assigned
twice, held check-ins are left as they are."""

import datetime

from django.utils import timezone

from accounts.models import User
from network_sessions.models import NetworkSession
from network_sessions.services import session_create
from schools.models import Role, RoleMembership

from .models import InductionPlan
from .services import mentor_assign

NOTES = [
    "Eerste weken: klasmanagement in 3B loopt nog stroef. Afspraak: samen de "
    "startroutine voorbereiden en één les bij Griet gaan kijken.",
    "Startroutine werkt beter. Volgende stap: differentiëren bij de leesles; "
    "Ilias sluit aan bij het onderzoeksteam rond leesmotivatie.",
]


def _plan(starter: RoleMembership, mentor: User, assigned_by: User, on: datetime.date):
    plan = InductionPlan.objects.filter(membership=starter).first()
    if plan is None:
        mentor_assign(starter=starter, mentor=mentor, assigned_by=assigned_by, on=on)
        plan = InductionPlan.objects.get(membership=starter)
    return plan


def _hold(plan: InductionPlan, notes: list[str], recorded_by: User) -> None:
    """The first check-ins held, with notes (as the mentor recorded them)."""
    past = plan.check_ins.filter(due_on__lt=timezone.localdate()).order_by("due_on")
    for check_in, note in zip(past, notes, strict=False):
        if check_in.held_on is None:
            check_in.held_on = check_in.due_on
            check_in.notes = note
            check_in.recorded_by = recorded_by
            check_in.save()


def _person(email: str, full_name: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created:
        user.set_unusable_password()
        user.save()
    return user


def seed(network) -> None:
    people = network.people
    today = timezone.localdate()
    year = network.school_year
    home = network.home_school
    leader = people["school_leader"]

    def starter(key: str, role: str) -> RoleMembership:
        return RoleMembership.objects.get(
            user=people[key], role=role, school=home, school_year=year
        )

    # The starting teacher: a check-in every three weeks, begun nine weeks ago less
    # two days, so two were held and the next falls in two days.
    begun = today - datetime.timedelta(weeks=9, days=-2)
    plan = _plan(
        starter("starting_teacher", Role.STARTING_TEACHER), people["mentor"], leader, begun
    )
    _hold(plan, NOTES, people["mentor"])

    # The career changer (second year of teaching: every six weeks): first mentored
    # by the research teacher, then by the mentor teacher.
    changer = starter("career_changer", Role.CAREER_CHANGER)
    if not InductionPlan.objects.filter(membership=changer).exists():
        begun = today - datetime.timedelta(weeks=10)
        mentor_assign(
            starter=changer, mentor=people["research_teacher"], assigned_by=leader, on=begun
        )
        mentor_assign(
            starter=changer,
            mentor=people["mentor"],
            assigned_by=leader,
            on=begun + datetime.timedelta(weeks=5),
        )
    _hold(
        InductionPlan.objects.get(membership=changer),
        ["Overstap uit de bedrijfswereld: vooral vragen over evalueren en rapporten."],
        people["mentor"],
    )

    # Another starter at another school of the demo bridge-builder, behind on a check-in.
    school = network.schools[1]
    other_mentor = _person("jonas.mertens@demo.test", "Jonas Mertens")
    other_starter = _person("noor.aerts@demo.test", "Noor Aerts")
    RoleMembership.objects.get_or_create(
        user=other_mentor, role=Role.TEACHER, school=school, school_year=year
    )
    membership, _created = RoleMembership.objects.get_or_create(
        user=other_starter,
        role=Role.STARTING_TEACHER,
        school=school,
        school_year=year,
        defaults={"started_teaching_in": year},
    )
    _plan(membership, other_mentor, people["bridge_builder"], today - datetime.timedelta(weeks=5))

    title = "Startersdag: je eerste jaar in de klas"
    if not NetworkSession.objects.filter(title=title).exists():
        day = today + datetime.timedelta(days=12)
        starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(13, 30)))
        session_create(
            organiser=people["bridge_builder"],
            kind=NetworkSession.Kind.TRAINING,
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=3),
            location="VUB Campus Etterbeek, gebouw K, lokaal 2.04",
            agenda=(
                "- Wat loopt goed, wat is lastig?\n"
                "- Intervisie in kleine groepen\n"
                "- Tips van mentoren"
            ),
            audience_roles=[Role.STARTING_TEACHER, Role.CAREER_CHANGER],
            audience_people=[people["mentor"]],
        )
