"""The network overview's body is drawn once per process for the numbers it shows
(issue 17, ``oversight.templatetags.oversight_parts.network_body``): the numbers
are read on every visit, and the body is kept under them. What a person must
notice: every change shows on the next visit, each person sees the numbers of
their own schools, and the page reads the same in either language.

The page cache is off here, so these tests see the body's own memo."""

import datetime

import pytest
from lxml import html as lxml_html

from knowledge_base.models import StudyReadCount
from oversight.templatetags import oversight_parts
from partnership.models import LearningCommunity
from research_cycle.services import cycle_advance_stage
from schools.models import Role, School
from tests import factories
from tests.knowledge_base.conftest import make_study

from .helpers import log, start_cycle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture(autouse=True)
def drawn(calls_of):
    """How many times the body was drawn (not taken from the memo)."""
    return calls_of(oversight_parts, "render_body")


def main_text(client, **query) -> str:
    response = client.get("/oversight/network/", query, secure=True)
    assert response.status_code == 200
    main = lxml_html.fromstring(response.content).xpath("//main")[0]
    return " ".join(" ".join(main.itertext()).split())


def cells(client, testid: str) -> list[list[str]]:
    response = client.get("/oversight/network/", secure=True)
    table = lxml_html.fromstring(response.content).xpath(f"//table[@data-testid='{testid}']")[0]
    return [
        [" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")]
        for tr in table.xpath(".//tbody/tr")
    ]


@pytest.fixture
def cycle(network):
    return start_cycle(network.team, network.people["coach"], stage_order=2)


@pytest.fixture
def facilitator(client, network, cycle, drawn):
    """The process facilitator has seen the page once; the second visit takes the
    body from the memo."""
    client.force_login(network.people["process_facilitator"])
    first = main_text(client)
    assert len(drawn) == 1
    assert main_text(client) == first
    assert len(drawn) == 1, "the same numbers: the body is not drawn again"
    return network


def test_a_new_log_entry_shows_in_the_activity(client, facilitator, cycle):
    day = facilitator.school_year.starts_on + datetime.timedelta(days=14)
    assert "0 logboekitems dit schooljaar." in main_text(client)
    log(cycle, facilitator.people["coach"], day)
    assert "1 logboekitem dit schooljaar." in main_text(client)
    log(cycle, facilitator.people["coach"], day)
    assert "2 logboekitems dit schooljaar." in main_text(client)


def test_a_team_that_moves_on_moves_in_the_stage_table(client, facilitator, cycle):
    def teams_in(stage: str) -> str:
        return next(row[1] for row in cells(client, "stage-table") if row[0].startswith(stage))

    assert teams_in("2.") == "1"
    cycle_advance_stage(cycle=cycle, user=facilitator.people["coach"], reason="Verder")
    assert teams_in("2.") == "0"
    assert teams_in("3.") == "1"


def test_a_renamed_school_shows_in_the_communities_and_the_participation(client, facilitator):
    School.objects.filter(pk=facilitator.school.pk).update(name="Basisschool De Vlinder")
    text = main_text(client)
    assert text.count("Basisschool De Vlinder") == 2  # its community card and its row


def test_a_new_role_counts_in_the_participation(client, facilitator):
    def coaches() -> str:
        (row,) = cells(client, "participation-table")
        return row[1]

    assert coaches() == "1"
    factories.RoleMembershipFactory(
        user=factories.UserFactory(),
        role=Role.COACH,
        school=facilitator.school,
        school_year=facilitator.school_year,
    )
    assert coaches() == "2"


def test_a_community_s_new_name_question_and_facilitator_name_show(client, facilitator):
    LearningCommunity.objects.filter(pk=facilitator.community.pk).update(
        name="PLG Zuid-Oost", learning_questions="Hoe lezen kleuters graag?"
    )
    text = main_text(client)
    assert "PLG Zuid-Oost" in text
    assert "Hoe lezen kleuters graag?" in text
    person = facilitator.people["process_facilitator"]
    person.full_name = "Noor El Amrani"
    person.save(update_fields=["full_name"])
    assert "Procesbegeleider: Noor El Amrani" in main_text(client)


def test_a_study_read_this_year_shows_in_the_most_read(client, facilitator):
    assert "Lezen met kleuters" not in main_text(client)
    study = make_study(
        school=facilitator.school, school_year=facilitator.school_year, title="Lezen met kleuters"
    )
    day = facilitator.school_year.starts_on + datetime.timedelta(days=30)
    StudyReadCount.objects.create(study=study, day=day, views=7, downloads=2)
    assert cells(client, "most-read") == [["Lezen met kleuters", "7", "2"]]
    StudyReadCount.objects.filter(study=study).update(views=8)
    assert cells(client, "most-read") == [["Lezen met kleuters", "8", "2"]]


def test_each_person_sees_their_own_schools(client, network, cycle, drawn):
    """The network admin sees every school; the facilitator only those of their
    learning community, whoever looked first."""
    for first, then in [
        ("network_admin", "process_facilitator"),
        ("process_facilitator", "network_admin"),
    ]:
        client.force_login(network.people[first])
        main_text(client)
        client.force_login(network.people[then])
        schools = [row[0] for row in cells(client, "participation-table")]
        if then == "network_admin":
            assert set(schools) == {network.school.name, network.other_school.name}
        else:
            assert schools == [network.school.name]


def test_the_body_follows_the_language(client, facilitator, drawn):
    dutch = main_text(client)
    client.cookies["django_language"] = "en"
    english = main_text(client)
    assert "Participation per school" in english
    assert "Deelname per school" in dutch
    assert len(drawn) == 2
    client.cookies["django_language"] = "nl"
    assert main_text(client) == dutch
    assert len(drawn) == 2, "each language's body is kept"
