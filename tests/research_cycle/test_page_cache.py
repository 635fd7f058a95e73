"""Signed-in pages answered again from the cache until the data changes (issue 17,
config/page_cache.py). What a person must notice: they always see their own page,
and every change, by anyone, anywhere, shows on the next request."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config import page_cache
from knowledge_base.models import Study, StudyReadCount
from research_cycle import services
from research_cycle.models import LogEntry
from schools.models import RoleMembership
from tests.knowledge_base.publishing import team_study

pytestmark = pytest.mark.django_db


def team_page(client, team):
    return client.get(reverse("research_cycle:team_workspace", kwargs={"pk": team.pk}))


def add_entry(cycle, author, summary):
    return services.log_entry_create(
        cycle=cycle,
        author=author,
        stage=cycle.current_stage,
        occurred_on=timezone.localdate(),
        summary=summary,
    )


def test_a_page_asked_again_runs_no_view_queries(
    client, network, cycle, django_assert_max_num_queries
):
    client.force_login(network.people["coach"])
    team_page(client, network.team)  # the first page sets the CSRF cookie
    first = team_page(client, network.team)
    # The next ask: the session and the person only (no access check, no selectors).
    with django_assert_max_num_queries(2):
        second = team_page(client, network.team)
    assert second.status_code == 200
    assert second.content == first.content


def test_two_people_each_see_their_own_dashboard(network):
    coach, outsider = network.people["coach"], network.people["outsider"]
    mine, theirs = Client(), Client()
    mine.force_login(coach)
    theirs.force_login(outsider)
    for _ in range(2):  # the second round is answered from the cache
        page = mine.get(reverse("dashboard")).content.decode()
        other = theirs.get(reverse("dashboard")).content.decode()
        assert network.school.name in page and network.other_school.name not in page
        assert network.other_school.name in other and network.school.name not in other


def test_two_sessions_of_one_person_keep_their_own_csrf_token(network, cycle):
    laptop, phone = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for device in (laptop, phone):
        device.force_login(network.people["coach"])
        team_page(device, network.team)  # sets the CSRF cookie
    for device in (laptop, phone):
        page = team_page(device, network.team).content.decode()
        token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        response = device.post(
            reverse("research_cycle:entry_create", kwargs={"pk": network.team.pk}),
            {
                "csrfmiddlewaretoken": token,
                "summary": "Van dit toestel",
                "stage": cycle.current_stage_id,
                "occurred_on": timezone.localdate().isoformat(),
            },
        )
        assert response.status_code == 302  # saved, not refused as a forged request
    assert LogEntry.objects.filter(summary="Van dit toestel").count() == 2


def test_a_new_entry_by_someone_else_shows_on_the_next_request(client, network, cycle):
    client.force_login(network.people["coach"])
    assert "Observaties in klas 5B" not in team_page(client, network.team).content.decode()
    team_page(client, network.team)  # now cached

    add_entry(cycle, network.people["research_teacher"], "Observaties in klas 5B")

    assert "Observaties in klas 5B" in team_page(client, network.team).content.decode()


def test_a_bulk_update_without_signals_shows_too(client, network, cycle):
    entry = add_entry(cycle, network.people["coach"], "Eerste versie")
    client.force_login(network.people["coach"])
    team_page(client, network.team)
    team_page(client, network.team)

    LogEntry.objects.filter(pk=entry.pk).update(summary="Tweede versie")

    page = team_page(client, network.team).content.decode()
    assert "Tweede versie" in page and "Eerste versie" not in page


def test_losing_access_is_not_hidden_by_a_cached_page(client, network, cycle):
    client.force_login(network.people["outsider"])
    team = network.other_team
    assert team_page(client, team).status_code == 200
    assert team_page(client, team).status_code == 200  # cached

    team.memberships.filter(user=network.people["outsider"]).delete()
    RoleMembership.objects.filter(user=network.people["outsider"]).delete()

    assert team_page(client, team).status_code == 404


def test_a_write_in_a_transaction_makes_a_new_generation_again_at_commit(transactional_db):
    with transaction.atomic():
        before = page_cache.generation()
        connection.cursor().execute("UPDATE schools_school SET name = name WHERE 1 = 0")
        assert page_cache.generation() == before  # no row changed: nothing to tell
        from tests import factories

        factories.SchoolYearFactory(name="2030-2031")
        during = page_cache.generation()
        assert during != before
    # A page made between the write and the commit (from the old data) is stale
    # after the commit.
    assert page_cache.generation() != during


def test_reading_counts_and_sessions_do_not_empty_the_cache(client, network):
    study = team_study(network, status=Study.Status.PUBLISHED)
    client.force_login(network.people["coach"])
    before = page_cache.generation()
    client.get(reverse("knowledge_base:study_detail", args=[study.slug]))  # counted
    StudyReadCount.objects.update(views=7)
    client.session.save()
    Session.objects.filter(pk="nothing").delete()
    assert StudyReadCount.objects.get().views == 7
    assert page_cache.generation() == before


def test_the_page_follows_the_language_switch(client, network):
    client.force_login(network.people["coach"])
    dutch = client.get(reverse("dashboard")).content.decode()
    client.get(reverse("dashboard"))
    client.cookies["django_language"] = "en"
    english = client.get(reverse("dashboard")).content.decode()
    assert 'lang="nl"' in dutch and 'lang="en"' in english


def test_a_flash_message_is_shown_once_and_never_kept(client, network, cycle):
    client.force_login(network.people["coach"])
    team_page(client, network.team)
    team_page(client, network.team)  # cached before the message
    response = client.post(
        reverse("research_cycle:entry_create", kwargs={"pk": network.team.pk}),
        {
            "summary": "Met een melding",
            "stage": cycle.current_stage_id,
            "occurred_on": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    assert "Je logboeknotitie is bewaard." in response.content.decode()
    again = team_page(client, network.team).content.decode()
    assert "Met een melding" in again and "Je logboeknotitie is bewaard." not in again


def view_queries(client, team) -> int:
    with CaptureQueriesContext(connection) as queries:
        team_page(client, team)
    return len(queries)


def test_off_when_the_setting_is_zero(client, network, cycle, settings):
    settings.LEERBRUG_PAGE_CACHE_SECONDS = 0
    client.force_login(network.people["coach"])
    team_page(client, network.team)
    team_page(client, network.team)
    assert view_queries(client, network.team) > 5


def test_the_cache_expires_with_the_clock(client, network, cycle, time_machine):
    time_machine.move_to(timezone.now().replace(hour=10), tick=False)
    client.force_login(network.people["coach"])
    team_page(client, network.team)
    team_page(client, network.team)
    assert view_queries(client, network.team) <= 2
    time_machine.shift(datetime.timedelta(minutes=3))
    assert view_queries(client, network.team) > 5


def test_with_the_database_cache_the_generation_changes_at_commit_only(transactional_db, settings):
    """Without Redis (``make run``) no writing transaction holds the generation's row."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                  "LOCATION": "leerbrug_cache"},
    }  # fmt: skip
    from tests import factories

    before = page_cache.generation()
    with transaction.atomic():
        factories.SchoolYearFactory(name="2032-2033")
        assert page_cache.generation() == before
    assert page_cache.generation() != before


