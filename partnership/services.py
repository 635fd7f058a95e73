"""Writes for the partnership: school years and learning communities."""

from django.db import transaction

from schools.models import School

from .models import LearningCommunity, LearningCommunityMembership, SchoolYear


@transaction.atomic
def school_year_make_current(*, school_year: SchoolYear) -> SchoolYear:
    """Make this the one current school year (the previous one stops being current)."""
    SchoolYear.objects.filter(is_current=True).exclude(pk=school_year.pk).update(is_current=False)
    school_year.is_current = True
    school_year.save(update_fields=["is_current"])
    return school_year


@transaction.atomic
def learning_community_add_school(
    *, community: LearningCommunity, school: School
) -> LearningCommunityMembership:
    """Add a school; refuses a fifth one with a message naming the limit."""
    # Lock the community so two admins adding a school at once cannot both take slot 4.
    LearningCommunity.objects.select_for_update().get(pk=community.pk)
    membership = LearningCommunityMembership(community=community, school=school)
    membership.full_clean(exclude=["slot"])
    membership.save()
    return membership
