"""Writes for the partnership: school years and learning communities."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from schools.models import School

from .models import (
    MAX_SCHOOLS_PER_LEARNING_COMMUNITY,
    LearningCommunity,
    LearningCommunityMembership,
    Partnership,
    SchoolYear,
)


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


@dataclass
class CommunityPlan:
    """One learning community as the composer's facilitator confirmed it."""

    name: str
    schools: Sequence[School]
    process_facilitator: User | None = None
    learning_questions: str = ""


def learning_communities_create(
    *, partnership: Partnership, school_year: SchoolYear, plans: Sequence[CommunityPlan]
) -> list[LearningCommunity]:
    """Create the confirmed learning communities of a school year, all or none: a
    plan with more than four schools, a school planned twice or already in a
    community that year, or a name taken, refuses the whole set with a message
    (and the database's slot check refuses a fifth school whatever happens)."""
    planned = [school.pk for plan in plans for school in plan.schools]
    if len(planned) != len(set(planned)):
        raise ValidationError(_("A school can be in only one learning community per school year."))
    for plan in plans:
        if len(plan.schools) > MAX_SCHOOLS_PER_LEARNING_COMMUNITY:
            raise ValidationError(
                _("“%(name)s” has %(count)d schools; a learning community has at most %(max)d.")
                % {
                    "name": plan.name,
                    "count": len(plan.schools),
                    "max": MAX_SCHOOLS_PER_LEARNING_COMMUNITY,
                }
            )
    created = []
    try:
        with transaction.atomic():
            for plan in plans:
                community = LearningCommunity(
                    partnership=partnership,
                    school_year=school_year,
                    name=plan.name,
                    process_facilitator=plan.process_facilitator,
                    learning_questions=plan.learning_questions,
                )
                community.full_clean()
                community.save()
                for school in plan.schools:
                    learning_community_add_school(community=community, school=school)
                created.append(community)
    except ValidationError as error:
        school_errors = getattr(error, "error_dict", {}).get("school")
        if school_errors:
            raise ValidationError(
                _("%(community)s: %(error)s")
                % {"community": plan.name, "error": " ".join(e.messages[0] for e in school_errors)}
            ) from error
        raise
    except IntegrityError as error:
        raise ValidationError(
            _("Another change to these learning communities came first. Please try again.")
        ) from error
    return created