@pytest.mark.postgres
def test_composed_sql_of_psycopg_is_read_like_text(network):
    """The library search sends psycopg's composed SQL: a read must change nothing
    (and not fail), a write must make a new generation."""
    from psycopg import sql

    before = page_cache.generation()
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("SELECT {} FROM {}").format(
                sql.Identifier("name"), sql.Identifier("schools_school")
            )
        )
        assert page_cache.generation() == before
        cursor.execute(
            sql.SQL("UPDATE {} SET name = name").format(sql.Identifier("schools_school"))
        )
    assert page_cache.generation() != before


def test_what_is_written_by_reading_or_answering_anonymously_is_not_a_change():
    assert not page_cache.changes_data(
        'INSERT INTO "questionnaires_answer" ("response_id", "value") VALUES (%s, %s)'
    )
    assert not page_cache.changes_data('UPDATE "django_session" SET "expire_date" = %s')
    assert page_cache.changes_data('UPDATE "questionnaires_round" SET "closes_on" = %s')
    assert page_cache.changes_data('DELETE FROM "research_cycle_comment" WHERE "id" = %s')
    assert not page_cache.changes_data('SELECT 1 FROM "research_cycle_comment" FOR UPDATE')


def test_sqlites_insert_or_ignore_is_a_change():
    """Django writes a many-to-many ``add`` on SQLite (``make run``) as ``INSERT OR
    IGNORE INTO``: it once went unseen, and the team page kept its old suggestions
    (``tests/inspiration/test_inspiration_parts.py``, with the page cache on)."""
    sql = (
        'INSERT OR IGNORE INTO "knowledge_base_study_themes" ("study_id", "theme_id")'
        " VALUES (%s, %s)"
    )
    assert page_cache.written_table(sql) == "knowledge_base_study_themes"
    assert page_cache.changes_data(sql)
    assert page_cache.changes_data('INSERT OR REPLACE INTO "schools_school" ("id") VALUES (1)')
    assert page_cache.changes_data('REPLACE INTO "schools_school" ("id") VALUES (1)')
    # a write verb this reading cannot place is a change, never a read
    assert page_cache.changes_data('INSERT /* hint */ INTO "schools_school" ("id") VALUES (1)')


def test_a_with_statement_matters_unless_it_writes_only_ignored_tables():
    from questionnaires.services import _submit_statement

    # The public form's submit: nonce, response and answers in one statement.
    assert not page_cache.changes_data(
        'WITH n AS (INSERT INTO "questionnaires_usednonce" ("nonce") VALUES (%s) RETURNING 1)'
        ' INSERT INTO "questionnaires_answer" ("value") SELECT 1 FROM n'
    )
    if connection.vendor == "postgresql":
        assert not page_cache.changes_data(_submit_statement())
    # One write into a watched table (or one the reading cannot place) makes it matter.
    assert page_cache.changes_data(
        'WITH n AS (INSERT INTO "questionnaires_usednonce" ("nonce") VALUES (%s) RETURNING 1)'
        ' UPDATE "questionnaires_round" SET "closed_on" = %s'
    )
    assert page_cache.changes_data(
        'WITH n AS (INSERT INTO "questionnaires_answer" ("value") VALUES (1)'
        ' ON CONFLICT ("id") DO UPDATE SET "value" = 2 RETURNING 1) SELECT 1 FROM n'
    )
    assert page_cache.changes_data(
        'WITH n AS (DELETE FROM "public"."research_cycle_comment" RETURNING 1) SELECT 1 FROM n'
    )
    assert not page_cache.changes_data('WITH n AS (SELECT 1) SELECT * FROM "schools_school"')
