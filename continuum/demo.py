"""Role history for ``seed_demo``, so the continuum shows real paths and cohorts:
the demo starting teacher was a student teacher at the demo school last year, the
demo coach started there as a student teacher two years ago (then research teacher,
now coach), and a cohort of former student teachers of whom most teach at partner
schools now. Idempotent (``get_or_create``)."""

import datetime

from accounts.models import User
from partnership.models import SchoolYear
from schools.models import Role, RoleMembership

# Former student teachers of last year: (email, name, school index now teaching at or None)
LAST_YEARS_COHORT = [
    ("oud-student-1@demo.test", "Noor Aerts", 0),
    ("oud-student-2@demo.test", "Jonas Mertens", 1),
    ("oud-student-3@demo.test", "Amira Haddad", 2),
    ("oud-student-4@demo.test", "Wout Verbeke", 17),
    ("oud-student-5@demo.test", "Lina Vos", 19),
    ("oud-student-6@demo.test", "Ruben Claeys", None),
    ("oud-student-7@demo.test", "Sofie Lambrechts", None),
    ("oud-student-8@demo.test", "Bram Wuyts", None),
]
# Two years ago: a small cohort (shown as "fewer than 5").
EARLIER_COHORT = [("oud-student-9@demo.test", "Emma Desmet", 3)]


def _alumnus(email: str, name: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    if created:
        user.set_unusable_password()  # figures only: these people do not log in
        user.save(update_fields=["password"])
    return user


def seed(network) -> None:
    institution, home = network.institution, network.home_school
    this_year, last_year = network.school_year, network.previous_year
    start = last_year.starts_on.year - 1
    two_years_ago, _ = SchoolYear.objects.get_or_create(
        name=f"{start}-{start + 1}",
        defaults={
            "starts_on": datetime.date(start, 9, 1),
            "ends_on": datetime.date(start + 1, 6, 30),
        },
    )

    def role(user, role, year, school, **extra):
        needs_institution = role == Role.STUDENT_TEACHER
        RoleMembership.objects.get_or_create(
            user=user,
            role=role,
            school_year=year,
            school=school,
            defaults={"institution": institution if needs_institution else None, **extra},
        )

    people = network.people
    role(people["starting_teacher"], Role.STUDENT_TEACHER, last_year, home)
    role(people["coach"], Role.STUDENT_TEACHER, two_years_ago, home)
    role(
        people["career_changer"],
        Role.CAREER_CHANGER,
        last_year,
        home,
        started_teaching_in=last_year,
    )
    for index, (email, name, teaches_at) in enumerate(LAST_YEARS_COHORT):
        person = _alumnus(email, name)
        role(person, Role.STUDENT_TEACHER, last_year, network.schools[index % 4])
        if teaches_at is not None:
            role(
                person,
                Role.STARTING_TEACHER,
                this_year,
                network.schools[teaches_at],
                started_teaching_in=this_year,
            )
    for email, name, teaches_at in EARLIER_COHORT:
        person = _alumnus(email, name)
        role(person, Role.STUDENT_TEACHER, two_years_ago, network.schools[teaches_at])
        role(
            person,
            Role.STARTING_TEACHER,
            last_year,
            network.schools[teaches_at],
            started_teaching_in=last_year,
        )
