"""The demo network: one institution, one partnership, 30 schools in and around
Brussels, learning communities, research teams and one demo person per role.

Every other app may add its own ``<app>/demo.py`` with ``seed(network)``; the
``seed_demo`` command calls them in order after this one. All of it is
idempotent: running it twice changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from research_cycle.models import ResearchTeam, TeamMembership, TeamRole
from schools.models import Role, RoleMembership, School

from .models import (
    Institution,
    LearningCommunity,
    LearningCommunityMembership,
    Partnership,
    SchoolYear,
)

DEMO_PASSWORD = "leerbrug-demo"

# (email, full name, language)
DEMO_PEOPLE = {
    "coach": ("coach@demo.test", "Sara Peeters", "nl"),
    "coach2": ("coach2@demo.test", "Youssef El Amrani", "nl"),
    "research_teacher": ("research-teacher@demo.test", "Lotte Janssens", "nl"),
    "student_teacher": ("student-teacher@demo.test", "Milan De Smet", "nl"),
    "bridge_builder": ("bridge-builder@demo.test", "An Claes", "nl"),
    "school_leader": ("school-leader@demo.test", "Karim Benali", "nl"),
    "process_facilitator": ("process-facilitator@demo.test", "Els Wouters", "en"),
    "admin": ("admin@demo.test", "Netwerkbeheerder Demo", "nl"),
    "other_coach": ("other-coach@demo.test", "Tom Vermeulen", "nl"),
    "placement_coordinator": ("placement-coordinator@demo.test", "Hanne Maes", "nl"),
    "mentor": ("mentor@demo.test", "Griet Willems", "nl"),
    "starting_teacher": ("starting-teacher@demo.test", "Ilias Bouzid", "nl"),
    "career_changer": ("career-changer@demo.test", "Pieter Goossens", "nl"),
}

# 30 made-up partner schools in and around Brussels: (name, level, street, postcode, city)
DEMO_SCHOOLS = [
    ("Basisschool De Regenboog", "primary", "Kliniekstraat 12", "1070", "Anderlecht"),
    ("Basisschool Sint-Guido", "primary", "Dapperheidsplein 3", "1070", "Anderlecht"),
    ("GO! Basisschool De Wimpel", "primary", "Ninoofsesteenweg 221", "1080", "Molenbeek"),
    ("Basisschool Het Klavertje", "primary", "Ribaucourtstraat 40", "1080", "Molenbeek"),
    ("Basisschool De Knipoog", "primary", "Vanderstichelenstraat 8", "1080", "Molenbeek"),
    (
        "Basisschool Sint-Joost-aan-Zee",
        "primary",
        "Brialmontstraat 5",
        "1210",
        "Sint-Joost-ten-Node",
    ),
    ("Basisschool De Vlinder", "primary", "Haachtsesteenweg 350", "1030", "Schaarbeek"),
    ("Basisschool Paviljoen", "primary", "Paviljoenstraat 17", "1030", "Schaarbeek"),
    ("Basisschool Kameleon", "primary", "Lakensestraat 120", "1000", "Brussel"),
    ("Basisschool De Puzzel", "primary", "Oppemstraat 9", "1000", "Brussel"),
    ("Basisschool Mozaïek", "primary", "Kroonlaan 200", "1050", "Elsene"),
    ("Basisschool De Buurt", "primary", "Vorstsesteenweg 76", "1060", "Sint-Gillis"),
    ("Basisschool Sint-Pieter", "primary", "Keizer Karellaan 30", "1082", "Sint-Agatha-Berchem"),
    ("Basisschool De Boomhut", "primary", "Jetselaan 55", "1090", "Jette"),
    ("Basisschool Zonnebloem", "primary", "Stationsstraat 14", "1700", "Dilbeek"),
    ("Basisschool De Brug", "primary", "Brusselsesteenweg 102", "1800", "Vilvoorde"),
    ("Basisschool Ganzenpoot", "primary", "Dorpsstraat 6", "1600", "Sint-Pieters-Leeuw"),
    ("Sint-Jan Berchmanscollege", "secondary", "Ursulinenstraat 4", "1000", "Brussel"),
    ("Atheneum Brussel-Noord", "secondary", "Koningsstraat 300", "1210", "Sint-Joost-ten-Node"),
    ("Lyceum Zuidpaleis", "secondary", "Zuidlaan 45", "1000", "Brussel"),
    ("Technisch Instituut Anneessens", "secondary", "Anneessensplein 2", "1000", "Brussel"),
    ("Sint-Guido-Instituut", "secondary", "Dapperheidsplein 10", "1070", "Anderlecht"),
    ("Campus Kanaal", "secondary", "Havenlaan 86", "1000", "Brussel"),
    ("Maria-Boodschaplyceum", "secondary", "Onderrichtsstraat 20", "1000", "Brussel"),
    ("GO! Atheneum Emanuel Hiel", "secondary", "Sint-Annadreef 7", "1020", "Laken"),
    ("Don Bosco Brussel", "secondary", "Sint-Jozefstraat 1", "1120", "Neder-Over-Heembeek"),
    ("Koninklijk Atheneum Etterbeek", "secondary", "Oudergemlaan 110", "1040", "Etterbeek"),
    ("Sint-Niklaasinstituut", "secondary", "Dokter Jacobsstraat 4", "1070", "Anderlecht"),
    ("Scholengroep Groene Rand", "secondary", "Heirbaan 22", "1740", "Ternat"),
    ("Instituut Kasterlinden", "secondary", "Kasterlinden 5", "1082", "Sint-Agatha-Berchem"),
]

DEMO_THEMES = [
    "Leesmotivatie in de tweede graad",
    "Feedback die leerlingen echt gebruiken",
    "Differentiëren in een meertalige klas",
    "Welbevinden na de overgang naar het secundair",
    "Ouderbetrokkenheid bij huiswerk",
    "Meertaligheid als hefboom",
    "Samenwerkend leren in de wiskundeles",
    "Rust in de klas na de speeltijd",
]


@dataclass
class DemoNetwork:
    institution: Institution
    partnership: Partnership
    school_year: SchoolYear
    previous_year: SchoolYear
    schools: list[School]
    home_school: School
    other_school: School
    people: dict[str, User]
    teams: dict[int, ResearchTeam] = field(default_factory=dict)

    @property
    def home_team(self) -> ResearchTeam:
        return self.teams[self.home_school.pk]


def _person(key: str, *, is_admin: bool = False) -> User:
    email, full_name, language = DEMO_PEOPLE[key]
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "preferred_language": language,
            "is_staff": is_admin,
            "is_superuser": is_admin,
        },
    )
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"primary": True, "verified": True}
    )
    return user


def _school_year_dates(start_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 6, 30)


def seed_foundation() -> DemoNetwork:
    institution, _ = Institution.objects.get_or_create(
        name="Vrije Universiteit Brussel – Lerarenopleiding",
        defaults={"city": "Brussel", "website": "https://www.vub.be/"},
    )
    partnership, _ = Partnership.objects.get_or_create(
        name="Onderzoekende School",
        defaults={
            "institution": institution,
            "description": (
                "Partnerschap tussen de lerarenopleiding en stedelijke scholen in en rond Brussel."
            ),
            "vision": "Samen onderzoeken, samen leren, samen onderwijs maken, samen morgen bouwen.",
        },
    )

    today = timezone.localdate()
    start = today.year if today.month >= 9 else today.year - 1
    years = {}
    for offset in (1, 0):
        s, e = _school_year_dates(start - offset)
        years[offset], _ = SchoolYear.objects.get_or_create(
            name=f"{start - offset}-{start - offset + 1}",
            defaults={"starts_on": s, "ends_on": e},
        )
    school_year, previous_year = years[0], years[1]
    if not school_year.is_current:
        from .services import school_year_make_current

        school_year_make_current(school_year=school_year)

    schools = []
    for index, (name, level, street, postcode, city) in enumerate(DEMO_SCHOOLS):
        school, _ = School.objects.get_or_create(
            institution_number=f"{(index * 7919) % 90000 + 10000:06d}",
            defaults={
                "partnership": partnership,
                "name": name,
                "level": level,
                "address": street,
                "postal_code": postcode,
                "city": city,
                "active_since": datetime.date(2016 + index % 6, 9, 1),
            },
        )
        schools.append(school)
    home_school, other_school = schools[0], schools[17]

    people = {key: _person(key, is_admin=(key == "admin")) for key in DEMO_PEOPLE}

    def role(key, role, school=None, institution_=None, **extra):
        RoleMembership.objects.get_or_create(
            user=people[key],
            role=role,
            school_year=school_year,
            school=school,
            institution=institution_,
            defaults=extra,
        )

    role("coach", Role.COACH, home_school)
    role("coach2", Role.COACH, home_school)
    role("research_teacher", Role.RESEARCH_TEACHER, home_school)
    role("student_teacher", Role.STUDENT_TEACHER, home_school, institution)
    role("school_leader", Role.SCHOOL_LEADER, home_school)
    role("process_facilitator", Role.PROCESS_FACILITATOR, None, institution)
    role("other_coach", Role.COACH, other_school)
    # The continuum: a placement coordinator of the institution, a mentor teacher at the
    # home school, a starting teacher (began this year) and a career changer (last year).
    role("placement_coordinator", Role.PLACEMENT_COORDINATOR, None, institution)
    role("mentor", Role.TEACHER, home_school)
    role("starting_teacher", Role.STARTING_TEACHER, home_school, started_teaching_in=school_year)
    role("career_changer", Role.CAREER_CHANGER, home_school, started_teaching_in=previous_year)
    # The demo bridge-builder is assigned to four schools, the home school first.
    for school in schools[:4]:
        role("bridge_builder", Role.BRIDGE_BUILDER, school, institution)
    # Last year the demo coach was a research teacher: roles are per school year.
    RoleMembership.objects.get_or_create(
        user=people["coach"],
        role=Role.RESEARCH_TEACHER,
        school_year=previous_year,
        school=home_school,
    )

    # Learning communities of at most four schools; the home school's is facilitated
    # by the demo process facilitator.
    for number, first in enumerate(range(0, len(schools), 4), 1):
        community, _ = LearningCommunity.objects.get_or_create(
            partnership=partnership,
            school_year=school_year,
            name=f"PLG {number}",
            defaults={
                "process_facilitator": people["process_facilitator"] if number == 1 else None,
                "learning_questions": (
                    "Hoe bouwen we een onderzoekscultuur in de hele school?\n"
                    "Hoe verankeren we de resultaten van het onderzoeksteam in het schoolbeleid?"
                ),
            },
        )
        for school in schools[first : first + 4]:
            if not LearningCommunityMembership.objects.filter(
                community=community, school=school
            ).exists():
                LearningCommunityMembership.objects.create(community=community, school=school)

    network = DemoNetwork(
        institution=institution,
        partnership=partnership,
        school_year=school_year,
        previous_year=previous_year,
        schools=schools,
        home_school=home_school,
        other_school=other_school,
        people=people,
    )

    for index, school in enumerate(schools):
        team, _ = ResearchTeam.objects.get_or_create(
            school=school,
            school_year=school_year,
            defaults={"theme": DEMO_THEMES[index % len(DEMO_THEMES)]},
        )
        network.teams[school.pk] = team

    home = network.home_team
    for key, team_role in [
        ("coach", TeamRole.COACH),
        ("coach2", TeamRole.COACH),
        ("research_teacher", TeamRole.RESEARCH_TEACHER),
        ("student_teacher", TeamRole.STUDENT_TEACHER),
        ("bridge_builder", TeamRole.BRIDGE_BUILDER),
    ]:
        TeamMembership.objects.get_or_create(
            team=home, user=people[key], defaults={"role": team_role}
        )
    TeamMembership.objects.get_or_create(
        team=network.teams[other_school.pk],
        user=people["other_coach"],
        defaults={"role": TeamRole.COACH},
    )
    for school in schools[1:4]:
        TeamMembership.objects.get_or_create(
            team=network.teams[school.pk],
            user=people["bridge_builder"],
            defaults={"role": TeamRole.BRIDGE_BUILDER},
        )
    return network
