"""Writes on vacancies. Services trust their caller (the view checks who may act);
they enforce the board's own rules: a closing date that has not passed, a start
date within reason, hours within a full-time job."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import Vacancy

#: How far ahead a vacancy may close, and how far from today its job may start.
MAX_OPEN_DAYS = 366
MAX_START_DAYS_AHEAD = 2 * 366
MAX_START_DAYS_AGO = 31

#: The fields a school fills in.
FIELDS = (
    "school",
    "title",
    "level",
    "subject",
    "hours",
    "full_time_hours",
    "starts_on",
    "closes_on",
    "description",
    "contact_name",
    "contact_email",
    "contact_phone",
    "is_public",
)


def _check_dates(vacancy: Vacancy) -> None:
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if vacancy.closes_on < today:
        errors["closes_on"] = _("The closing date has passed: choose today or a later day.")
    elif vacancy.closes_on > today + datetime.timedelta(days=MAX_OPEN_DAYS):
        errors["closes_on"] = _("A vacancy stays open for at most a year.")
    earliest = today - datetime.timedelta(days=MAX_START_DAYS_AGO)
    latest = today + datetime.timedelta(days=MAX_START_DAYS_AHEAD)
    if not earliest <= vacancy.starts_on <= latest:
        errors["starts_on"] = _(
            "The job starts at most a month ago and at most two years from now."
        )
    if errors:
        raise ValidationError(errors)


def _save(vacancy: Vacancy) -> Vacancy:
    vacancy.full_clean()
    _check_dates(vacancy)
    vacancy.save()
    return vacancy


@transaction.atomic
def vacancy_create(*, posted_by: User | None, **fields: Any) -> Vacancy:
    """Post a vacancy for a school; it is open at once."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown vacancy fields: {sorted(unknown)}")
    return _save(Vacancy(posted_by=posted_by, **fields))


@transaction.atomic
def vacancy_update(*, vacancy: Vacancy, **fields: Any) -> Vacancy:
    """Change a vacancy. A new closing date opens an expired vacancy again; a withdrawn
    vacancy stays withdrawn (post it again instead)."""
    for name, value in fields.items():
        if name not in FIELDS:
            raise TypeError(f"Unknown vacancy field: {name}")
        setattr(vacancy, name, value)
    return _save(vacancy)


@transaction.atomic
def vacancy_withdraw(*, vacancy: Vacancy) -> Vacancy:
    """Take a vacancy off the board (filled, or no longer needed). Kept for the school."""
    if vacancy.withdrawn_at is None:
        vacancy.withdrawn_at = timezone.now()
        vacancy.save(update_fields=["withdrawn_at", "updated_at"])
    return vacancy
