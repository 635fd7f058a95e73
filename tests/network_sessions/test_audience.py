"""Who is invited follows from the audience, in the session's school year."""

import pytest

from network_sessions.models import NetworkSession
from network_sessions.selectors import invitees
from tests import factories
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


def names(session) -> set[str]:
    return set(invitees(session).values_list("email", flat=True))


def test_by_role_invites_every_coach_and_bridge_builder_of_the_network(plan, network):
    session = plan(audience_roles=["coach", "bridge_builder"])
    assert names(session) == {"coach@school.test", "bb@school.test", "other@school.test"}


def test_by_school_invites_everyone_with_a_role_at_that_school(plan, network):
    session = plan(audience_schools=[network.school])
    assert names(session) == {
        "coach@school.test",
        "rt@school.test",
        "st@school.test",
        "bb@school.test",
        "sl@school.test",
        "mentor@school.test",
        "starter@school.test",
        "changer@school.test",
    }


def test_by_learning_community_invites_its_facilitator_and_school_leaders(plan, network):
    session = plan(kind="learning_community", audience_communities=[network.community])
    assert names(session) == {"pf@school.test", "sl@school.test"}


def test_named_people_are_invited(plan, network):
    session = plan(audience_people=[network.people["research_teacher"]])
    assert names(session) == {"rt@school.test"}


def test_a_coach_who_joins_later_is_invited_too(plan, network):
    session = plan(audience_roles=["coach"])
    newcomer = factories.UserFactory(email="new-coach@school.test")
    assert "new-coach@school.test" not in names(session)
    factories.RoleMembershipFactory(
        user=newcomer, role="coach", school=network.other_school, school_year=network.school_year
    )
    assert "new-coach@school.test" in names(session)
    assert NetworkSession.objects.invited(newcomer).filter(pk=session.pk).exists()


def test_roles_of_another_school_year_do_not_count(plan, network):
    last_year = factories.SchoolYearFactory(name="2024-2025")
    former = factories.UserFactory(email="former@school.test")
    factories.RoleMembershipFactory(
        user=former, role="coach", school=network.school, school_year=last_year
    )
    session = plan(audience_roles=["coach"])
    assert "former@school.test" not in names(session)


def test_deactivated_people_are_not_invited(plan, network):
    coach = network.people["coach"]
    coach.is_active = False
    coach.save()
    session = plan(audience_roles=["coach"])
    assert "coach@school.test" not in names(session)


@pytest.mark.parametrize(
    "audience",
    [
        {"audience_roles": ["school_leader", "student_teacher"]},
        {"audience_schools": "school"},
        {"audience_communities": "community"},
        {"audience_people": "coach"},
        {"audience_roles": ["research_teacher"], "audience_communities": "community"},
    ],
)
def test_invited_and_invitees_agree_for_every_persona(plan, network, audience):
    """The two directions of the audience rule (the person's list of sessions and
    the session's list of people) must never disagree."""
    resolved = {}
    for key, value in audience.items():
        if value == "school":
            resolved[key] = [network.school]
        elif value == "community":
            resolved[key] = [network.community]
        elif value == "coach":
            resolved[key] = [network.people["coach"]]
        else:
            resolved[key] = value
    session = plan(**resolved)
    invited_people = set(invitees(session))
    for persona in PERSONAS:
        person = network.people[persona]
        in_their_list = NetworkSession.objects.invited(person).filter(pk=session.pk).exists()
        assert in_their_list == (person in invited_people), persona


def test_only_invitees_the_organiser_and_admins_see_a_session(plan, network):
    session = plan(audience_people=[network.people["coach"]])
    visible = {
        persona
        for persona in PERSONAS
        if NetworkSession.objects.visible_to(network.people[persona]).filter(pk=session.pk)
    }
    assert visible == {"coach", "bridge_builder", "network_admin"}
