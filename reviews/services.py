"""Writes of the yearly review: the coordinators' scores and a school's needs.
Services trust their caller (the view checks permissions first) and enforce the
domain's own rules with a ``ValidationError``; each is one transaction, so bad
input stores nothing."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from partnership.models import Partnership, SchoolYear
from schools.models import School

from .models import Criterion, CriterionScore, Framework, SchoolNeeds, SelfAssessment, SupportKind


@dataclass(frozen=True)
class ScoreInput:
    """What the form gives for one criterion: no score leaves it unscored."""

    criterion: Criterion
    score: int | None
    comment: str = ""


@transaction.atomic
def self_assessment_save(
    *,
    partnership: Partnership,
    school_year: SchoolYear,
    framework: Framework,
    scores: list[ScoreInput],
    user: User,
) -> SelfAssessment:
    """Set the year's scores. The first save pins the framework; a criterion left
    without a score (and without a comment) is cleared. A comment without a score is
    refused: a reason needs something to explain."""
    assessment, _created = SelfAssessment.objects.select_for_update().get_or_create(
        partnership=partnership, school_year=school_year, defaults={"framework": framework}
    )
    if assessment.framework_id != framework.pk:
        raise ValidationError(
            _("This year's self-assessment uses another framework; reload the page.")
        )
    for entry in scores:
        if entry.criterion.framework_id != framework.pk:
            raise ValidationError(_("This criterion is not part of the framework."))
    errors = {
        f"score_{entry.criterion.pk}": _("Give a score with your comment.")
        for entry in scores
        if entry.score is None and entry.comment.strip()
    }
    if errors:
        raise ValidationError(errors)
    for entry in scores:
        if entry.score is None:
            CriterionScore.objects.filter(assessment=assessment, criterion=entry.criterion).delete()
            continue
        score = CriterionScore.objects.filter(
            assessment=assessment, criterion=entry.criterion
        ).first() or CriterionScore(assessment=assessment, criterion=entry.criterion)
        changed = score.pk is None or (score.score, score.comment) != (entry.score, entry.comment)
        if changed:
            score.score = entry.score
            score.comment = entry.comment
            score.scored_by = user
            score.full_clean()
            score.save()
    assessment.save(update_fields=["updated_at"])
    return assessment


@transaction.atomic
def school_needs_save(
    *, school: School, school_year: SchoolYear, support: list[str], wishes: str, user: User
) -> SchoolNeeds:
    """Say (or change) what the school wants from the partnership next year."""
    unknown = set(support) - set(SupportKind.values)
    if unknown:
        raise ValidationError({"support": _("Choose kinds of support from the list.")})
    if not support and not wishes.strip():
        raise ValidationError(
            _("Tick at least one kind of support or describe what the school wants.")
        )
    needs, _created = SchoolNeeds.objects.select_for_update().get_or_create(
        school=school, school_year=school_year
    )
    needs.support = [kind for kind in SupportKind.values if kind in support]
    needs.wishes = wishes.strip()
    needs.filled_by = user
    needs.full_clean()
    needs.save()
    return needs
