"""The attention rule: which research teams a teacher educator should look at.

A team needs attention when
- it has logged nothing for ``settings.LEERBRUG_INACTIVITY_DAYS`` days or more
  (counted from its last log entry, or from the start of its cycle — or the team's
  creation when it has not started — if it never logged anything), or
- its open cycle has stayed in one stage for more than
  ``settings.LEERBRUG_STAGE_STUCK_DAYS`` days.
A team whose current cycle is completed needs no attention. Days are counted up to
today, or up to the last day of the school year for a past year.

The rule only: no database here. ``selectors.team_rows`` reads the dates and
applies it; ``selectors.teams_needing_attention`` keeps the teams it flags.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Attention:
    days_since_activity: int | None
    days_in_stage: int | None
    inactive: bool
    stuck: bool

    @property
    def needed(self) -> bool:
        return self.inactive or self.stuck

    @property
    def weight(self) -> int:
        return int(self.inactive) + int(self.stuck)


def reference_date(school_year) -> datetime.date:
    today = timezone.localdate()
    if school_year is not None and school_year.ends_on < today:
        return school_year.ends_on
    return today


def assess(
    *,
    last_activity_on: datetime.date | None,
    stage_entered_on: datetime.date | None,
    completed: bool,
    on: datetime.date,
    inactivity_days: int | None = None,
    stuck_days: int | None = None,
) -> Attention:
    """Apply the rule to one team. ``last_activity_on`` is the last log entry's date
    (or the start date when there is none)."""
    if inactivity_days is None:
        inactivity_days = settings.LEERBRUG_INACTIVITY_DAYS
    if stuck_days is None:
        stuck_days = settings.LEERBRUG_STAGE_STUCK_DAYS
    since = (on - last_activity_on).days if last_activity_on else None
    in_stage = (on - stage_entered_on).days if stage_entered_on and not completed else None
    return Attention(
        days_since_activity=since,
        days_in_stage=in_stage,
        inactive=not completed and since is not None and since >= inactivity_days,
        stuck=in_stage is not None and in_stage > stuck_days,
    )
