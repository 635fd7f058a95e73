"""Writes for partnership agreements. Any change to what was agreed clears both
sides' agreement: an agreement is only marked agreed for the text both saw."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from partnership.models import SchoolYear
from schools.models import School

from .models import AgreementItem, PartnershipAgreement

SIDES = ("school", "institution")


def _reset_agreement(agreement: PartnershipAgreement) -> None:
    agreement.school_agreed_by = None
    agreement.school_agreed_at = None
    agreement.institution_agreed_by = None
    agreement.institution_agreed_at = None


@transaction.atomic
def agreement_create(
    *, school: School, school_year: SchoolYear, goals: str = ""
) -> PartnershipAgreement:
    """Start the agreement of a school for a school year."""
    agreement = PartnershipAgreement(school=school, school_year=school_year, goals=goals.strip())
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def agreement_update(*, agreement: PartnershipAgreement, goals: str) -> PartnershipAgreement:
    agreement = PartnershipAgreement.objects.select_for_update().get(pk=agreement.pk)
    goals = goals.strip()
    if goals != agreement.goals:
        agreement.goals = goals
        _reset_agreement(agreement)
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def agreement_item_save(
    *,
    agreement: PartnershipAgreement,
    party: str,
    kind: str,
    description: str,
    quantity: Decimal | None = None,
    unit: str = "",
    measure: str = "",
    item: AgreementItem | None = None,
) -> AgreementItem:
    """Add an item (or change ``item``) and clear both sides' agreement."""
    agreement = PartnershipAgreement.objects.select_for_update().get(pk=agreement.pk)
    if item is None:
        last = agreement.items.order_by("-order").values_list("order", flat=True).first()
        item = AgreementItem(agreement=agreement, order=(last or 0) + 1)
    elif item.agreement_id != agreement.pk:
        raise ValidationError(_("This item belongs to another agreement."))
    item.party = party
    item.kind = kind
    item.description = (description or "").strip()
    item.quantity = quantity
    item.unit = (unit or "").strip()
    item.measure = measure or ""
    item.full_clean()
    item.save()
    _reset_agreement(agreement)
    agreement.save()
    return item


@transaction.atomic
def agreement_item_delete(*, item: AgreementItem) -> None:
    agreement = PartnershipAgreement.objects.select_for_update().get(pk=item.agreement_id)
    item.delete()
    _reset_agreement(agreement)
    agreement.save()


@transaction.atomic
def agreement_agree(
    *, agreement: PartnershipAgreement, side: str, user: User
) -> PartnershipAgreement:
    """Record that ``user`` agrees on behalf of one side ("school" or "institution").
    Permission is checked by the caller (the view), as for every service."""
    if side not in SIDES:
        raise ValidationError(_("Unknown side of the agreement."))
    agreement = PartnershipAgreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.items.exists() and not agreement.goal_list:
        raise ValidationError(_("Write down the goals or at least one item before agreeing."))
    setattr(agreement, f"{side}_agreed_by", user)
    setattr(agreement, f"{side}_agreed_at", timezone.now())
    agreement.save()
    return agreement
