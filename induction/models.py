"""The induction of starting teachers and career changers (aanvangsbegeleiding).

A starter is a role membership (``Role.STARTING_TEACHER`` or ``Role.CAREER_CHANGER``)
at a school in one school year. Assigning their first mentor opens their
**induction plan** for that year: a cadence (in weeks, data on the plan) and the
check-ins it schedules. A mentor is replaced by ending one assignment and starting
another, so the history stays. Check-in notes are private to the starter and their
current mentor: nothing else in the platform shows them (see ``permissions.py``).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from access.roles import AnyUser
from network_sessions.models import ClaimedMail
from schools.models import RoleMembership

#: The longest cadence a plan may have: one check-in per half school year.
MAX_CADENCE_WEEKS = 26


class InductionPlanQuerySet(models.QuerySet["InductionPlan"]):
    def visible_to(self, user: AnyUser) -> "InductionPlanQuerySet":
        from .permissions import plans_visible_to

        return plans_visible_to(self, user)


class InductionPlan(models.Model):
    """The guidance of one starter in one school year: how often they meet their
    mentor, and the check-ins that follow from it."""

    membership = models.OneToOneField(
        RoleMembership,
        on_delete=models.CASCADE,
        related_name="induction_plan",
        verbose_name=_("starter"),
    )
    cadence_weeks = models.PositiveSmallIntegerField(
        _("a check-in every (weeks)"),
        help_text=_("Every three weeks in the first year of teaching, less often later."),
    )
    starts_on = models.DateField(_("starts on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = InductionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("induction plan")
        verbose_name_plural = _("induction plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence_weeks__gte=1, cadence_weeks__lte=MAX_CADENCE_WEEKS),
                name="induction_plan_cadence_in_range",
                violation_error_message=_("Choose a cadence of 1 to 26 weeks."),
            )
        ]

    def __str__(self) -> str:
        return str(self.membership)


class MentorAssignment(models.Model):
    """A mentor guiding a starter from one day until another (open: still guiding).
    Replacing a mentor ends the open assignment; the rows are the history."""

    plan = models.ForeignKey(
        InductionPlan,
        on_delete=models.CASCADE,
        related_name="mentor_assignments",
        verbose_name=_("induction plan"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_assignments",
        verbose_name=_("mentor"),
    )
    assigned_from = models.DateField(_("from"))
    assigned_until = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )

    class Meta:
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        ordering = ["plan", "-assigned_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(assigned_until__isnull=True),
                name="induction_one_current_mentor",
                violation_error_message=_("A starter has one current mentor."),
            ),
            models.CheckConstraint(
                condition=Q(assigned_until__isnull=True)
                | Q(assigned_until__gte=models.F("assigned_from")),
                name="induction_mentor_period_in_order",
                violation_error_message=_("“Until” cannot be before “from”."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.plan}"


class CheckInQuerySet(models.QuerySet["CheckIn"]):
    def visible_to(self, user: AnyUser) -> "CheckInQuerySet":
        """The check-ins of the plans this person may see (notes and all)."""
        return self.filter(plan__in=InductionPlan.objects.visible_to(user).values("pk"))

    def overdue(self, today: datetime.date) -> "CheckInQuerySet":
        """Not held, and its day has passed: the one rule of "overdue"."""
        return self.filter(overdue_condition(today))


def overdue_condition(today: datetime.date, prefix: str = "") -> Q:
    """The overdue rule as a condition, for aggregates over related check-ins
    (``prefix="check_ins__"``)."""
    return Q(**{f"{prefix}held_on__isnull": True, f"{prefix}due_on__lt": today})


class CheckIn(models.Model):
    """A planned conversation of starter and mentor; held when ``held_on`` is set.
    The notes are theirs alone."""

    plan = models.ForeignKey(
        InductionPlan,
        on_delete=models.CASCADE,
        related_name="check_ins",
        verbose_name=_("induction plan"),
    )
    due_on = models.DateField(_("planned for"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["plan", "due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "due_on"],
                name="induction_check_in_once_a_day",
                violation_error_message=_("This plan already has a check-in on that day."),
            )
        ]
        indexes = [models.Index(fields=["held_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.plan} – {self.due_on}"

    @property
    def is_done(self) -> bool:
        return self.held_on is not None


class CheckInReminder(ClaimedMail):
    """The reminder of one check-in to one person (starter or mentor), sent once.
    Keyed by the day it reminds of, so a check-in moved by a new cadence is reminded
    of again."""

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_in_reminders"
    )
    due_on = models.DateField()

    class Meta:
        verbose_name = _("check-in reminder")
        verbose_name_plural = _("check-in reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["check_in", "recipient", "due_on"], name="check_in_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"check-in {self.check_in_id} → {self.recipient_id}"
