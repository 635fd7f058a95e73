"""Partnership agreements: per school and school year, the shared goals and what
each partner contributes and gets in return (reciprocity), agreed by both sides."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from access.roles import facilitates, has_role_at, is_network_admin, is_signed_in


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Agreements a person may read: network admins all; otherwise the staff of
        the school (anyone with a role there that year), the school's bridge-builders
        and the process facilitator of the school's learning community."""
        if not is_signed_in(user):
            return self.none()
        if is_network_admin(user):
            return self
        school, year = models.OuterRef("school"), models.OuterRef("school_year")
        return self.filter(
            Q(has_role_at(user, school=school, school_year=year))
            | Q(facilitates(user, school=school, school_year=year))
        )


class PartnershipAgreement(models.Model):
    """What a school and the teacher education institution agree for one school year.

    Both sides agree explicitly; any later change to the goals or the items clears
    both agreements, so what is marked as agreed is always what was agreed."""

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="partnership_agreements",
        verbose_name=_("school"),
    )
    school_year = models.ForeignKey(
        "partnership.SchoolYear",
        on_delete=models.PROTECT,
        related_name="partnership_agreements",
        verbose_name=_("school year"),
    )
    goals = models.TextField(
        _("shared goals"), blank=True, max_length=5000, help_text=_("One goal per line.")
    )
    school_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreed for the school by"),
    )
    school_agreed_at = models.DateTimeField(_("agreed for the school on"), null=True, blank=True)
    institution_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreed for the institution by"),
    )
    institution_agreed_at = models.DateTimeField(
        _("agreed for the institution on"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        ordering = ["-school_year__starts_on", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                name="partnership_agreement_once_per_year",
                violation_error_message=_(
                    "This school already has an agreement for this school year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(school_agreed_at__isnull=True) | Q(school_agreed_by__isnull=False),
                name="agreement_school_side_has_person",
            ),
            models.CheckConstraint(
                condition=Q(institution_agreed_at__isnull=True)
                | Q(institution_agreed_by__isnull=False),
                name="agreement_institution_side_has_person",
            ),
        ]

    def __str__(self):
        return f"{self.school} – {self.school_year}"

    @property
    def goal_list(self) -> list[str]:
        return [line.strip() for line in self.goals.splitlines() if line.strip()]

    @property
    def is_agreed(self) -> bool:
        return bool(self.school_agreed_at and self.institution_agreed_at)


class AgreementItem(models.Model):
    """One contribution or return of one partner, with quantity and unit."""

    class Party(models.TextChoices):
        SCHOOL = "school", _("School")
        INSTITUTION = "institution", _("Teacher education institution")

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("Contribution")
        RETURN = "return", _("Return")

    class Measure(models.TextChoices):
        """What the platform can count at year end to set beside the agreed quantity."""

        NONE = "", _("Not measured on the platform")
        PLACEMENTS = "placements", _("Student teachers placed")
        MENTOR_HOURS = "mentor_hours", _("Mentor hours (confirmed in the internship logs)")
        COACHES = "coaches", _("Coaches")
        BRIDGE_BUILDERS = "bridge_builders", _("Bridge-builders assigned")
        SESSIONS = "sessions", _("Network sessions attended by the school's people")
        CYCLES_COMPLETED = "cycles_completed", _("Research cycles completed")
        STUDIES_PUBLISHED = "studies_published", _("Studies published")

    agreement = models.ForeignKey(
        PartnershipAgreement,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("agreement"),
    )
    party = models.CharField(_("partner"), max_length=20, choices=Party.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    unit = models.CharField(
        _("unit"), max_length=60, blank=True, help_text=_("For example: places, hours a week.")
    )
    measure = models.CharField(
        _("compare at year end with"),
        max_length=30,
        choices=Measure.choices,
        default=Measure.NONE,
        blank=True,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("agreement item")
        verbose_name_plural = _("agreement items")
        ordering = ["party", "kind", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="agreement_item_quantity_not_negative",
                violation_error_message=_("A quantity cannot be negative."),
            )
        ]

    def __str__(self):
        return self.description
