"""The oversight pages keep the school years and the cycle stages per process under
the version of those tables (issue 17, ``oversight.selectors.school_years`` and
``cycle_stages``, ``research_cycle.ReferenceVersion``): the database gives the
tables a new version after every statement that writes a school year, a stage or
a checklist item, by any path, and the version is read with the signed-in
person's row. What a person must notice: every change shows on the next request.

PostgreSQL only: the version is written by triggers (on SQLite nothing is kept).
The page cache is off here, so these tests see the kept rows themselves."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from partnership.models import SchoolYear
from research_cycle.models import ChecklistItem, CycleStage, ReferenceVersion
from tests import factories

from .helpers import start_cycle

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.usefixtures("no_page_cache")]


def version():
    return ReferenceVersion.objects.get(pk=1).version


def page(client, path):
    response = client.get(path, secure=True)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def year_options(client) -> list[str]:
    """The names in the network overview's school-year selector."""
    return [
        " ".join(o.text_content().split())
        for o in page(client, "/oversight/network/").xpath("//select[@name='year']/option")
    ]


def stage_labels(client) -> list[str]:
    """The stages of the network overview's table of teams per stage."""
    table = page(client, "/oversight/network/").xpath("//table[@data-testid='stage-table']")[0]
    return [th.text_content().strip() for th in table.xpath(".//tbody/tr/th")]


def checklist_cell(client) -> str:
    """The bridge-builder's overview: the home team's checklist column."""
    cells = page(client, "/oversight/").xpath("//td[@data-label='Checklist']")
    return " ".join(" ".join(cells[0].text_content().split()).split())


def reads(queries, table: str) -> bool:
    return any(q["sql"].startswith(f'SELECT "{table}"') for q in queries)


@pytest.fixture
def facilitator(client, network):
    """The process facilitator has had the network overview open once, so the
    years and stages are kept, and the next ask reads neither."""
    client.force_login(network.people["process_facilitator"])
    with CaptureQueriesContext(connection) as queries:
        year_options(client)
    assert reads(queries, "partnership_schoolyear")
    assert reads(queries, "research_cycle_cyclestage")
    with CaptureQueriesContext(connection) as queries:
        year_options(client)
    assert not reads(queries, "partnership_schoolyear"), "kept"
    assert not reads(queries, "research_cycle_cyclestage"), "kept"
    return network


def test_the_version_changes_after_every_write_to_the_three_tables_by_any_path(network):
    seen = {version()}
    year = SchoolYear.objects.get(pk=network.school_year.pk)
    year.name = "2025–26"
    year.save()
    seen.add(version())
    CycleStage.objects.filter(order=1).update(name_en="Dilemma!")
    seen.add(version())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE research_cycle_checklistitem SET text_nl = text_nl || '.'")
    seen.add(version())
    ChecklistItem.objects.filter(stage__order=8).delete()
    seen.add(version())
    assert len(seen) == 5


def test_a_new_and_a_renamed_school_year_show_at_once(client, facilitator):
    factories.SchoolYearFactory(name="2026-2027", is_current=False)
    assert "2026-2027" in year_options(client)
    SchoolYear.objects.filter(name="2026-2027").update(name="2026–27")
    assert "2026–27" in year_options(client)
    assert "2026-2027" not in year_options(client)


def test_a_deleted_school_year_is_gone(client, facilitator):
    factories.SchoolYearFactory(name="2019-2020", is_current=False)
    assert "2019-2020" in year_options(client)
    SchoolYear.objects.filter(name="2019-2020").delete()
    assert "2019-2020" not in year_options(client)


def test_a_renamed_stage_shows_at_once_also_by_raw_sql(client, facilitator):
    assert "1. Dilemma" in stage_labels(client)
    CycleStage.objects.filter(order=1).update(name_nl="Het dilemma")
    assert "1. Het dilemma" in stage_labels(client)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE research_cycle_cyclestage SET name_nl = 'Dilemma kiezen' WHERE \"order\" = 1"
        )
    assert "1. Dilemma kiezen" in stage_labels(client)


def test_a_new_checklist_item_counts_at_once(client, network):
    start_cycle(network.team, network.people["coach"], stage_order=1)
    client.force_login(network.people["bridge_builder"])
    before = checklist_cell(client)
    stage = CycleStage.objects.get(order=1)
    total = stage.checklist_items.count()
    assert before == f"0 van {total}"
    assert checklist_cell(client) == before  # kept
    ChecklistItem.objects.create(stage=stage, order=99, text_nl="Nieuw", text_en="New")
    assert checklist_cell(client) == f"0 van {total + 1}"
    ChecklistItem.objects.filter(stage=stage, order=99).delete()
    assert checklist_cell(client) == f"0 van {total}"


def test_without_the_version_row_everything_is_read_every_time(client, facilitator):
    ReferenceVersion.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        options = year_options(client)
    assert reads(queries, "partnership_schoolyear")
    factories.SchoolYearFactory(name="2030-2031", is_current=False)
    assert "2030-2031" in year_options(client)
    assert len(year_options(client)) == len(options) + 1
