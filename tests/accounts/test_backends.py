"""The signed-in person is read by a kept query (``accounts.backends``), and sessions
signed in under Django's or allauth's own backend stay signed in."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

OLD = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]


@pytest.mark.parametrize("old", OLD)
def test_someone_signed_in_before_the_change_stays_signed_in(client, network, old):
    coach = network.people["coach"]
    client.force_login(coach, backend=old)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert coach.get_short_name() in response.content.decode()
    assert client.session[BACKEND_SESSION_KEY].startswith("accounts.backends.")
    assert client.get("/dashboard/").status_code == 200  # and on the next page


def test_signing_in_with_the_form_names_our_backend_and_a_wrong_password_is_refused(
    client, network
):
    coach = network.people["coach"]
    coach.set_password("een-goed-wachtwoord")
    coach.save()
    wrong = client.post("/accounts/login/", {"login": coach.email, "password": "fout"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    right = client.post(
        "/accounts/login/", {"login": coach.email, "password": "een-goed-wachtwoord"}
    )
    assert right.status_code == 302
    assert client.session[BACKEND_SESSION_KEY].startswith("accounts.backends.")
    assert client.get("/dashboard/").status_code == 200


def test_a_deactivated_or_deleted_person_is_signed_out_on_the_next_page(client, network):
    coach, teacher = network.people["coach"], network.people["research_teacher"]
    client.force_login(coach)
    assert client.get("/dashboard/").status_code == 200
    coach.is_active = False
    coach.save()
    assert client.get("/dashboard/").status_code == 302  # to the login page
    client.force_login(teacher)
    assert client.get("/dashboard/").status_code == 200
    teacher.delete()
    assert client.get("/dashboard/").status_code == 302


def test_a_new_password_signs_out_the_other_sessions(client, network):
    coach = network.people["coach"]
    client.force_login(coach)
    assert client.get("/dashboard/").status_code == 200
    coach.set_password("een-ander-wachtwoord")
    coach.save()
    assert client.get("/dashboard/").status_code == 302  # the session's hash no longer holds


@pytest.mark.postgres
def test_the_signed_in_person_is_read_by_a_prepared_statement(client, network):
    client.force_login(network.people["coach"])
    for _ in range(3):  # psycopg prepares a statement on its third run
        assert client.get("/dashboard/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    # the person's row, with the unread count of the header's badge ($1) and their
    # scope (the school leader's role, $2) beside it
    assert any('FROM "accounts_user" WHERE "accounts_user"."id" = $3' in s for s in prepared)


def _as_sets(scope):
    """A scope's fields as sets: the rows' order is the database's."""
    return {name: set(value) for name, value in vars(scope).items() if isinstance(value, tuple)}


def test_each_personas_scope_comes_with_their_row_and_equals_a_read_of_its_own(network):
    from access.scope import _read, scope_of
    from accounts.backends import ModelBackend

    for name, person in network.people.items():
        with CaptureQueriesContext(connection) as queries:
            user = ModelBackend().get_user(person.pk)
            scope = scope_of(user)
        assert len(queries) == 1, name  # the row and the scope: one query
        assert scope.user_pk == person.pk
        assert _as_sets(scope) == _as_sets(_read(person.pk)), name


def test_a_page_asks_no_scope_query_of_its_own_and_shows_what_the_scope_gives(client, network):
    coach = network.people["coach"]
    client.force_login(coach)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/teams/{network.team.pk}/").content.decode()
    assert network.team.theme in html  # the team's page: the scope let the coach in
    assert not [q for q in queries if q["sql"].lstrip().startswith("SELECT 'r' AS kind")]


def test_a_role_gained_after_the_person_was_read_counts_at_once(network):
    from access.scope import scope_of
    from accounts.backends import ModelBackend
    from tests import factories

    teacher = network.people["research_teacher"]
    user = ModelBackend().get_user(teacher.pk)
    school = factories.SchoolFactory(partnership=network.partnership)
    assert school.pk not in scope_of(user).school_ids_now()
    factories.RoleMembershipFactory(
        user=teacher, role="coach", school=school, school_year=network.school_year
    )
    assert school.pk in scope_of(user).school_ids_now(["coach"])
