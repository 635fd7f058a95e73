"""The person's scope (access/scope.py): memberships read once, never stale.

What a person must notice: they see exactly what the role blocks of
``access.roles`` allow (the scope is only a cheaper way to ask), a membership
gained or lost shows on their next page, and a change made in the same request,
task or test shows at once."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access import scope as scope_module
from access.roles import (
    facilitates,
    is_bridge_builder_of_team,
    is_school_leader_at,
    team_memberships,
)
from access.scope import scope_of
from accounts.models import User
from research_cycle.models import ResearchTeam, TeamMembership
from schools.models import Role
from tests import factories
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS

pytestmark = pytest.mark.django_db


def _scope_queries(context: CaptureQueriesContext) -> int:
    return sum("UNION ALL" in query["sql"] for query in context.captured_queries)


def _teams_by_the_role_blocks(user: User) -> set[int]:
    """The teams rule written with the ``Exists`` blocks, as before the scope."""
    team, school, year = OuterRef("pk"), OuterRef("school"), OuterRef("school_year")
    return set(
        ResearchTeam.objects.filter(
            Q(Exists(team_memberships(user, team=team)))
            | is_bridge_builder_of_team(user, team=team, school=school, school_year=year)
            | Q(is_school_leader_at(user, school=school, school_year=year))
            | Q(facilitates(user, school=school, school_year=year))
        ).values_list("pk", flat=True)
    )


@pytest.fixture
def last_year_team(network):
    """A team of the home school in an earlier year, and the other school in the
    community of last year: roles of this year must not open them."""
    earlier = factories.SchoolYearFactory(name="2024-2025", is_current=False)
    community = factories.LearningCommunityFactory(
        partnership=network.partnership,
        school_year=earlier,
        process_facilitator=network.people["process_facilitator"],
    )
    factories.LearningCommunityMembershipFactory(community=community, school=network.other_school)
    return factories.ResearchTeamFactory(school=network.school, school_year=earlier)


@pytest.mark.parametrize(
    "persona", [p for p in PERSONAS + CONTINUUM_PERSONAS if p != "network_admin"]
)
def test_each_person_sees_the_teams_the_role_blocks_allow(network, last_year_team, persona):
    user = User.objects.get(pk=network.people[persona].pk)
    expected = _teams_by_the_role_blocks(user)
    assert set(ResearchTeam.objects.visible_to(user).values_list("pk", flat=True)) == expected
    assert last_year_team.pk not in expected


def test_two_people_each_get_their_own_scope(network):
    coach = User.objects.get(pk=network.people["coach"].pk)
    outsider = User.objects.get(pk=network.people["outsider"].pk)
    assert scope_of(coach).team_ids() == [network.team.pk]
    assert scope_of(outsider).team_ids() == [network.other_team.pk]
    assert scope_of(coach).schools_by_year() == {network.school_year.pk: {network.school.pk}}


def test_the_scope_is_read_once_for_many_questions(network):
    coach = User.objects.get(pk=network.people["coach"].pk)
    with CaptureQueriesContext(connection) as context:
        list(ResearchTeam.objects.visible_to(coach))
        list(ResearchTeam.objects.visible_to(coach))
        scope_of(coach)
    assert _scope_queries(context) == 1


def test_nobody_signed_in_has_an_empty_scope_without_a_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        scope = scope_of(AnonymousUser())
    assert scope.user_pk is None and not scope.roles and not scope.teams


def test_a_membership_gained_and_lost_shows_on_the_next_request(client, network, monkeypatch):
    """Even a write this process never saw (another web process, psql): every
    request has its own user object, so its own scope."""
    outsider = network.people["outsider"]
    url = reverse("research_cycle:team_workspace", args=[network.team.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404

    monkeypatch.setattr(scope_module, "note_write", lambda table, **kwargs: None)
    membership = factories.TeamMembershipFactory(team=network.team, user=outsider, role="coach")
    assert client.get(url).status_code == 200

    membership.delete()
    assert client.get(url).status_code == 404


def test_a_membership_written_later_in_the_same_process_shows_at_once(network):
    """Tasks, commands and tests keep a user object across writes: any write to a
    membership table makes the memo stale."""
    outsider = User.objects.get(pk=network.people["outsider"].pk)
    teams = ResearchTeam.objects.all()
    assert network.team not in teams.visible_to(outsider)

    factories.RoleMembershipFactory(
        user=outsider,
        role=Role.SCHOOL_LEADER,
        school=network.school,
        school_year=network.school_year,
    )
    assert network.team in teams.visible_to(outsider)

    TeamMembership.objects.filter(user=outsider).delete()
    assert network.other_team not in teams.visible_to(outsider)

    outsider.role_memberships.filter(role=Role.SCHOOL_LEADER).update(role=Role.TEACHER)
    assert network.team not in teams.visible_to(outsider)


def test_a_membership_rolled_back_is_gone(network):
    outsider = User.objects.get(pk=network.people["outsider"].pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.TeamMembershipFactory(team=network.team, user=outsider, role="coach")
        assert network.team in ResearchTeam.objects.visible_to(outsider)
        raise RuntimeError
    assert network.team not in ResearchTeam.objects.visible_to(outsider)


def test_other_writes_keep_the_memo(network):
    coach = User.objects.get(pk=network.people["coach"].pk)
    scope_of(coach)
    factories.SchoolFactory(partnership=network.partnership)
    with CaptureQueriesContext(connection) as context:
        scope_of(coach)
    assert _scope_queries(context) == 0


@pytest.mark.django_db(transaction=True)
def test_a_whole_transaction_rolled_back_takes_its_memberships_along():
    """Outside the tests' own transaction a rollback is no statement the write
    watcher sees: the end of the transaction makes the memo stale."""
    year = factories.SchoolYearFactory(is_current=True)
    school = factories.SchoolFactory()
    team = factories.ResearchTeamFactory(school=school, school_year=year)
    person = factories.UserFactory()
    assert team not in ResearchTeam.objects.visible_to(person)
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.RoleMembershipFactory(
            user=person, role=Role.SCHOOL_LEADER, school=school, school_year=year
        )
        assert team in ResearchTeam.objects.visible_to(person)
        raise RuntimeError
    assert team not in ResearchTeam.objects.visible_to(person)


def test_this_years_roles_follow_the_current_school_year(network):
    """``held_now`` (who may plan sessions, see cohorts, post vacancies, read the
    mentor register) is the roles of the year marked current; marking another year
    current shows at once, in the same process, without a new user object."""
    from partnership.models import SchoolYear

    leader = User.objects.get(pk=network.people["school_leader"].pk)
    assert [h.role for h in scope_of(leader).held_now()] == [Role.SCHOOL_LEADER]
    assert scope_of(leader).held_now([Role.COACH]) == []
    next_year = factories.SchoolYearFactory(name="2026-2027", is_current=False)
    factories.RoleMembershipFactory(
        user=leader, role=Role.COACH, school=network.school, school_year=next_year
    )
    assert [h.role for h in scope_of(leader).held_now()] == [Role.SCHOOL_LEADER]

    SchoolYear.objects.filter(pk=network.school_year.pk).update(is_current=False)
    SchoolYear.objects.filter(pk=next_year.pk).update(is_current=True)
    assert [h.role for h in scope_of(leader).held_now()] == [Role.COACH]
    assert scope_of(leader).current_years == (next_year.pk,)

    SchoolYear.objects.update(is_current=False)  # between two school years
    assert scope_of(leader).held_now() == []


def test_the_schools_and_institutions_held_this_year(network):
    """``school_ids_now`` / ``institution_ids_now`` (the schools one leads for
    vacancies and retention, the institutions whose cohorts and figures one reads):
    this year's only, of those roles only, and none between school years."""
    from partnership.models import SchoolYear

    builder = User.objects.get(pk=network.people["bridge_builder"].pk)
    institution = network.school.partnership.institution
    assert scope_of(builder).school_ids_now([Role.BRIDGE_BUILDER]) == [network.school.pk]
    assert scope_of(builder).institution_ids_now([Role.BRIDGE_BUILDER]) == [institution.pk]
    assert scope_of(builder).school_ids_now([Role.SCHOOL_LEADER]) == []

    last_year = factories.SchoolYearFactory(name="2019-2020", is_current=False)
    factories.RoleMembershipFactory(
        user=builder,
        role=Role.BRIDGE_BUILDER,
        school=network.other_school,
        institution=network.institution,
        school_year=last_year,
    )
    assert scope_of(builder).school_ids_now([Role.BRIDGE_BUILDER]) == [network.school.pk]

    SchoolYear.objects.update(is_current=False)
    assert scope_of(builder).school_ids_now() == []
    assert scope_of(builder).institution_ids_now() == []
