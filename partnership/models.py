from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

MAX_SCHOOLS_PER_LEARNING_COMMUNITY = 4


class Institution(models.Model):
    """A teacher education programme (lerarenopleiding)."""

    class Kind(models.TextChoices):
        TEACHER_EDUCATION = "teacher_education", _("Teacher education programme")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=40, choices=Kind.choices, default=Kind.TEACHER_EDUCATION
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Partnership(models.Model):
    """The network of one institution and its partner schools."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("institution"),
    )
    description = models.TextField(_("description"), blank=True)
    vision = models.TextField(
        _("shared vision (Dutch)"), blank=True, help_text=_("The partnership's shared vision.")
    )
    vision_en = models.TextField(_("shared vision (English)"), blank=True)
    goals = models.TextField(
        _("goals (Dutch)"),
        blank=True,
        help_text=_("Markdown: one goal per line with “- ” in front."),
    )
    goals_en = models.TextField(_("goals (English)"), blank=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def _in_language(self, dutch: str, english: str) -> str:
        """English when the reader chose it and it is filled in, else Dutch."""
        if (get_language() or "nl")[:2] == "en" and english:
            return english
        return dutch

    @property
    def vision_text(self) -> str:
        return self._in_language(self.vision, self.vision_en)

    @property
    def goals_text(self) -> str:
        return self._in_language(self.goals, self.goals_en)


class SchoolYearQuerySet(models.QuerySet["SchoolYear"]):
    def current(self) -> "SchoolYear | None":
        return self.filter(is_current=True).first()


class SchoolYear(models.Model):
    """A school year such as 2025-2026. Exactly one is current."""

    name = models.CharField(
        _("name"), max_length=9, unique=True, help_text=_("For example 2025-2026.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_current = models.BooleanField(_("current"), default=False)

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_school_year",
                violation_error_message=_(
                    "Another school year is already the current one. "
                    "Use “Make current” to switch the current school year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="school_year_ends_after_start",
                violation_error_message=_("A school year must end after it starts."),
            ),
        ]

    def __str__(self):
        return self.name


class LearningCommunity(models.Model):
    """A professional learning community (PLG): the leaders of at most four schools,
    led by a process facilitator."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="learning_communities",
        verbose_name=_("partnership"),
    )
    school_year = models.ForeignKey(
        SchoolYear,
        on_delete=models.PROTECT,
        related_name="learning_communities",
        verbose_name=_("school year"),
    )
    name = models.CharField(_("name"), max_length=200)
    process_facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_communities",
        verbose_name=_("process facilitator"),
    )
    learning_questions = models.TextField(
        _("shared learning questions"), blank=True, help_text=_("One question per line.")
    )
    schools = models.ManyToManyField(
        "schools.School",
        through="LearningCommunityMembership",
        related_name="learning_communities",
        verbose_name=_("schools"),
    )

    class Meta:
        verbose_name = _("learning community")
        verbose_name_plural = _("learning communities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "school_year", "name"],
                name="learning_community_unique_name",
                violation_error_message=_(
                    "This partnership already has a learning community with this name "
                    "in this school year."
                ),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.school_year})"

    @property
    def learning_question_list(self) -> list[str]:
        return [line.strip() for line in self.learning_questions.splitlines() if line.strip()]


class LearningCommunityMembership(models.Model):
    """A school in a learning community. The slot (1–4) makes the database itself
    refuse a fifth school."""

    community = models.ForeignKey(
        LearningCommunity,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("learning community"),
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="learning_community_memberships",
        verbose_name=_("school"),
    )
    slot = models.PositiveSmallIntegerField(_("place"), editable=False)

    class Meta:
        verbose_name = _("school in a learning community")
        verbose_name_plural = _("schools in the learning community")
        ordering = ["slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "school"],
                name="learning_community_school_once",
                violation_error_message=_("This school is already in this learning community."),
            ),
            models.UniqueConstraint(fields=["community", "slot"], name="learning_community_slot"),
            models.CheckConstraint(
                condition=Q(slot__gte=1, slot__lte=MAX_SCHOOLS_PER_LEARNING_COMMUNITY),
                name="learning_community_at_most_four",
            ),
        ]

    def __str__(self):
        return f"{self.school} – {self.community}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.slot is None:
            free = [
                slot
                for slot in range(1, MAX_SCHOOLS_PER_LEARNING_COMMUNITY + 1)
                if slot not in self._taken_slots()
            ]
            # No free slot: leave it at 5 so the database's check refuses the row.
            self.slot = free[0] if free else MAX_SCHOOLS_PER_LEARNING_COMMUNITY + 1
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not self.community_id:
            return
        if not self.pk and len(self._taken_slots()) >= MAX_SCHOOLS_PER_LEARNING_COMMUNITY:
            raise ValidationError(
                _(
                    "A learning community has at most %(max)d schools; "
                    "“%(community)s” already has %(max)d."
                )
                % {"max": MAX_SCHOOLS_PER_LEARNING_COMMUNITY, "community": self.community.name}
            )
        if self.school_id:
            elsewhere = LearningCommunityMembership.objects.filter(
                school_id=self.school_id,
                community__school_year_id=self.community.school_year_id,
            ).exclude(community_id=self.community_id)
            if elsewhere.exists():
                raise ValidationError(
                    {
                        "school": _(
                            "This school is already in another learning community this school year."
                        )
                    }
                )

    def _taken_slots(self) -> set[int]:
        others = LearningCommunityMembership.objects.filter(community_id=self.community_id)
        if self.pk:
            others = others.exclude(pk=self.pk)
        return set(others.values_list("slot", flat=True))
