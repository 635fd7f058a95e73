"""The bridge-builder's overview: filters, links into the workspace, bad filters."""

import datetime

import pytest
import time_machine

from tests import factories

from .helpers import log, start_cycle

pytestmark = pytest.mark.django_db

NOW = "2026-03-16 10:00 +01:00"


@pytest.fixture
def three_teams(network):
    """At the bridge-builder's school: the home team (stage 3, on track), a quiet
    team (no entry for 30 days) and a second school of the bridge-builder whose
    team has not started."""
    coach = network.people["coach"]
    with time_machine.travel(NOW, tick=False):
        home = start_cycle(network.team, coach, stage_order=3, days_in_stage=5)
        log(home, coach, datetime.date(2026, 3, 13))
        quiet_team = factories.ResearchTeamFactory(
            school=network.school, school_year=network.school_year, theme="Stil team"
        )
        quiet = start_cycle(quiet_team, coach, stage_order=2, days_in_stage=40)
        log(quiet, coach, datetime.date(2026, 2, 14))
    second = factories.SchoolFactory(partnership=network.partnership, name="Basisschool Tweede")
    factories.RoleMembershipFactory(
        user=network.people["bridge_builder"],
        role="bridge_builder",
        school=second,
        institution=network.institution,
        school_year=network.school_year,
    )
    factories.ResearchTeamFactory(school=second, school_year=network.school_year, theme="Nieuw")
    return network


def _themes(response):
    return [row.team.theme for row in response.context["rows"]]


@time_machine.travel(NOW, tick=False)
def test_filters_by_school_stage_and_flag(client, three_teams):
    client.force_login(three_teams.people["bridge_builder"])
    response = client.get("/oversight/")
    assert _themes(response)[0] == "Stil team"
    assert set(_themes(response)) == {"Stil team", "Leesmotivatie", "Nieuw"}
    assert _themes(client.get("/oversight/?flag=any")) == ["Stil team"]
    assert set(_themes(client.get("/oversight/?flag=none"))) == {"Leesmotivatie", "Nieuw"}
    assert _themes(client.get("/oversight/?stage=question")) == ["Leesmotivatie"]
    assert _themes(client.get("/oversight/?stage=not_started")) == ["Nieuw"]
    school = three_teams.school.pk
    assert set(_themes(client.get(f"/oversight/?school={school}"))) == {
        "Stil team",
        "Leesmotivatie",
    }


@time_machine.travel(NOW, tick=False)
def test_the_team_links_to_its_workspace_and_shows_the_student_teacher(client, three_teams):
    client.force_login(three_teams.people["bridge_builder"])
    html = client.get("/oversight/").content.decode()
    assert f'href="/teams/{three_teams.team.pk}/"' in html
    assert "Milan De Smet" in html  # the student teacher placed at the home school
    assert "30 dagen niets gelogd" in html
    assert "Vraagt aandacht" in html and "Op schema" in html


@time_machine.travel(NOW, tick=False)
def test_bad_filters_say_so_in_dutch_and_show_every_team(client, three_teams):
    client.force_login(three_teams.people["bridge_builder"])
    response = client.get("/oversight/?stage=bestaat-niet&school=999999")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Deze filters konden niet toegepast worden" in html
    assert "Selecteer een geldige keuze" in html
    assert len(_themes(response)) == 3


def test_a_school_year_can_be_chosen(client, three_teams):
    previous = factories.SchoolYearFactory(name="2024-2025")
    factories.RoleMembershipFactory(
        user=three_teams.people["bridge_builder"],
        role="bridge_builder",
        school=three_teams.school,
        institution=three_teams.institution,
        school_year=previous,
    )
    old_team = factories.ResearchTeamFactory(
        school=three_teams.school, school_year=previous, theme="Vorig jaar"
    )
    client.force_login(three_teams.people["bridge_builder"])
    response = client.get(f"/oversight/?year={previous.pk}")
    assert [row.team for row in response.context["rows"]] == [old_team]
    assert response.context["school_year"] == previous


def test_a_year_without_assignments_shows_an_empty_state_not_a_404(client, three_teams):
    previous = factories.SchoolYearFactory(name="2024-2025")
    client.force_login(three_teams.people["bridge_builder"])
    response = client.get(f"/oversight/?year={previous.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Je volgt in 2024-2025 geen scholen op." in html
    assert response.context["rows"] == []
    # The year selector still offers the way back to a year with schools.
    assert f'<option value="{three_teams.school_year.pk}"' in html
    assert 'data-testid="team-row"' not in html


def test_someone_who_never_oversees_still_gets_a_404_for_any_year(client, three_teams):
    previous = factories.SchoolYearFactory(name="2024-2025")
    client.force_login(three_teams.people["coach"])
    assert client.get(f"/oversight/?year={previous.pk}").status_code == 404
