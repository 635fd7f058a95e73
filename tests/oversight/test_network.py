"""The network view's numbers on a known fixture: teams per stage, log entries per
week, learning communities and participation; and their CSV downloads."""

import csv
import datetime
import io

import pytest
import time_machine

from knowledge_base.models import Study
from oversight.selectors import (
    cycle_stages,
    distribution_of,
    participation,
    stage_distribution,
    team_rows,
    weekly_activity,
)
from schools.models import Role
from tests import factories

from .helpers import complete_cycle, log, start_cycle

pytestmark = pytest.mark.django_db

NOW = "2026-03-16 10:00 +01:00"


@pytest.fixture
def known(network):
    """Home team in stage 3 (question); a second home-school team completed its
    cycle; the other school's team has not started. Log entries on known days."""
    coach = network.people["coach"]
    with time_machine.travel(NOW, tick=False):
        home = start_cycle(network.team, coach, stage_order=3)
        done_team = factories.ResearchTeamFactory(
            school=network.school, school_year=network.school_year, theme="Afgerond"
        )
        complete_cycle(start_cycle(done_team, coach), coach)
    for day in [
        datetime.date(2025, 9, 1),  # Monday
        datetime.date(2025, 9, 3),
        datetime.date(2025, 9, 7),  # Sunday: same week
        datetime.date(2025, 9, 8),  # next Monday
        datetime.date(2026, 3, 12),
        datetime.date(2025, 8, 25),  # before the school year: not counted
    ]:
        log(home, coach, day)
    return network


def test_stage_distribution_counts_teams_per_stage(known):
    counts = {c.key: c.count for c in stage_distribution(known.school_year)}
    assert counts["not_started"] == 1
    assert counts["question"] == 1
    assert counts["completed"] == 1
    assert sum(counts.values()) == 3
    assert all(counts[code] == 0 for code in ["dilemma", "beliefs", "analysis", "evaluation"])
    assert len(counts) == 10  # eight stages, not started, completed


def test_stage_distribution_of_a_facilitator_covers_only_their_schools(known):
    counts = {
        c.key: c.count for c in stage_distribution(known.school_year, frozenset([known.school.pk]))
    }
    assert counts["not_started"] == 0
    assert sum(counts.values()) == 2


@pytest.mark.parametrize("persona", ["network_admin", "process_facilitator"])
def test_the_network_page_counts_its_stages_from_its_team_rows_as_the_query_does(known, persona):
    """The network page counts the teams per stage from the team rows it has read
    (no query of its own); the numbers are those of ``stage_distribution`` over the
    same schools, for everyone who sees the page."""
    from oversight.permissions import oversight_scope

    user = known.people[persona]
    scope = oversight_scope(user, known.school_year)
    ids = scope.network_school_ids
    stages = cycle_stages()
    rows = team_rows(user, known.school_year, scope=scope, school_ids=ids, stages=stages)
    expected = [(c.key, c.label, c.count) for c in stage_distribution(known.school_year, ids)]
    assert [(c.key, c.label, c.count) for c in distribution_of(rows, stages)] == expected
    assert sum(count for _key, _label, count in expected) == len(rows) > 0


def test_weekly_activity_counts_entries_per_week_across_the_year(known):
    weeks = dict(weekly_activity(known.school_year))
    assert weeks[datetime.date(2025, 9, 1)] == 3
    assert weeks[datetime.date(2025, 9, 8)] == 1
    assert weeks[datetime.date(2026, 3, 9)] == 1
    assert weeks[datetime.date(2025, 9, 15)] == 0
    assert sum(weeks.values()) == 5
    assert min(weeks) == datetime.date(2025, 9, 1)
    assert max(weeks) == datetime.date(2026, 6, 29)
    assert all(week.weekday() == 0 for week in weeks)


def test_participation_counts_people_studies_and_cycles(known):
    for index, status in enumerate([Study.Status.PUBLISHED, Study.Status.DRAFT]):
        Study.objects.create(
            title=f"Leesmotivatie {index}",
            summary="Samenvatting",
            slug=f"leesmotivatie-{index}",
            school=known.school,
            school_year=known.school_year,
            status=status,
            published_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
        )
    rows = {row.school.pk: row for row in participation(known.school_year)}
    home = rows[known.school.pk]
    assert home.members[Role.COACH] == 1
    assert home.members[Role.STUDENT_TEACHER] == 1
    assert home.members[Role.BRIDGE_BUILDER] == 1
    assert home.cycles_completed == 1
    assert home.studies_published == 1
    assert rows[known.other_school.pk].members == {Role.COACH: 1}
    assert rows[known.other_school.pk].cycles_completed == 0
    assert rows[known.other_school.pk].studies_published == 0  # counted per school
    assert home.sessions_attended == 0  # no sessions yet


def test_participation_counts_the_sessions_a_schools_people_attended(known, network):
    from network_sessions.models import NetworkSession, Participation

    def session(title, status="scheduled", month=10):
        return NetworkSession.objects.create(
            kind="learning_network",
            title=title,
            school_year=known.school_year,
            starts_at=datetime.datetime(2025, month, 6, 14, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2025, month, 6, 16, tzinfo=datetime.UTC),
            status=status,
            organiser=network.people["bridge_builder"],
        )

    first, second, cancelled, missed = (
        session("Lerend netwerk 1"),
        session("Lerend netwerk 2", month=11),
        session("Geannuleerd", status="cancelled", month=12),
        session("Gemist", month=9),
    )
    people = network.people
    for sess, person, attended in [
        (first, "coach", True),
        (first, "school_leader", True),  # the same session counts once per school
        (second, "student_teacher", True),
        (cancelled, "coach", True),  # a cancelled session is not counted
        (missed, "coach", False),
        (first, "outsider", True),  # attends for the other school
    ]:
        Participation.objects.create(session=sess, user=people[person], attended=attended)

    rows = {row.school.pk: row for row in participation(known.school_year)}
    assert rows[known.school.pk].sessions_attended == 2
    assert rows[known.other_school.pk].sessions_attended == 1


