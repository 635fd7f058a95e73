"""The team page keeps a stage's suggested studies under the version of what they
are drawn from (issue 17, ``inspiration.selectors.inspiration_for``): the library's
version (a trigger replaces it on every write to studies, their themes, schools,
school years and the index's word counts) and the team's themes, with the
question's words, the school and the stage in the key. What a coach must notice:
every change to the library or to the team shows on the next request.

PostgreSQL only (the ranking and the version are PostgreSQL's)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

from knowledge_base.models import Study
from knowledge_base.search.spelling import refresh_vocabulary
from schools.models import School
from tests.knowledge_base.conftest import make_study

from .conftest import start_cycle_at

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.usefixtures("no_page_cache")]


def panel(client, team) -> str:
    response = client.get(reverse("research_cycle:team_workspace", kwargs={"pk": team.pk}))
    assert response.status_code == 200
    found = lxml_html.fromstring(response.content).xpath("//*[@data-testid='inspiration']")
    return " ".join(" ".join(found[0].itertext()).split())


@pytest.fixture
def seen(client, network, library):
    """The coach has seen the panel once; asked again, it is kept (no ranking)."""
    client.force_login(network.people["coach"])
    first = panel(client, network.team)
    assert library.on_theme.title in first
    with CaptureQueriesContext(connection) as queries:
        assert panel(client, network.team) == first
    assert not [q for q in queries if "WITH library AS MATERIALIZED" in q["sql"]]
    return first


def library_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM knowledge_base_library_version WHERE id = 1")
        return cursor.fetchone()[0]


def test_a_newly_published_study_on_the_team_s_theme_is_suggested_at_once(
    client, network, library, seen
):
    fresh = make_study(
        school=network.other_school,
        school_year=network.school_year,
        themes=[library.themes["leesmotivatie"]],
        title="Leesouders in de klas",
    )
    assert fresh.title in panel(client, network.team)


def test_a_suggested_study_taken_offline_is_gone_at_once(client, network, library, seen):
    Study.objects.filter(pk=library.on_theme.pk).update(status=Study.Status.DRAFT)
    assert library.on_theme.title not in panel(client, network.team)


def test_a_retitled_study_and_a_renamed_school_show_their_new_names(client, network, library, seen):
    Study.objects.filter(pk=library.on_theme.pk).update(title="Voorlezen door zesdeklassers")
    assert "Voorlezen door zesdeklassers" in panel(client, network.team)
    School.objects.filter(pk=network.other_school.pk).update(name="Atheneum Zuid")
    assert "Atheneum Zuid" in panel(client, network.team)


def test_the_team_s_new_themes_change_its_suggestions(client, network, library, seen):
    network.team.themes.set([library.themes["welbevinden"]])
    text = panel(client, network.team)
    assert library.unrelated.title in text
    assert library.on_theme.title not in text


def test_a_new_research_question_changes_the_suggestions(client, network, library, seen):
    network.team.themes.clear()
    library.cycle.research_question = "Minder ruzie op de speelplaats na de middagpauze?"
    library.cycle.save()
    assert library.unrelated.title in panel(client, network.team)


def test_refilling_the_index_s_word_counts_renews_the_library_version(library):
    before = library_version()
    refresh_vocabulary()
    assert library_version() != before


def test_another_team_of_another_school_gets_its_own_suggestions(client, network, library, seen):
    """The team's own school is never suggested to it: a team of the other school,
    on the same theme, asking next, sees the home school's study and not its own."""
    network.other_team.themes.set([library.themes["leesmotivatie"]])
    start_cycle_at(network.other_team, 4)
    client.force_login(network.people["outsider"])
    theirs = panel(client, network.other_team)
    assert library.own_published.title in theirs
    assert library.on_theme.title not in theirs
