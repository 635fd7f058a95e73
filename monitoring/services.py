"""Writes of the monitoring app: opening a round (with its invitations and their
mails) and storing an anonymous answer.

Services trust their caller (the view checks who may open a round; the answer's
permission is the link itself) and enforce the domain's rules with a
``ValidationError``: a closing date in the past, a second answer with one link, an
answer after closing, a value outside the scale. Nothing is stored when one fails.
"""

import datetime
from collections import defaultdict
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from partnership.models import SchoolYear
from schools.models import TEACHING_ROLES, School

from .models import (
    MIN_RESPONDENTS,
    Instrument,
    Invitation,
    InvitationMail,
    Item,
    Response,
    Round,
    Score,
)


def invitees(*, school: School, school_year: SchoolYear) -> QuerySet[User]:
    """Who is asked: every active person with a teaching role at the school that year
    (``TEACHING_ROLES``: coaches, research teachers, the school leader, teachers,
    starting teachers, career changers). Bridge-builders and student teachers are
    not: they belong to the institution, and the questionnaire is about the
    school's own team."""
    return User.objects.filter(
        is_active=True,
        role_memberships__school=school,
        role_memberships__school_year=school_year,
        role_memberships__role__in=[str(role) for role in TEACHING_ROLES],
    ).distinct()


def round_open(
    *,
    school: School,
    instrument: Instrument,
    moment: str,
    closes_on: datetime.date,
    opened_by: User | None,
) -> Round:
    """Open a round in the current school year: an invitation for every invitee
    and an invitation mail owed to each (sent once by the beat scan, queued at
    once after the commit)."""
    from .mail import queue_scan_after_commit

    school_year = SchoolYear.objects.current()
    if school_year is None:
        raise ValidationError(_("No school year has been set up yet."))
    today = timezone.localdate()
    if closes_on < today:
        raise ValidationError(
            {"closes_on": _("This date has passed: choose today or a later day.")}
        )
    if not instrument.is_active or not instrument.items.exists():
        raise ValidationError({"instrument": _("This questionnaire cannot be used for rounds.")})
    duplicate = Round.objects.filter(
        school=school, school_year=school_year, instrument=instrument, moment=moment
    )
    already = _(
        "This school already has a round of this questionnaire at this moment of the school year."
    )
    if duplicate.exists():
        raise ValidationError({"moment": already})
    opened = Round(
        school=school,
        school_year=school_year,
        instrument=instrument,
        moment=moment,
        closes_on=closes_on,
        opened_by=opened_by,
        opened_on=today,
    )
    opened.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            opened.save()
            invitations = Invitation.objects.bulk_create(
                [
                    Invitation(round=opened, person_id=pk)
                    for pk in invitees(school=school, school_year=school_year).values_list(
                        "pk", flat=True
                    )
                ]
            )
            InvitationMail.objects.bulk_create(
                [
                    InvitationMail(invitation=invitation, kind=InvitationMail.Kind.INVITATION)
                    for invitation in invitations
                ]
            )
    except IntegrityError:  # the same round opened at the same moment by someone else
        raise ValidationError({"moment": already}) from None
    queue_scan_after_commit()
    return opened


def _scores(
    items: list[Item], instrument: Instrument, answers: Mapping[str, int]
) -> dict[int, float]:
    """The subscale scores of complete, in-scale answers (else a ValidationError)."""
    by_subscale: dict[int, list[int]] = defaultdict(list)
    for item in items:
        value = answers.get(str(item.pk))
        if value is None:
            raise ValidationError(_("Answer every statement."))
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(_("Choose one of the answers offered."))
        if not instrument.scale_min <= value <= instrument.scale_max:
            raise ValidationError(
                _("Choose an answer from %(min)d to %(max)d.")
                % {"min": instrument.scale_min, "max": instrument.scale_max}
            )
        score = instrument.reversed_value(value) if item.reverse_scored else value
        by_subscale[item.subscale_id].append(score)
    return {pk: sum(values) / len(values) for pk, values in by_subscale.items()}


class AlreadyAnswered(ValidationError):
    pass


class RoundClosed(ValidationError):
    pass


def response_submit(*, invitation_key: str, answers: Mapping[str, int]) -> None:
    """Store one anonymous answer and use up the invitation, in one transaction.

    The round is locked first, so the answers of a round are numbered into batches
    one at a time. The response and its scores point to the round only. The same
    transaction rewrites every invitation, response and score row of the round, so
    that on PostgreSQL they all carry this transaction's id (``xmin``) and the
    response cannot be matched to the invitation by it (see the package docstring).
    Nothing is returned: the caller has no use for the response's id.
    """
    found = Invitation.objects.filter(key=invitation_key).values_list("round_id", flat=True)
    round_id = found.first()
    if round_id is None:
        raise ValidationError(_("This link is not valid."))
    with transaction.atomic():
        locked = Round.objects.select_for_update().select_related("instrument").get(pk=round_id)
        invitation = Invitation.objects.get(key=invitation_key)
        if invitation.used:
            raise AlreadyAnswered(
                _("This link has already been used: every link gives one answer.")
            )
        if not locked.is_open:
            raise RoundClosed(_("This questionnaire has closed; answers are no longer taken."))
        items = list(locked.instrument.items.all())
        scores = _scores(items, locked.instrument, answers)
        response = Response.objects.create(
            round=locked,
            answers={str(item.pk): answers[str(item.pk)] for item in items},
            batch=locked.response_count // MIN_RESPONDENTS,
        )
        Score.objects.bulk_create(
            [
                Score(response=response, subscale_id=subscale_id, value=value)
                for subscale_id, value in scores.items()
            ]
        )
        Round.objects.filter(pk=locked.pk).update(response_count=F("response_count") + 1)
        # One statement marks this invitation used and rewrites all the others.
        Invitation.objects.filter(round=locked).update(
            used=Case(When(pk=invitation.pk, then=Value(True)), default=F("used"))
        )
        Response.objects.filter(round=locked).update(batch=F("batch"))
        Score.objects.filter(response__round=locked).update(value=F("value"))
