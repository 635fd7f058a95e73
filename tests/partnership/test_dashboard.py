import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_my_roles_schools_teams_and_community(client, network):
    client.force_login(network.people["coach"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "Leerkracht-coach" in html
    assert "Basisschool De Regenboog" in html
    assert "Leesmotivatie" in html
    assert "PLG Zuid" in html
    assert "Feedback" not in html  # the other school's team


def test_the_dashboard_only_shows_the_current_school_year(client, network):
    last_year = factories.SchoolYearFactory(name="2024-2025")
    old_team = factories.ResearchTeamFactory(
        school=network.school, school_year=last_year, theme="Oud thema"
    )
    factories.TeamMembershipFactory(team=old_team, user=network.people["coach"])
    client.force_login(network.people["coach"])
    assert "Oud thema" not in client.get(reverse("dashboard")).content.decode()


def test_the_process_facilitator_sees_their_learning_community(client, network):
    client.force_login(network.people["process_facilitator"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "PLG Zuid" in html
    assert "Basisschool De Regenboog" in html


def test_dashboard_query_budget(client, network, django_assert_max_num_queries):
    coach = network.people["coach"]
    for _ in range(15):
        school = factories.SchoolFactory(partnership=network.partnership)
        factories.RoleMembershipFactory(
            user=coach, role="research_teacher", school=school, school_year=network.school_year
        )
        team = factories.ResearchTeamFactory(school=school, school_year=network.school_year)
        factories.TeamMembershipFactory(team=team, user=coach, role="research_teacher")
        factories.TeamMembershipFactory(team=team)
        community = factories.LearningCommunityFactory(
            partnership=network.partnership, school_year=network.school_year
        )
        factories.LearningCommunityMembershipFactory(community=community, school=school)
    client.force_login(coach)
    # 10, and one for the internships panel (a coach may mentor).
    # +3: "Waiting for you" (studies, questionnaire invitations) and the unread badge.
    # -1 (sixth session): the role in each team comes from the scope, no query of
    # the teams' members.
    # -1 (fifteenth session): the school year comes with the roles (the scope knows
    # which year is current).
    # Twentieth session: the budget is what the page runs: 9 (the communities come
    # with their schools in one query, and the page had drifted below 12).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("dashboard"))
    assert response.content.decode().count('class="list-group-item px-0"') == 16


def test_the_dashboard_shows_my_own_role_in_each_team(client, network):
    """The role per team comes from the person's scope: each person sees their own,
    and a role changed by a bulk update shows on the next request."""
    from research_cycle.models import TeamMembership

    coach, teacher = network.people["coach"], network.people["research_teacher"]
    team = TeamMembership.objects.get(user=coach, team__school_year=network.school_year).team
    client.force_login(coach)
    html = client.get(reverse("dashboard")).content.decode()
    assert f"{team.theme}</a>" in html
    assert "mijn rol: Leerkracht-coach" in html
    client.force_login(teacher)
    html = client.get(reverse("dashboard")).content.decode()
    assert "mijn rol: Onderzoekende leerkracht" in html
    assert "mijn rol: Leerkracht-coach" not in html
    TeamMembership.objects.filter(user=teacher, team=team).update(role="bridge_builder")
    html = client.get(reverse("dashboard")).content.decode()
    assert "mijn rol: Bruggenbouwer" in html
    assert "mijn rol: Onderzoekende leerkracht" not in html


@pytest.mark.parametrize("with_a_role", [True, False])
def test_the_dashboard_names_the_current_school_year_with_or_without_a_role(
    client, network, with_a_role
):
    """The year's name comes with one's roles; someone without a role this year (a
    role last year only) still sees which year it is, and no roles of last year."""
    from partnership.models import SchoolYear
    from schools.models import RoleMembership

    last_year = factories.SchoolYearFactory(name="2024-2025", is_current=False)
    person = network.people["coach"]
    if not with_a_role:
        RoleMembership.objects.filter(user=person).update(school_year=last_year)
    client.force_login(person)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Schooljaar 2025-2026" in html
    assert "2024-2025" not in html
    assert ('data-testid="my-roles"' in html) is with_a_role

    SchoolYear.objects.update(is_current=False)  # between two school years
    html = client.get(reverse("dashboard")).content.decode()
    assert "Er is nog geen huidig schooljaar ingesteld" in html


def test_a_community_shows_all_its_schools_and_its_facilitator_one_without_schools(client, network):
    """A member reads their communities through their schools (one query), so a
    community without schools is found for its facilitator alone; each lists all its
    schools by place, and only this school year's."""
    factories.LearningCommunityMembershipFactory(
        community=network.community, school=network.other_school, slot=4
    )
    third = factories.SchoolFactory(partnership=network.partnership, name="Basisschool Zonneveld")
    factories.LearningCommunityMembershipFactory(community=network.community, school=third, slot=2)
    factories.LearningCommunityFactory(
        partnership=network.partnership,
        school_year=network.school_year,
        name="PLG Noord",
        process_facilitator=network.people["process_facilitator"],
    )
    earlier = factories.LearningCommunityFactory(
        partnership=network.partnership,
        school_year=factories.SchoolYearFactory(name="2024-2025"),
        name="PLG Vroeger",
    )
    factories.LearningCommunityMembershipFactory(community=earlier, school=network.school)
    schools = f"Basisschool De Regenboog · Basisschool Zonneveld · {network.other_school.name}"

    client.force_login(network.people["coach"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "PLG Zuid" in html and schools in html
    assert "PLG Noord" not in html and "PLG Vroeger" not in html

    client.force_login(network.people["process_facilitator"])
    html = client.get(reverse("dashboard")).content.decode()
    assert html.index("PLG Noord") < html.index("PLG Zuid") and schools in html
    assert "PLG Vroeger" not in html
