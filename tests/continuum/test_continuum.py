"""The continuum: a person's path, who may see it, and the cohort figures (with
groups under five suppressed) in a fixed number of queries."""

import pytest

from continuum.selectors import cohorts, path_of, role_sequence
from schools.models import Role
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS
from tests.factories import (
    PartnershipFactory,
    RoleMembershipFactory,
    SchoolFactory,
    SchoolYearFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ALL = [*PERSONAS, *CONTINUUM_PERSONAS, "anonymous"]


@pytest.fixture
def years(network):
    """Three earlier school years before the current 2025-2026."""
    return {
        name: SchoolYearFactory(name=name) for name in ("2022-2023", "2023-2024", "2024-2025")
    } | {"2025-2026": network.school_year}


def hold(user, role, year, school=None, institution=None, **extra):
    if role in (Role.STARTING_TEACHER, Role.CAREER_CHANGER):
        extra.setdefault("started_teaching_in", year)
    return RoleMembershipFactory(
        user=user, role=role, school_year=year, school=school, institution=institution, **extra
    )


# --- The path ---------------------------------------------------------------------


def test_the_path_follows_the_school_years_and_merges_a_role_kept(network, years):
    person = network.people["coach"]  # coach at the home school in 2025-2026
    school, institution = network.school, network.institution
    hold(person, Role.STUDENT_TEACHER, years["2022-2023"], school, institution)
    hold(person, Role.STARTING_TEACHER, years["2023-2024"], school)
    hold(person, Role.RESEARCH_TEACHER, years["2023-2024"], school)
    hold(person, Role.RESEARCH_TEACHER, years["2024-2025"], school)
    steps = path_of(person)
    assert [(s.role, s.place, s.years) for s in steps] == [
        ("student_teacher", "Basisschool De Regenboog", "2022-2023"),
        ("starting_teacher", "Basisschool De Regenboog", "2023-2024"),
        ("research_teacher", "Basisschool De Regenboog", "2023-2024 – 2024-2025"),
        ("coach", "Basisschool De Regenboog", "2025-2026"),
    ]
    assert role_sequence(steps) == [
        "Student-leraar",
        "Beginnende leraar",
        "Onderzoekende leerkracht",
        "Leerkracht-coach",
    ]


def test_a_gap_year_or_another_school_starts_a_new_step(network, years):
    person = UserFactory()
    hold(person, Role.TEACHER, years["2022-2023"], network.school)
    hold(person, Role.TEACHER, years["2024-2025"], network.school)
    hold(person, Role.TEACHER, years["2025-2026"], network.other_school)
    assert [(s.place, s.years) for s in path_of(person)] == [
        ("Basisschool De Regenboog", "2022-2023"),
        ("Basisschool De Regenboog", "2024-2025"),
        ("Atheneum Noord", "2025-2026"),
    ]


def test_the_page_shows_the_path(client, network, years):
    starter = network.people["starting_teacher"]
    hold(starter, Role.STUDENT_TEACHER, years["2024-2025"], network.school, network.institution)
    client.force_login(starter)
    response = client.get(f"/continuum/people/{starter.pk}/")
    body = response.content.decode()
    assert "Mijn pad" in body
    assert body.index("Student-leraar") < body.index("Beginnende leraar")
    assert "2024-2025" in body and "2025-2026" in body


# --- Who sees a path ----------------------------------------------------------------

# Whose page → who sees it (else 404; anonymous visitors go to the login page).
PATH_MATRIX = {
    # Holds a role at the home school now: its school leader and bridge-builder follow.
    "starting_teacher": {"starting_teacher", "school_leader", "bridge_builder", "network_admin"},
    # A coach of the other school: nobody of the home school.
    "outsider": {"outsider", "network_admin"},
}


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("whose", PATH_MATRIX)
def test_who_sees_a_path(client, network, persona, whose):
    if persona != "anonymous":
        client.force_login(network.people[persona])
    response = client.get(f"/continuum/people/{network.people[whose].pk}/")
    seen = 200 if persona in PATH_MATRIX[whose] else 404
    assert response.status_code == (302 if persona == "anonymous" else seen)


def test_a_school_follows_someone_who_left_it(client, network, years):
    """Held a role at the home school in an earlier year only: its school leader (this
    year) still sees the path; an unknown id is a 404 like anyone else's."""
    former = UserFactory()
    hold(former, Role.STUDENT_TEACHER, years["2023-2024"], network.school, network.institution)
    hold(former, Role.TEACHER, years["2025-2026"], network.other_school)
    client.force_login(network.people["school_leader"])
    assert client.get(f"/continuum/people/{former.pk}/").status_code == 200
    assert client.get("/continuum/people/99999999/").status_code == 404
    client.force_login(network.people["coach"])
    assert client.get(f"/continuum/people/{former.pk}/").status_code == 404


# --- Cohorts ------------------------------------------------------------------------

COHORTS = dict.fromkeys(ALL, 403) | {"bridge_builder": 200, "network_admin": 200, "anonymous": 302}


@pytest.mark.parametrize("persona", ALL)
def test_who_sees_the_cohorts(client, network, persona):
    if persona != "anonymous":
        client.force_login(network.people[persona])
    assert client.get("/continuum/cohorts/").status_code == COHORTS[persona]


@pytest.fixture
def hand_made(network, years):
    """Cohorts of the network's institution, counted by hand:

    - 2022-2023: 6 student teachers. 5 teach later at a partner school (one of them
      also was a student teacher in 2022-2023 at two schools, counted once); the 6th
      teaches only at a school outside the partnership. → 6, 5, 83 %.
    - 2023-2024: 7 student teachers, 2 teach later (one of them in the same year only
      counts not). Plus one who was a student teacher again in 2024-2025, so belongs
      to that cohort. → 7, "fewer than 5", share hidden.
    - 2024-2025: 4 student teachers (3 + the one from 2023-2024), all teach now.
      → "fewer than 5" everywhere.
    - 2025-2026 (current): not a cohort yet.
    - Another institution's cohort: not shown to our bridge-builder.
    """
    institution = network.institution
    partner = network.school
    outside = SchoolFactory(partnership=PartnershipFactory())

    def student(year, teaches=None, teach_year="2025-2026", role=Role.TEACHER):
        person = UserFactory()
        hold(person, Role.STUDENT_TEACHER, years[year], partner, institution)
        if teaches is not None:
            hold(person, role, years[teach_year], teaches)
        return person

    for n in range(5):
        person = student("2022-2023", partner, "2023-2024", Role.STARTING_TEACHER)
        if n == 0:
            hold(
                person, Role.STUDENT_TEACHER, years["2022-2023"], network.other_school, institution
            )
    student("2022-2023", outside)
    student("2023-2024", partner, "2024-2025")
    student("2023-2024", network.other_school)
    student("2023-2024", partner, "2023-2024")  # taught in the same year: not later
    for _ in range(4):
        student("2023-2024")
    again = student("2023-2024")
    hold(again, Role.STUDENT_TEACHER, years["2024-2025"], partner, institution)
    hold(again, Role.COACH, years["2025-2026"], partner)
    for _ in range(3):
        student("2024-2025", partner)
    student("2025-2026")
    other = PartnershipFactory().institution
    for _ in range(6):
        person = UserFactory()
        hold(person, Role.STUDENT_TEACHER, years["2022-2023"], partner, other)


def test_cohort_arithmetic(network, hand_made):
    rows = cohorts([network.institution.pk])
    assert [(r.school_year, r.size, r.teaching) for r in rows] == [
        ("2024-2025", 4, 4),
        ("2023-2024", 7, 2),
        ("2022-2023", 6, 5),
    ]
    latest, middle, earliest = rows
    assert (latest.size_shown, latest.teaching_shown, latest.share) == (None, None, None)
    assert (middle.size_shown, middle.teaching_shown, middle.share) == (7, None, None)
    assert (earliest.size_shown, earliest.teaching_shown) == (6, 5)
    assert earliest.share == pytest.approx(5 / 6)


def test_the_cohort_page_suppresses_small_groups(client, network, hand_made):
    client.force_login(network.people["bridge_builder"])
    response = client.get("/continuum/cohorts/")
    body = response.content.decode()
    assert body.count("minder dan 5</td>") == 3  # 2024-2025 twice, 2023-2024 once
    assert "83 %" in body
    assert [r.institution for r in response.context["rows"]] == [network.institution.name] * 3


def test_the_admin_sees_every_institution(client, network, hand_made):
    client.force_login(network.people["network_admin"])
    rows = client.get("/continuum/cohorts/").context["rows"]
    assert len({row.institution for row in rows}) == 2


def test_the_cohort_page_has_a_fixed_query_count(
    client, network, years, django_assert_max_num_queries
):
    """Many people in many cohorts: the figures are one query, whatever the numbers."""
    institution = network.institution
    schools = [SchoolFactory(partnership=network.partnership) for _ in range(5)]
    for index in range(60):
        person = UserFactory()
        year = ["2022-2023", "2023-2024", "2024-2025"][index % 3]
        hold(person, Role.STUDENT_TEACHER, years[year], schools[index % 5], institution)
        if index % 2:
            hold(person, Role.TEACHER, years["2025-2026"], schools[(index + 1) % 5])
    client.force_login(network.people["bridge_builder"])
    with django_assert_max_num_queries(8):
        response = client.get("/continuum/cohorts/")
    assert sum(row.size for row in response.context["rows"]) == 60


def test_the_path_page_has_a_fixed_query_count(
    client, network, years, django_assert_max_num_queries
):
    person = network.people["coach"]
    schools = [SchoolFactory(partnership=network.partnership) for _ in range(12)]
    for school in schools:
        for year in ("2022-2023", "2023-2024", "2024-2025"):
            hold(person, Role.TEACHER, years[year], school)
    client.force_login(person)
    with django_assert_max_num_queries(8):
        response = client.get(f"/continuum/people/{person.pk}/")
    assert len(response.context["steps"]) == 13


@pytest.mark.parametrize(
    ("persona", "cohorts", "own_vacancies"),
    [
        ("student_teacher", False, False),
        ("bridge_builder", True, False),
        ("school_leader", False, True),
        ("network_admin", True, True),
    ],
)
def test_the_dashboard_links_to_the_continuum(client, network, persona, cohorts, own_vacancies):
    person = network.people[persona]
    client.force_login(person)
    body = client.get("/dashboard/").content.decode()
    assert f'href="/continuum/people/{person.pk}/"' in body
    assert 'href="/vacancies/"' in body
    assert ('href="/continuum/cohorts/"' in body) is cohorts
    assert ('href="/vacancies/school/"' in body) is own_vacancies


# --- Placements on the path ---------------------------------------------------------


def test_the_path_shows_where_a_student_teacher_trained(
    client, network, years, django_assert_max_num_queries
):
    """The placements of a student teacher are part of their path (cancelled ones are
    not), each leading to the placement page; the budget holds with many of them."""
    import datetime

    from placements.models import Placement
    from tests.internships.helpers import make_placement

    student = network.people["student_teacher"]
    mentor = network.people["mentor"]
    for week in range(12):
        starts = datetime.date(2026, 1, 5) + datetime.timedelta(weeks=week)
        make_placement(network, student=student, mentor=mentor, starts_on=starts, ends_on=starts)
    cancelled = make_placement(network, student=student, state=Placement.State.CANCELLED)
    client.force_login(student)
    with django_assert_max_num_queries(8):
        response = client.get(f"/continuum/people/{student.pk}/")
    shown = list(response.context["placements"])
    assert len(shown) == 12 and cancelled not in shown
    body = response.content.decode()
    assert f'href="/placements/{shown[0].pk}/"' in body
    assert f"mentor {mentor}" in body
    assert cancelled.period.name not in body


def test_placements_on_a_path_follow_who_may_see_them(client, network, years):
    """The school leader of the host school follows the student's path; an outsider
    gets a 404 for the path and so never sees the placements."""
    from tests.internships.helpers import make_placement

    student = network.people["student_teacher"]
    placement = make_placement(network, student=student)
    client.force_login(network.people["outsider"])
    assert client.get(f"/continuum/people/{student.pk}/").status_code == 404
    client.force_login(student)
    body = client.get(f"/continuum/people/{student.pk}/").content.decode()
    assert placement.school.name in body
