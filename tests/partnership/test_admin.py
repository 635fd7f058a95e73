"""Network admins manage everything in the admin; changelists stay cheap."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.urls import reverse

from oversight.models import PartnershipAgreement
from partnership.models import LearningCommunity
from tests import factories
from tests.knowledge_base.publishing import StudyFactory

pytestmark = pytest.mark.django_db

ROWS = 30
QUERY_BUDGET = 12


def _fill(network):
    for _ in range(ROWS):
        school = factories.SchoolFactory(partnership=network.partnership)
        user = factories.UserFactory()
        factories.RoleMembershipFactory(user=user, school=school, school_year=network.school_year)
        team = factories.ResearchTeamFactory(school=school, school_year=network.school_year)
        factories.TeamMembershipFactory(team=team, user=user)
        community = factories.LearningCommunityFactory(
            partnership=network.partnership,
            school_year=network.school_year,
            process_facilitator=user,
        )
        factories.LearningCommunityMembershipFactory(community=community, school=school)
        PartnershipAgreement.objects.create(school=school, school_year=network.school_year)
        factories.InstitutionFactory()
        factories.PartnershipFactory(institution=network.institution)
        factories.SchoolYearFactory()
        StudyFactory(school=school, school_year=network.school_year, team=team)
        UserSession.objects.create(
            user=user, session_key=f"key-{user.pk}", ip="127.0.0.1", user_agent="Firefox"
        )
    from tests.network_sessions.admin_rows import fill as fill_network_sessions

    fill_network_sessions(network, ROWS)
    from tests.placements.admin_rows import fill as fill_placements

    fill_placements(network, ROWS)

    from tests.internships.admin_rows import fill as fill_internships

    fill_internships(network, ROWS)
    from tests.induction.admin_rows import fill as fill_induction

    fill_induction(network, ROWS)
    from tests.vacancies.admin_rows import fill as fill_vacancies

    fill_vacancies(network, ROWS)
    from tests.retention.admin_rows import fill as fill_retention

    fill_retention(network, ROWS)
    from tests.reviews.admin_rows import fill as fill_reviews

    fill_reviews(network, ROWS)
    from tests.monitoring.admin_rows import fill as fill_monitoring

    fill_monitoring(network, ROWS)
    from tests.questionnaires.admin_rows import fill as fill_questionnaires

    fill_questionnaires(network, ROWS)
    from tests.privacy.admin_rows import fill as fill_privacy

    fill_privacy(network, ROWS)
    from tests.inspiration.admin_rows import fill as fill_inspiration

    fill_inspiration(network, ROWS)
    from tests.notifications.admin_rows import fill as fill_notifications

    fill_notifications(network, ROWS)


@pytest.mark.parametrize(
    "model",
    [m for m in admin.site._registry if m._meta.app_label != "account"],
    ids=lambda m: m._meta.label,
)
def test_every_changelist_renders_within_a_fixed_query_budget(
    client, network, model, django_assert_max_num_queries
):
    _fill(network)
    assert model.objects.count() > QUERY_BUDGET or model._meta.label in {
        "research_cycle.CycleStage",
        "research_cycle.ChecklistItem",
        "knowledge_base.Theme",  # a seeded vocabulary of ten
        "retention.Baseline",  # one per school level
        "privacy.RetentionPeriod",  # one per kind of data
        "sites.Site",
        "auth.Group",
        "account.EmailAddress",
    }
    client.force_login(network.people["network_admin"])
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(url)
    assert response.status_code == 200


def test_schools_can_be_searched_by_name_city_and_number_and_filtered(client, network):
    factories.SchoolFactory(name="Lyceum Zuid", city="Elsene", institution_number="987654")
    client.force_login(network.people["network_admin"])
    url = reverse("admin:schools_school_changelist")
    for query in ["Lyceum", "Elsene", "987654"]:
        assert "Lyceum Zuid" in client.get(url, {"q": query}).content.decode()
    html = client.get(url, {"level__exact": "secondary"}).content.decode()
    assert "Atheneum Noord" in html and "Basisschool De Regenboog" not in html


def test_a_fifth_school_in_the_admin_inline_is_refused_with_a_message(client, network):
    client.force_login(network.people["network_admin"])
    community = network.community
    schools = [factories.SchoolFactory(partnership=network.partnership) for _ in range(4)]
    url = reverse("admin:partnership_learningcommunity_change", args=[community.pk])
    data = {
        "partnership": network.partnership.pk,
        "school_year": network.school_year.pk,
        "name": community.name,
        "process_facilitator": network.people["process_facilitator"].pk,
        "learning_questions": "",
        "memberships-TOTAL_FORMS": "5",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "4",
        "memberships-0-id": community.memberships.get().pk,
        "memberships-0-community": community.pk,
        "memberships-0-school": network.school.pk,
    }
    for index, school in enumerate(schools, 1):
        data[f"memberships-{index}-community"] = community.pk
        data[f"memberships-{index}-school"] = school.pk
    response = client.post(url, data)
    assert response.status_code == 200
    assert (
        "ten hoogste 4 scholen" in response.content.decode()
        or "at most 4" in response.content.decode()
    )
    assert LearningCommunity.objects.get(pk=community.pk).memberships.count() == 1


def test_only_network_admins_reach_the_admin(client, network):
    client.force_login(network.people["coach"])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
