from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from config.choice_labels import ChoiceLabels

MAX_COACHES_PER_SCHOOL = 2


class SchoolQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class School(ChoiceLabels):
    """A partner school (partnerschool)."""

    class Level(models.TextChoices):
        PRIMARY = "primary", _("Primary")
        SECONDARY = "secondary", _("Secondary")

    partnership = models.ForeignKey(
        "partnership.Partnership",
        on_delete=models.PROTECT,
        related_name="schools",
        verbose_name=_("partnership"),
    )
    name = models.CharField(_("name"), max_length=200)
    #: The public page's address (``/schools/<slug>/``), made from the name once.
    slug = models.SlugField(_("address"), max_length=120, unique=True, null=True, blank=True)
    institution_number = models.CharField(
        _("official institution number"),
        max_length=20,
        unique=True,
        help_text=_("The school's official number (instellingsnummer)."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active partner"), default=True)
    active_since = models.DateField(_("partner since"), null=True, blank=True)
    active_until = models.DateField(_("partner until"), null=True, blank=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_since__isnull=True)
                | Q(active_until__gte=models.F("active_since")),
                name="school_active_period_in_order",
                violation_error_message=_("“Partner until” cannot be before “partner since”."),
            )
        ]
        indexes = [models.Index(fields=["city"]), models.Index(fields=["level", "is_active"])]

    def __str__(self):
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = self._free_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("schools:public_detail", kwargs={"slug": self.slug})

    def _free_slug(self) -> str:
        base = slugify(self.name)[:100] or "school"
        taken = set(
            School.objects.filter(slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        return candidate


class SchoolPublicity(models.Model):
    """What a school shows on its public page. Without a row, the defaults hold:
    what the home page already shows (city, level) and published studies are
    public; the current research theme is work in progress and stays private
    until the school chooses to show it. People are never shown here."""

    school = models.OneToOneField(
        School,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="publicity",
        verbose_name=_("school"),
    )
    show_city = models.BooleanField(_("show the city"), default=True)
    show_level = models.BooleanField(_("show the level"), default=True)
    show_partnership_years = models.BooleanField(
        _("show the years in the partnership"), default=True
    )
    show_studies = models.BooleanField(_("show our published studies"), default=True)
    show_current_theme = models.BooleanField(
        _("show our current research theme"),
        default=False,
        help_text=_("The theme of this school year's research team, while the work is going on."),
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("public page settings")
        verbose_name_plural = _("public page settings")

    def __str__(self):
        return str(self.school)


class Role(models.TextChoices):
    COACH = "coach", _("Coach")
    RESEARCH_TEACHER = "research_teacher", _("Research teacher")
    STUDENT_TEACHER = "student_teacher", _("Student teacher")
    BRIDGE_BUILDER = "bridge_builder", _("Bridge-builder")
    SCHOOL_LEADER = "school_leader", _("School leader")
    PROCESS_FACILITATOR = "process_facilitator", _("Process facilitator")
    #: A teacher of the school team outside the research team (e.g. a mentor teacher).
    TEACHER = "teacher", _("Teacher")
    #: Beginnende leraar: in the first five years of teaching.
    STARTING_TEACHER = "starting_teacher", _("Starting teacher")
    #: Zij-instromer: came to teaching from another career.
    CAREER_CHANGER = "career_changer", _("Career changer")
    #: Stagecoördinator of the institution: allocates student teachers to schools.
    PLACEMENT_COORDINATOR = "placement_coordinator", _("Placement coordinator")


#: Roles held at a school (the school is required). Tuples, not sets: their order
#: ends up in migrations and must be stable.
SCHOOL_ROLES = (
    Role.BRIDGE_BUILDER,
    Role.COACH,
    Role.RESEARCH_TEACHER,
    Role.SCHOOL_LEADER,
    Role.STUDENT_TEACHER,
    Role.TEACHER,
    Role.STARTING_TEACHER,
    Role.CAREER_CHANGER,
)
#: Roles of people who teach at the school (mentor teachers are chosen among them; the
#: efficacy questionnaire goes to them).
TEACHING_ROLES = (
    Role.COACH,
    Role.RESEARCH_TEACHER,
    Role.SCHOOL_LEADER,
    Role.TEACHER,
    Role.STARTING_TEACHER,
    Role.CAREER_CHANGER,
)
#: Roles of teachers in induction, who name the school year they started teaching.
INDUCTION_ROLES = (Role.STARTING_TEACHER, Role.CAREER_CHANGER)
#: Roles held on behalf of the teacher education institution (institution required).
INSTITUTION_ROLES = (
    Role.BRIDGE_BUILDER,
    Role.PROCESS_FACILITATOR,
    Role.STUDENT_TEACHER,
    Role.PLACEMENT_COORDINATOR,
)


class RoleMembershipQuerySet(models.QuerySet):
    def in_year(self, school_year):
        return self.filter(school_year=school_year)

    def current(self):
        return self.filter(school_year__is_current=True)


class RoleMembership(ChoiceLabels):
    """A person holds a role at a school and/or institution in one school year.

    A bridge-builder belongs to the institution and is assigned to a school; a
    student teacher belongs to the institution and is placed at a school.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    school_year = models.ForeignKey(
        "partnership.SchoolYear",
        on_delete=models.PROTECT,
        related_name="role_memberships",
        verbose_name=_("school year"),
    )
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_memberships",
        verbose_name=_("school"),
    )
    institution = models.ForeignKey(
        "partnership.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_memberships",
        verbose_name=_("institution"),
    )
    started_teaching_in = models.ForeignKey(
        "partnership.SchoolYear",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started teaching in"),
        help_text=_(
            "For starting teachers and career changers: the school year they started teaching. "
            "It defines their cohort in the retention figures."
        ),
    )

    objects = RoleMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["school_year", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "school_year", "school"],
                condition=Q(school__isnull=False),
                name="role_membership_unique_at_school",
                violation_error_message=_(
                    "This person already has this role at this school in this school year."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school_year", "institution"],
                condition=Q(school__isnull=True),
                name="role_membership_unique_at_institution",
                violation_error_message=_(
                    "This person already has this role at this institution in this school year."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in SCHOOL_ROLES]) | Q(school__isnull=False),
                name="role_membership_school_required",
                violation_error_message=_("This role is held at a school: choose the school."),
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in INSTITUTION_ROLES])
                | Q(institution__isnull=False),
                name="role_membership_institution_required",
                violation_error_message=_(
                    "This role is held for a teacher education institution: choose the institution."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in INDUCTION_ROLES])
                | Q(started_teaching_in__isnull=False),
                name="role_membership_induction_start_required",
                violation_error_message=_(
                    "Starting teachers and career changers need the school year they started "
                    "teaching."
                ),
            ),
        ]
        indexes = [models.Index(fields=["school", "school_year", "role"])]

    def __str__(self):
        where = self.school or self.institution
        return f"{self.user} – {self.get_role_display()} – {where} ({self.school_year})"

    def clean(self):
        super().clean()
        if self.role == Role.COACH and self.school_id and self.school_year_id:
            coaches = RoleMembership.objects.filter(
                role=Role.COACH, school_id=self.school_id, school_year_id=self.school_year_id
            ).exclude(pk=self.pk)
            if coaches.count() >= MAX_COACHES_PER_SCHOOL:
                raise ValidationError(
                    {
                        "role": _(
                            "A school has at most %(max)d coaches per school year; "
                            "%(school)s already has %(max)d in %(year)s."
                        )
                        % {
                            "max": MAX_COACHES_PER_SCHOOL,
                            "school": self.school,
                            "year": self.school_year,
                        }
                    }
                )
