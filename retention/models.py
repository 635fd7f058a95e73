"""Retention of starting teachers: the school leader's yearly staff confirmation,
its reminder mail, and the baseline the curves are read against.

The cohorts themselves are not stored: they follow from the role records
(``RoleMembership.started_teaching_in``), see ``selectors.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from network_sessions.models import ClaimedMail
from schools.models import School


class StaffStatus(models.TextChoices):
    """What the school leader says of a starter or career changer this year."""

    STILL_HERE = "still_here", _("Still teaching here")
    MOVED = "moved", _("Moved to another school")
    LEFT = "left", _("Left teaching")
    UNKNOWN = "unknown", _("Unknown")


class StaffConfirmation(models.Model):
    """A school leader's confirmation of the school's starters and career changers
    for one school year (one per school and year; confirming again replaces it)."""

    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        related_name="staff_confirmations",
        verbose_name=_("school"),
    )
    school_year = models.ForeignKey(
        "partnership.SchoolYear",
        on_delete=models.PROTECT,
        related_name="staff_confirmations",
        verbose_name=_("school year"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))

    class Meta:
        verbose_name = _("staff confirmation")
        verbose_name_plural = _("staff confirmations")
        ordering = ["-school_year__starts_on", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                name="staff_confirmation_once_per_school_year",
                violation_error_message=_("This school has already confirmed this school year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} ({self.school_year})"


class StaffConfirmationEntry(models.Model):
    """One person on a confirmation, with what the school leader said."""

    confirmation = models.ForeignKey(
        StaffConfirmation,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("confirmation"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_confirmation_entries",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=20, choices=StaffStatus.choices)

    class Meta:
        verbose_name = _("confirmed person")
        verbose_name_plural = _("confirmed people")
        constraints = [
            models.UniqueConstraint(
                fields=["confirmation", "person"], name="staff_confirmation_entry_once"
            ),
            models.CheckConstraint(
                condition=Q(status__in=StaffStatus.values),
                name="staff_confirmation_entry_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_status_display()}"


class ConfirmationReminder(ClaimedMail):
    """The one reminder a school leader gets when the school has not confirmed its
    starters by the reminder date (exactly once per leader, school and year: the
    unique constraint, and the claim of ``network_sessions.mail``)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="retention_reminders",
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(
        "partnership.SchoolYear", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("confirmation reminder")
        verbose_name_plural = _("confirmation reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "school", "school_year"],
                name="confirmation_reminder_exactly_once",
            )
        ]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.school} ({self.school_year}) → {self.recipient_id}"


class Baseline(models.Model):
    """A published reference figure the curves are read against (the Flemish
    attrition of new teachers), kept as data with its definition and source so a
    network can correct or replace it in the admin."""

    level = models.CharField(_("level"), max_length=20, choices=School.Level.choices, unique=True)
    years = models.PositiveSmallIntegerField(
        _("within years"), help_text=_("The share leaves within this many years.")
    )
    share_leaving = models.DecimalField(_("share leaving (%)"), max_digits=4, decimal_places=1)
    definition_nl = models.TextField(_("definition (Dutch)"))
    definition_en = models.TextField(_("definition (English)"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("The original source, as the citing text gives it (in its own language)."),
    )
    cited_in = models.CharField(
        _("cited in"),
        max_length=300,
        blank=True,
        help_text=_("Where the figure is quoted from, when not from the source itself."),
    )

    class Meta:
        verbose_name = _("retention baseline")
        verbose_name_plural = _("retention baselines")
        ordering = ["level"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_leaving__gte=0) & Q(share_leaving__lte=100),
                name="baseline_share_is_a_percentage",
                violation_error_message=_("A share is between 0 and 100 %."),
            ),
            models.CheckConstraint(
                condition=Q(years__gte=1) & Q(years__lte=5),
                name="baseline_years_within_curve",
                violation_error_message=_("The curves run from 1 to 5 years."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.share_leaving} %"

    @property
    def definition(self) -> str:
        """In the reader's language; Dutch when no English text was given."""
        language = (get_language() or "nl")[:2]
        return (self.definition_en if language == "en" else "") or self.definition_nl

    @property
    def share_staying(self) -> float:
        return 100 - float(self.share_leaving)
