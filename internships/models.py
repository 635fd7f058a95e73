"""What happens during a placement (``placements.Placement``): the student
teacher's internship log with hours the mentor teacher confirms, the mid-term and
final evaluations of the mentor teacher and the supervising bridge-builder against
the institution's rubric, the student's response, and the mentor register's
training records.

The rubric (``Rubric`` → ``Criterion`` → ``Level``) is data the institution edits
in the admin. An evaluation keeps the rubric it was written against; a score
names the criterion and one of that criterion's levels (the services refuse any
other level).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network_sessions.models import ClaimedMail
from research_cycle.models import _in_language

#: The most hours a day entry can hold; a week entry at most seven times that.
MAX_DAY_HOURS = 24
MAX_WEEK_HOURS = 7 * MAX_DAY_HOURS
#: A typo guard on mentor training hours.
MAX_TRAINING_HOURS = 1000


class Rubric(models.Model):
    """The institution's evaluation rubric. One is active per institution: new
    evaluations use it; evaluations already written keep theirs."""

    institution = models.ForeignKey(
        "partnership.Institution",
        on_delete=models.CASCADE,
        related_name="internship_rubrics",
        verbose_name=_("institution"),
    )
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("New evaluations use the rubric in use.")
    )

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["institution", "-is_active", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution"],
                condition=Q(is_active=True),
                name="rubric_one_in_use_per_institution",
                violation_error_message=_("This institution already has a rubric in use."),
            )
        ]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """One thing the rubric looks at, e.g. "classroom climate"."""

    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("rubric")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self, "title")

    @property
    def description(self) -> str:
        return _in_language(self, "description")


class Level(models.Model):
    """A level of one criterion, from the lowest rank (1) up."""

    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="levels", verbose_name=_("criterion")
    )
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the lowest level."))
    label_nl = models.CharField(_("label (Dutch)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["criterion", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "rank"],
                name="rubric_level_rank_once",
                violation_error_message=_("This criterion already has a level with this rank."),
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return _in_language(self, "label")

    @property
    def description(self) -> str:
        return _in_language(self, "description")


class LogEntry(models.Model):
    """Hours of one day or one week of the internship, with a short reflection.
    A week entry is dated on its Monday. Confirmed by the mentor teacher, after
    which the student can no longer change it."""

    class Span(models.TextChoices):
        DAY = "day", _("Day")
        WEEK = "week", _("Week")

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.CASCADE,
        related_name="log_entries",
        verbose_name=_("placement"),
    )
    span = models.CharField(_("per"), max_length=10, choices=Span.choices, default=Span.DAY)
    date = models.DateField(_("date"), help_text=_("For a week: any day of that week."))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    reflection = models.TextField(_("short reflection"), max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    class Meta:
        verbose_name = _("internship log entry")
        verbose_name_plural = _("internship log entries")
        ordering = ["placement", "date", "span"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "span", "date"],
                name="internship_log_entry_once",
                violation_error_message=_("There is already an entry for this day or week."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0)
                & (
                    Q(span="day", hours__lte=MAX_DAY_HOURS)
                    | Q(span="week", hours__lte=MAX_WEEK_HOURS)
                ),
                name="internship_log_hours_in_range",
                violation_error_message=_("A day has between 0 and 24 hours."),
            ),
        ]

    def __str__(self):
        return f"{self.placement_id} {self.span} {self.date}: {self.hours}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Moment(models.TextChoices):
    MID_TERM = "mid_term", _("Mid-term evaluation")
    FINAL = "final", _("Final evaluation")


class EvaluatorRole(models.TextChoices):
    MENTOR = "mentor", _("Mentor teacher")
    BRIDGE_BUILDER = "bridge_builder", _("Bridge-builder")


class Evaluation(models.Model):
    """The evaluation of one evaluator (mentor teacher or supervising
    bridge-builder) at one moment. A draft until submitted; submitted, it is final.
    The student sees a moment once both evaluations of it are submitted."""

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("placement"),
    )
    moment = models.CharField(_("moment"), max_length=20, choices=Moment.choices)
    evaluator_role = models.CharField(_("by"), max_length=20, choices=EvaluatorRole.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="internship_evaluations",
        verbose_name=_("author"),
    )
    rubric = models.ForeignKey(
        Rubric, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("rubric")
    )
    summary = models.TextField(_("strengths and next steps"), max_length=5000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["placement", "moment", "evaluator_role"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "moment", "evaluator_role"],
                name="evaluation_once_per_moment_and_role",
            )
        ]

    def __str__(self):
        return f"{self.placement_id} {self.moment} {self.evaluator_role}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    """The level chosen for one criterion of an evaluation."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="scores", verbose_name=_("evaluation")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, related_name="+", verbose_name=_("level")
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["evaluation", "criterion__order", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="score_once")
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.level_id}"


class EvaluationResponse(models.Model):
    """The student teacher's response to a complete evaluation moment."""

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.CASCADE,
        related_name="evaluation_responses",
        verbose_name=_("placement"),
    )
    moment = models.CharField(_("moment"), max_length=20, choices=Moment.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("your response"), max_length=5000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("response to an evaluation")
        verbose_name_plural = _("responses to evaluations")
        constraints = [
            models.UniqueConstraint(fields=["placement", "moment"], name="evaluation_response_once")
        ]

    def __str__(self):
        return f"{self.placement_id} {self.moment}"


class MentorTraining(models.Model):
    """A mentor training a teacher completed (the mentor register)."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_trainings",
        verbose_name=_("mentor teacher"),
    )
    title = models.CharField(_("title"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    provider = models.CharField(_("organised by"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentor training")
        verbose_name_plural = _("mentor trainings")
        ordering = ["mentor", "-completed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=MAX_TRAINING_HOURS),
                name="mentor_training_hours_in_range",
                violation_error_message=_("A training takes between 0 and 1000 hours."),
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.completed_on})"


class InternshipMail(ClaimedMail):
    """A mail of this app owed to one person, sent exactly once (the claim protocol
    of ``network_sessions.mail``): the student hears that an evaluation moment is
    complete."""

    class Kind(models.TextChoices):
        EVALUATION_COMPLETE = "evaluation_complete", _("Evaluation complete")

    kind = models.CharField(max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="internship_mails"
    )
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="internship_mails"
    )
    moment = models.CharField(max_length=20, choices=Moment.choices)

    class Meta:
        verbose_name = _("internship mail")
        verbose_name_plural = _("internship mails")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "placement", "moment"], name="internship_mail_once"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"])]

    def __str__(self):
        return f"{self.kind} {self.placement_id} {self.moment} → {self.recipient_id}"