def _csv(response):
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_network_page_shows_charts_with_tables(client, known):
    client.force_login(known.people["process_facilitator"])
    html = client.get("/oversight/network/").content.decode()
    assert 'data-testid="stage-chart"' in html and 'data-testid="stage-table"' in html
    assert 'data-testid="activity-chart"' in html and 'data-testid="activity-table"' in html
    assert "<svg" in html and "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    assert "Waar staan de teams in de onderzoekscyclus" in html
    assert "PLG Zuid" in html and "Els Wouters" in html


def test_stage_and_activity_csv(client, known):
    client.force_login(known.people["network_admin"])
    rows = _csv(client.get("/oversight/export/stages.csv"))
    assert rows[0] == ["Fase", "Teams"]
    assert ["Niet gestart", "1"] in rows and ["Cyclus afgerond", "1"] in rows
    assert ["3. Onderzoeksvraag", "1"] in rows or any(
        r[0].startswith("3.") and r[1] == "1" for r in rows
    )
    rows = _csv(client.get("/oversight/export/activity.csv"))
    assert rows[0] == ["Week van", "Logboekitems"]
    assert ["2025-09-01", "3"] in rows


def test_participation_and_communities_csv(client, known):
    known.school.name = "Basisschool Mozaïek"
    known.school.save()
    client.force_login(known.people["network_admin"])
    raw = client.get("/oversight/export/participation.csv")
    assert "Mozaïek".encode() in raw.content
    rows = _csv(raw)
    assert rows[0][0] == "School"
    mozaiek = next(r for r in rows if r[0] == "Basisschool Mozaïek")
    assert mozaiek[1] == "1"  # one coach
    rows = _csv(client.get("/oversight/export/communities.csv"))
    assert rows[0][:2] == ["Professionele leergemeenschap", "Procesbegeleider"]
    assert any(r[0] == "PLG Zuid" and r[3] == "Basisschool Mozaïek" for r in rows)


@time_machine.travel(NOW, tick=False)
def test_teams_csv_follows_the_filters_and_defuses_formulas(client, known):
    known.team.theme = "=HYPERLINK(1)"
    known.team.save()
    client.force_login(known.people["bridge_builder"])
    rows = _csv(client.get("/oversight/export/teams.csv?flag=inactive"))
    assert rows[0][0] == "School"
    assert [r[1] for r in rows[1:]] == []  # nobody inactive: last entry 4 days ago
    rows = _csv(client.get("/oversight/export/teams.csv"))
    themes = [r[1] for r in rows[1:]]
    assert "'=HYPERLINK(1)" in themes and "Afgerond" in themes


def test_unknown_table_is_404(client, known):
    client.force_login(known.people["network_admin"])
    assert client.get("/oversight/export/passwords.csv").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_each_learning_community_shows_all_its_schools_in_slot_order(client, known):
    """A facilitator's communities are read through their schools (one query), a
    network admin's from the communities themselves (so one without schools shows
    too): both list every school of a community by its place, and only this year's."""
    known.other_school.name = "Atheneum Aan de Vaart"  # first by name, last by place
    known.other_school.save()
    factories.LearningCommunityMembershipFactory(
        community=known.community, school=known.other_school, slot=4
    )
    third = factories.SchoolFactory(partnership=known.partnership, name="Basisschool Zonneveld")
    factories.LearningCommunityMembershipFactory(community=known.community, school=third, slot=2)
    factories.LearningCommunityFactory(
        partnership=known.partnership, school_year=known.school_year, name="PLG Noord"
    )
    earlier = factories.LearningCommunityFactory(
        partnership=known.partnership,
        school_year=factories.SchoolYearFactory(name="2024-2025"),
        name="PLG Vroeger",
        process_facilitator=known.people["process_facilitator"],
    )
    factories.LearningCommunityMembershipFactory(community=earlier, school=known.school)
    in_order = ["Basisschool De Regenboog", "Basisschool Zonneveld", "Atheneum Aan de Vaart"]

    def cards(html):
        return [card.split("</article>")[0] for card in html.split('data-testid="community"')[1:]]

    client.force_login(known.people["process_facilitator"])
    (card,) = cards(client.get("/oversight/network/").content.decode())
    assert "PLG Zuid" in card
    assert sorted(in_order, key=card.index) == in_order
    assert "Leesmotivatie" in card and "Feedback" in card  # each school's teams
    rows = _csv(client.get("/oversight/export/communities.csv"))
    assert [r[3] for r in rows[1:] if r[0] == "PLG Zuid"] == [
        "Basisschool De Regenboog",
        "Basisschool De Regenboog",  # its two teams
        "Basisschool Zonneveld",
        "Atheneum Aan de Vaart",
    ]
    assert not any(r[0] in ("PLG Noord", "PLG Vroeger") for r in rows)

    client.force_login(known.people["network_admin"])
    noord, zuid = cards(client.get("/oversight/network/").content.decode())
    assert "PLG Noord" in noord and "Basisschool" not in noord.split("<tbody>")[1]
    assert sorted(in_order, key=zuid.index) == in_order
