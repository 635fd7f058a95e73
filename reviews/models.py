"""The yearly review's own records: the quality framework the partnership assesses
itself against (criteria as data, edited in the admin), the coordinators' scores of
one year, and each school's needs for the next year. The review's figures are not
stored: they are computed from the other apps' records every time (``selectors.py``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from research_cycle.models import _in_language


class Framework(models.Model):
    """A quality framework: a short list of criteria a partnership scores itself on.
    The newest active framework is used for a year's first score; a year already
    scored keeps its framework."""

    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("New self-assessments use the newest framework in use."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quality framework")
        verbose_name_plural = _("quality frameworks")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self, "name")

    @property
    def description(self) -> str:
        return _in_language(self, "description")


class Criterion(models.Model):
    """One criterion of a framework, in both languages."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("framework")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_nl = models.CharField(_("criterion (Dutch)"), max_length=200)
    title_en = models.CharField(_("criterion (English)"), max_length=200, blank=True)
    description_nl = models.TextField(_("what it looks like (Dutch)"), blank=True)
    description_en = models.TextField(_("what it looks like (English)"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["framework", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self, "title")

    @property
    def description(self) -> str:
        return _in_language(self, "description")


class Score(models.IntegerChoices):
    """The scale every criterion is scored on."""

    NOT_YET = 1, _("1 – not in place yet")
    BEGINNING = 2, _("2 – beginning")
    ESTABLISHED = 3, _("3 – established")
    EMBEDDED = 4, _("4 – embedded in how we work")


class SelfAssessment(models.Model):
    """The partnership's self-assessment for one school year: one shared score per
    criterion, which any of the coordinators may set or change."""

    partnership = models.ForeignKey(
        "partnership.Partnership",
        on_delete=models.CASCADE,
        related_name="self_assessments",
        verbose_name=_("partnership"),
    )
    school_year = models.ForeignKey(
        "partnership.SchoolYear",
        on_delete=models.PROTECT,
        related_name="self_assessments",
        verbose_name=_("school year"),
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("framework")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["-school_year__starts_on", "partnership__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "school_year"],
                name="self_assessment_once_per_year",
                violation_error_message=_(
                    "This partnership already has a self-assessment for this school year."
                ),
            )
        ]

    def __str__(self):
        return f"{self.partnership} – {self.school_year}"


class CriterionScore(models.Model):
    """The score of one criterion in one self-assessment, with the reasons."""

    assessment = models.ForeignKey(
        SelfAssessment,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("self-assessment"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scored by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["criterion__order", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="criterion_scored_once"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=Score.NOT_YET, score__lte=Score.EMBEDDED),
                name="criterion_score_on_the_scale",
                violation_error_message=_("A score is 1, 2, 3 or 4."),
            ),
        ]

    def __str__(self):
        return f"{self.criterion} – {self.score}"


class SupportKind(models.TextChoices):
    """Kinds of support a school can ask of the partnership for next year."""

    TRAINING = "training", _("Training for teachers")
    KNOWLEDGE_SESSIONS = "knowledge_sessions", _("Knowledge sessions")
    PLACEMENTS = "placements", _("Student teachers on placement")
    RESEARCH_SUPPORT = "research_support", _("Support for practitioner research")
    INDUCTION = "induction", _("Guidance for starting teachers and career changers")
    LEADERSHIP = "leadership", _("A learning community for the school leader")


class SchoolNeeds(models.Model):
    """What a school wants from the partnership next year, said in the review of this
    school year by its school leader or a coach."""

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="review_needs",
        verbose_name=_("school"),
    )
    school_year = models.ForeignKey(
        "partnership.SchoolYear",
        on_delete=models.PROTECT,
        related_name="school_needs",
        verbose_name=_("school year"),
        help_text=_("The year under review; the needs are for the year after it."),
    )
    support = models.JSONField(_("kinds of support"), default=list, blank=True)
    wishes = models.TextField(_("what the school wants next year"), blank=True, max_length=3000)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filled in by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("needs of a school")
        verbose_name_plural = _("needs of the schools")
        ordering = ["-school_year__starts_on", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                name="school_needs_once_per_year",
                violation_error_message=_("This school has already said its needs for this year."),
            )
        ]

    def __str__(self):
        return f"{self.school} – {self.school_year}"

    def get_support_display(self) -> list[str]:
        labels = dict(SupportKind.choices)
        return [str(labels[kind]) for kind in self.support if kind in labels]
