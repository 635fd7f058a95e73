from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from schools.models import Role


def _in_language(obj, field: str) -> str:
    """Return the English variant of a bilingual field when English is active,
    the Dutch one otherwise (Dutch is the network's first language)."""
    language = (get_language() or "nl")[:2]
    value = getattr(obj, f"{field}_{language}", "") if language == "en" else ""
    return value or getattr(obj, f"{field}_nl")


class CycleStage(models.Model):
    """A stage of the research cycle. Stages are data, so a network can adapt its cycle."""

    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    guidance_nl = models.TextField(_("guidance (Dutch)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)

    class Meta:
        verbose_name = _("cycle stage")
        verbose_name_plural = _("cycle stages")
        ordering = ["order"]

    def __str__(self):
        return f"{self.order}. {self.name}"

    @property
    def name(self) -> str:
        return _in_language(self, "name")

    @property
    def guidance(self) -> str:
        return _in_language(self, "guidance")


class ChecklistItem(models.Model):
    stage = models.ForeignKey(
        CycleStage,
        on_delete=models.CASCADE,
        related_name="checklist_items",
        verbose_name=_("stage"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_nl = models.CharField(_("text (Dutch)"), max_length=300)
    text_en = models.CharField(_("text (English)"), max_length=300)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["stage__order", "order"]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return _in_language(self, "text")


class TeamRole(models.TextChoices):
    COACH = Role.COACH.value, Role.COACH.label
    RESEARCH_TEACHER = Role.RESEARCH_TEACHER.value, Role.RESEARCH_TEACHER.label
    STUDENT_TEACHER = Role.STUDENT_TEACHER.value, Role.STUDENT_TEACHER.label
    BRIDGE_BUILDER = Role.BRIDGE_BUILDER.value, Role.BRIDGE_BUILDER.label


class ResearchTeam(models.Model):
    """The research team of a school in a school year."""

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="research_teams",
        verbose_name=_("school"),
    )
    school_year = models.ForeignKey(
        "partnership.SchoolYear",
        on_delete=models.PROTECT,
        related_name="research_teams",
        verbose_name=_("school year"),
    )
    theme = models.CharField(_("theme"), max_length=200)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="TeamMembership",
        related_name="research_teams",
        verbose_name=_("members"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("research team")
        verbose_name_plural = _("research teams")
        ordering = ["school__name", "theme"]
        indexes = [models.Index(fields=["school", "school_year"])]

    def __str__(self):
        return f"{self.school} – {self.theme} ({self.school_year})"


class TeamMembership(models.Model):
    team = models.ForeignKey(
        ResearchTeam, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="team_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role in the team"), max_length=30, choices=TeamRole.choices)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                name="team_member_once",
                violation_error_message=_("This person is already a member of this team."),
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"
