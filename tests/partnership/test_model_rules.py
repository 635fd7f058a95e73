"""The network's rules, with the messages people see when they break one."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from partnership.models import LearningCommunityMembership, SchoolYear
from partnership.services import learning_community_add_school, school_year_make_current
from schools.models import RoleMembership
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_fifth_school_in_a_learning_community_is_refused_with_the_limit_named():
    community = factories.LearningCommunityFactory(name="PLG Kanaal")
    for _ in range(4):
        learning_community_add_school(community=community, school=factories.SchoolFactory())

    with pytest.raises(ValidationError) as excinfo:
        learning_community_add_school(community=community, school=factories.SchoolFactory())

    assert "ten hoogste 4 scholen" in str(excinfo.value)
    assert "PLG Kanaal" in str(excinfo.value)
    assert community.memberships.count() == 4


def test_the_database_itself_refuses_a_fifth_school():
    community = factories.LearningCommunityFactory()
    for _ in range(4):
        LearningCommunityMembership.objects.create(
            community=community, school=factories.SchoolFactory()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningCommunityMembership.objects.create(
            community=community, school=factories.SchoolFactory()
        )


def test_a_freed_place_in_a_full_community_can_be_taken_again():
    community = factories.LearningCommunityFactory()
    memberships = [
        learning_community_add_school(community=community, school=factories.SchoolFactory())
        for _ in range(4)
    ]
    memberships[1].delete()
    learning_community_add_school(community=community, school=factories.SchoolFactory())
    assert sorted(community.memberships.values_list("slot", flat=True)) == [1, 2, 3, 4]


def test_a_school_is_in_one_learning_community_per_school_year():
    year = factories.SchoolYearFactory()
    school = factories.SchoolFactory()
    first = factories.LearningCommunityFactory(school_year=year)
    second = factories.LearningCommunityFactory(school_year=year, partnership=first.partnership)
    learning_community_add_school(community=first, school=school)
    with pytest.raises(ValidationError) as excinfo:
        learning_community_add_school(community=second, school=school)
    assert "al in een andere leergemeenschap" in str(excinfo.value)


def test_only_one_school_year_is_current():
    factories.SchoolYearFactory(name="2024-2025", is_current=True)
    second = factories.SchoolYearFactory.build(name="2025-2026", is_current=True)
    with pytest.raises(ValidationError) as excinfo:
        second.full_clean()
    assert "al het huidige" in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_make_current_switches_the_current_school_year():
    old = factories.SchoolYearFactory(name="2024-2025", is_current=True)
    new = factories.SchoolYearFactory(name="2025-2026")
    school_year_make_current(school_year=new)
    assert SchoolYear.objects.current() == new
    old.refresh_from_db()
    assert not old.is_current


def test_a_school_year_ends_after_it_starts():
    year = factories.SchoolYearFactory.build(name="2025-2026")
    year.ends_on = year.starts_on
    with pytest.raises(ValidationError) as excinfo:
        year.full_clean()
    assert "moet eindigen na het begint" in str(excinfo.value)


def test_the_same_role_twice_is_refused():
    membership = factories.RoleMembershipFactory(role="research_teacher")
    duplicate = RoleMembership(
        user=membership.user,
        role="research_teacher",
        school=membership.school,
        school_year=membership.school_year,
    )
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "heeft deze rol dit schooljaar al op deze school" in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_one_person_may_hold_several_roles_and_change_role_between_years():
    membership = factories.RoleMembershipFactory(role="coach")
    factories.RoleMembershipFactory(
        user=membership.user,
        school=membership.school,
        school_year=membership.school_year,
        role="research_teacher",
    )
    next_year = factories.SchoolYearFactory()
    factories.RoleMembershipFactory(
        user=membership.user,
        school=membership.school,
        school_year=next_year,
        role="research_teacher",
    )
    assert membership.user.role_memberships.count() == 3


def test_a_third_coach_at_a_school_is_refused_with_a_clear_message():
    first = factories.RoleMembershipFactory(role="coach")
    factories.RoleMembershipFactory(
        role="coach", school=first.school, school_year=first.school_year
    )
    third = RoleMembership(
        user=factories.UserFactory(),
        role="coach",
        school=first.school,
        school_year=first.school_year,
    )
    with pytest.raises(ValidationError) as excinfo:
        third.full_clean()
    assert excinfo.value.message_dict["role"] == [
        f"Een school heeft ten hoogste 2 leerkracht-coaches per schooljaar; {first.school} "
        f"heeft er in {first.school_year} al 2."
    ]
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        third.full_clean()
    assert excinfo.value.message_dict["role"][0].startswith(
        "A school has at most 2 coaches per school year"
    )


def test_a_school_role_needs_a_school_and_an_institution_role_an_institution():
    year = factories.SchoolYearFactory()
    user = factories.UserFactory()
    no_school = RoleMembership(user=user, role="coach", school_year=year)
    with pytest.raises(ValidationError) as excinfo:
        no_school.full_clean()
    assert "hoort bij een school" in str(excinfo.value)
    facilitator = RoleMembership(user=user, role="process_facilitator", school_year=year)
    with pytest.raises(ValidationError) as excinfo:
        facilitator.full_clean()
    assert "hoort bij een lerarenopleiding" in str(excinfo.value)


def test_the_eight_cycle_stages_are_seeded_in_order_with_checklists():
    from research_cycle.models import CycleStage

    stages = list(CycleStage.objects.prefetch_related("checklist_items"))
    assert [s.code for s in stages] == [
        "dilemma",
        "beliefs",
        "question",
        "inspiration",
        "data_collection",
        "analysis",
        "action",
        "evaluation",
    ]
    assert stages[4].name_nl == "Dataverzameling"
    assert stages[4].name_en == "Data collection"
    assert all(stage.checklist_items.all() for stage in stages)
