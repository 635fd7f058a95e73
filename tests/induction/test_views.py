"""What people see and type on the induction pages: the starter's dashboard panel,
the mentor's starters and check-ins, counts (never notes) for school leaders,
bridge-builders and admins, field messages for bad input, and query budgets."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from induction.models import CheckIn, InductionPlan, MentorAssignment
from induction.services import check_in_record, mentor_assign
from network_sessions.services import session_create
from tests import factories

from .conftest import PRIVATE_NOTE, TODAY

pytestmark = pytest.mark.django_db


def page(client, person, url) -> str:
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- The starter --------------------------------------------------------------------


def test_the_starter_sees_mentor_next_check_in_team_and_sessions_for_starters(
    client, network, plan
):
    people = network.people
    factories.TeamMembershipFactory(
        team=network.team, user=people["starting_teacher"], role="research_teacher"
    )
    starts_at = datetime.datetime(2025, 11, 20, 14, 0, tzinfo=datetime.UTC)
    audiences = [
        ("Startersdag", {"audience_roles": ["starting_teacher", "career_changer"]}),
        ("Schooldag", {"audience_schools": [network.school]}),  # invited, not for starters
    ]
    for title, audience in audiences:
        session_create(
            organiser=people["bridge_builder"],
            kind="training",
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            **audience,
        )
    html = page(client, people["starting_teacher"], reverse("dashboard"))
    panel = html[html.index('data-testid="induction-panel"') :]
    assert "Griet Willems" in panel
    assert "woensdag 26 november 2025" in panel
    assert "1 achterstallig" in panel  # 5 November was not held
    assert "Leesmotivatie" in panel
    sessions = panel[panel.index("starter-sessions") :]
    assert "Startersdag" in sessions
    assert "Schooldag" not in sessions[: sessions.index("</ul>")]


def test_the_starters_dashboard_lists_the_next_sessions_and_those_for_starters_in_one_read(
    client, network
):
    """Each list has its own limit of three: a session for starters after three
    school sessions is still in the panel, and one that is both next and for starters
    stands in both lists. Both lists come from one read of the sessions."""
    people = network.people
    first = datetime.datetime(2025, 11, 20, 14, 0, tzinfo=datetime.UTC)
    planned = [
        ("Vroege startersdag", {"audience_roles": ["starting_teacher"]}),
        *[(f"Schooldag {n}", {"audience_schools": [network.school]}) for n in (1, 2, 3)],
        ("Late startersdag", {"audience_roles": ["career_changer", "starting_teacher"]}),
    ]
    for day, (title, audience) in enumerate(planned):
        session_create(
            organiser=people["bridge_builder"],
            kind="training",
            title=title,
            starts_at=first + datetime.timedelta(days=day),
            ends_at=first + datetime.timedelta(days=day, hours=2),
            **audience,
        )
    client.force_login(people["starting_teacher"])
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("dashboard")).content.decode()
    upcoming = html[html.index('data-testid="upcoming-sessions"') :]
    upcoming = upcoming[: upcoming.index("</section>")]
    assert [t for t, _a in planned if t in upcoming] == [
        "Vroege startersdag",
        "Schooldag 1",
        "Schooldag 2",
    ]
    starters = html[html.index('data-testid="starter-sessions"') :]
    starters = starters[: starters.index("</ul>")]
    assert [t for t, _a in planned if t in starters] == ["Vroege startersdag", "Late startersdag"]
    reads = [q["sql"] for q in queries if 'FROM "network_sessions_networksession"' in q["sql"]]
    # SQLite takes no LIMIT inside a UNION: there the two lists are two reads
    assert len(reads) == (1 if connection.features.supports_slicing_ordering_in_compound else 2)


def test_a_new_mentor_replaces_the_old_one_on_the_starters_dashboard(client, network, plan):
    teacher = factories.RoleMembershipFactory(
        user__full_name="Nora Peeters",
        role="teacher",
        school=network.school,
        school_year=network.school_year,
    ).user
    mentor_assign(
        starter=plan.membership,
        mentor=teacher,
        assigned_by=network.people["school_leader"],
        on=datetime.date(2025, 11, 10),
    )
    html = page(client, network.people["starting_teacher"], reverse("dashboard"))
    mentor = html[html.index('data-testid="my-mentor"') :]
    mentor = mentor[: mentor.index("</dd>")]
    assert "Nora Peeters" in mentor
    assert "Griet Willems" not in mentor  # her assignment ended on 10 November


def test_a_starter_without_a_mentor_is_told_so(client, network):
    html = page(client, network.people["career_changer"], reverse("dashboard"))
    assert "Nog niet toegewezen" in html


def test_no_panel_for_people_who_are_not_starters(client, network, plan):
    html = page(client, network.people["coach"], reverse("dashboard"))
    assert 'data-testid="induction-panel"' not in html


def test_the_starter_reads_the_notes_of_their_plan(client, network, plan):
    html = page(
        client, network.people["starting_teacher"], reverse("induction:plan", args=[plan.pk])
    )
    assert PRIVATE_NOTE in html
    assert "Achterstallig" in html
    assert reverse("induction:check_in", args=[plan.check_ins.first().pk]) not in html


# --- The mentor ---------------------------------------------------------------------


def test_the_mentor_sees_their_starters_and_records_a_check_in(client, network, plan):
    mentor = network.people["mentor"]
    html = page(client, mentor, reverse("induction:overview"))
    mentees = html[html.index('data-testid="mentees"') :]
    assert "Ilias Bouzid" in mentees
    assert "26 november 2025" in mentees
    assert "2 van 14 gesprekken gehouden" in mentees
    overdue = plan.check_ins.get(due_on=datetime.date(2025, 11, 5))
    response = client.post(
        reverse("induction:check_in", args=[overdue.pk]),
        {"held": "on", "held_on": "2025-11-10", "notes": "Ingehaald na de herfstvakantie."},
    )
    assert response.status_code == 302
    html = page(client, mentor, reverse("induction:plan", args=[plan.pk]))
    assert "Ingehaald na de herfstvakantie." in html
    assert "Gehouden op 10 november 2025" in html
    assert "Achterstallig" not in html


def test_the_mentor_changes_the_cadence(client, network, plan):
    client.force_login(network.people["mentor"])
    response = client.post(reverse("induction:cadence", args=[plan.pk]), {"cadence_weeks": "6"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.cadence_weeks == 6
    assert plan.check_ins.filter(due_on__gte=TODAY).first().due_on == datetime.date(2025, 12, 17)


# --- Overseers: counts, never notes -----------------------------------------------


@pytest.mark.parametrize("persona", ["school_leader", "bridge_builder", "network_admin"])
def test_overseers_see_counts_per_school_but_never_the_notes(client, network, plan, persona):
    person = network.people[persona]
    overview = page(client, person, reverse("induction:overview"))
    counts = overview[overview.index('data-testid="school-counts"') :]
    row = counts[counts.index("Basisschool De Regenboog") :]
    # Two starters, one with a mentor, one with an overdue check-in.
    assert [cell.split("<")[0] for cell in row.split('<td class="text-end">')[1:3]] == ["2", "1"]
    assert 'text-bg-warning">1<' in row
    school = page(client, person, reverse("induction:school", args=[network.school.pk]))
    dashboard = page(client, person, reverse("dashboard"))
    assign = page(client, person, reverse("induction:assign_mentor", args=[plan.membership.pk]))
    for html in (overview, school, dashboard, assign):
        assert PRIVATE_NOTE not in html
        assert "Klasmanagement" not in html
    assert client.get(reverse("induction:plan", args=[plan.pk])).status_code == 404


def test_the_admin_does_not_show_the_notes_either(client, network, plan):
    admin_page = page(
        client,
        network.people["network_admin"],
        reverse("admin:induction_inductionplan_change", args=[plan.pk]),
    )
    assert PRIVATE_NOTE not in admin_page
    assert "Klasmanagement" not in admin_page


def test_the_school_page_lists_starters_and_their_mentors(client, network, plan):
    html = page(
        client,
        network.people["school_leader"],
        reverse("induction:school", args=[network.school.pk]),
    )
    starters = html[html.index('data-testid="starters"') :]
    assert "Ilias Bouzid" in starters and "Griet Willems" in starters
    assert "Pieter Goossens" in starters and "Nog geen mentor" in starters


# --- Bad input ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "starting_teacher"])
def test_a_mentor_who_is_not_a_teacher_of_the_school_gets_a_field_message(
    client, network, plan, who
):
    client.force_login(network.people["school_leader"])
    url = reverse("induction:assign_mentor", args=[plan.membership.pk])
    response = client.post(url, {"mentor": network.people[who].pk})
    assert response.status_code == 200
    assert "Kies een leraar van deze school in dit schooljaar" in response.content.decode()
    assert MentorAssignment.objects.get().mentor == network.people["mentor"]


def test_the_same_mentor_again_is_a_field_message_in_english_too(client, network, plan):
    person = network.people["school_leader"]
    person.preferred_language = "en"
    person.save()
    client.force_login(person)
    url = reverse("induction:assign_mentor", args=[plan.membership.pk])
    response = client.post(url, {"mentor": network.people["mentor"].pk})
    assert response.status_code == 200
    assert "Griet Willems is already the mentor." in response.content.decode()
    assert MentorAssignment.objects.count() == 1


def test_a_check_in_in_the_future_keeps_what_was_typed(client, network, plan):
    check_in = plan.check_ins.get(due_on=datetime.date(2025, 11, 26))
    client.force_login(network.people["mentor"])
    response = client.post(
        reverse("induction:check_in", args=[check_in.pk]),
        {"held": "on", "held_on": "2025-11-26", "notes": "Nog te houden gesprek"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "kan niet in de toekomst" in html
    assert "Nog te houden gesprek" in html
    check_in.refresh_from_db()
    assert (check_in.held_on, check_in.notes) == (None, "")


def test_held_without_a_day_is_a_field_message(client, network, plan):
    check_in = plan.check_ins.get(due_on=datetime.date(2025, 11, 5))
    client.force_login(network.people["mentor"])
    response = client.post(
        reverse("induction:check_in", args=[check_in.pk]), {"held": "on", "held_on": ""}
    )
    assert response.status_code == 200
    assert "Op welke dag" in response.content.decode()
    assert not CheckIn.objects.get(pk=check_in.pk).is_done


@pytest.mark.parametrize("value", ["0", "27", "drie", "10000000000000000000000"])
def test_a_cadence_out_of_range_is_a_field_message(client, network, plan, value):
    client.force_login(network.people["mentor"])
    response = client.post(reverse("induction:cadence", args=[plan.pk]), {"cadence_weeks": value})
    assert response.status_code == 200
    assert 'class="invalid-feedback"' in response.content.decode()
    plan.refresh_from_db()
    assert plan.cadence_weeks == 3


# --- Query budgets (more rows than the budget) ----------------------------------------


@pytest.fixture
def many_starters(network):
    """30 starters at the home school and 30 at other schools of the bridge-builder,
    all mentored by the mentor teacher, each with an overdue check-in."""
    people = network.people
    schools = [network.school]
    for _ in range(14):
        school = factories.SchoolFactory(partnership=network.partnership)
        factories.RoleMembershipFactory(
            user=people["bridge_builder"],
            role="bridge_builder",
            school=school,
            school_year=network.school_year,
            institution=network.institution,
        )
        factories.RoleMembershipFactory(
            user=people["mentor"], role="teacher", school=school, school_year=network.school_year
        )
        schools.append(school)
    for index in range(60):
        school = network.school if index < 30 else schools[1 + index % 14]
        membership = factories.RoleMembershipFactory(
            role="starting_teacher",
            school=school,
            school_year=network.school_year,
            started_teaching_in=network.school_year,
        )
        mentor_assign(
            starter=membership,
            mentor=people["mentor"],
            assigned_by=None,
            on=datetime.date(2025, 9, 10),
        )
    for plan in InductionPlan.objects.all():
        first = plan.check_ins.order_by("due_on").first()
        check_in_record(check_in=first, held_on=first.due_on, notes="Notitie", user=None)


BUDGETS = [
    ("mentor", "induction:overview", None, 14),
    ("bridge_builder", "induction:overview", None, 14),
    ("network_admin", "induction:overview", None, 14),
    ("school_leader", "induction:school", "school", 14),
    ("school_leader", "induction:assign_mentor", "starter", 14),
    ("mentor", "induction:plan", "plan", 14),
    ("starting_teacher", "dashboard", None, 20),
]


@pytest.mark.parametrize(("persona", "name", "target", "budget"), BUDGETS)
def test_query_budgets(
    client,
    network,
    plan,
    many_starters,
    django_assert_max_num_queries,
    persona,
    name,
    target,
    budget,
):
    assert InductionPlan.objects.count() > budget
    targets = {"school": network.school, "starter": plan.membership, "plan": plan}
    url = reverse(name, args=[targets[target].pk] if target else [])
    client.force_login(network.people[persona])
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    if name == "induction:overview" and persona == "mentor":
        assert response.content.decode().count('href="/induction/plans/') == 61
