"""Questionnaires a research team sends in its data-collection stage.

Respondents are often minors, so what is stored about them is the least that
gives the team its figures: a response has a random UUID and the day it came
in, nothing else (no IP address, user agent, session or time of day).
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.choice_labels import ChoiceLabels
from network_sessions.models import ClaimedMail
from research_cycle.models import Perspective

#: Languages a questionnaire can be answered in (Dutch always), with their text direction.
LANGUAGES = {
    "nl": ("Nederlands", "ltr"),
    "fr": ("Français", "ltr"),
    "en": ("English", "ltr"),
    "ar": ("العربية", "rtl"),
    "tr": ("Türkçe", "ltr"),
}
EXTRA_LANGUAGES = [code for code in LANGUAGES if code != "nl"]
#: Fewer answers than this in a group: no figure is shown (respondents could be recognised).
MIN_GROUP_SIZE = 5
OPEN_ANSWER_MAX_LENGTH = 1000


def in_language(texts: dict[str, str], language: str) -> str:
    """The text in the respondent's language, the Dutch one when it has none."""
    return texts.get(language) or texts.get("nl", "")


def new_token() -> str:
    return secrets.token_urlsafe(12)


class QuestionnaireQuerySet(models.QuerySet["Questionnaire"]):
    def visible_to(self, user) -> "QuestionnaireQuerySet":
        """Questionnaires of the teams this person may see (the team rule)."""
        from research_cycle.models import ResearchTeam

        return self.filter(team__in=ResearchTeam.objects.visible_to(user).values("pk"))


class Questionnaire(ChoiceLabels):
    class ConsentLetter(models.TextChoices):
        TEMPLATE_NL = "template_nl", _("Leerbrug's template letter (Dutch)")
        TEMPLATE_FR = "template_fr", _("Leerbrug's template letter (French)")
        OWN = "own", _("The school's own letter")

    team = models.ForeignKey(
        "research_cycle.ResearchTeam",
        on_delete=models.CASCADE,
        related_name="questionnaires",
        verbose_name=_("team"),
    )
    #: The cycle it collects data for: its answers are deleted a set time after it completes.
    cycle = models.ForeignKey(
        "research_cycle.ResearchCycle",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("research cycle"),
    )
    title = models.CharField(_("title"), max_length=200)
    #: The title per extra language ({"fr": "…"}); Dutch is ``title``.
    title_translations = models.JSONField(default=dict, blank=True)
    perspective = models.CharField(_("respondents"), max_length=20, choices=Perspective.choices)
    languages = models.JSONField(_("other languages"), default=list, blank=True)
    child_friendly = models.BooleanField(
        _("child-friendly"),
        default=False,
        help_text=_("Large type and one question a screen."),
    )
    smileys = models.BooleanField(
        _("smiley scale"), default=False, help_text=_("Scales with smileys for young pupils.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The consent step, confirmed by the coach before the first round opens.
    consent_confirmed_at = models.DateTimeField(_("consent confirmed at"), null=True, blank=True)
    consent_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    parents_informed_on = models.DateField(_("parents informed on"), null=True, blank=True)
    consent_letter = models.CharField(
        _("letter used"), max_length=20, choices=ConsentLetter.choices, blank=True
    )

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def all_languages(self) -> list[str]:
        return ["nl", *[code for code in EXTRA_LANGUAGES if code in self.languages]]

    @property
    def needs_parent_notice(self) -> bool:
        return self.perspective == Perspective.PUPILS

    @property
    def consent_confirmed(self) -> bool:
        return self.consent_confirmed_at is not None

    def title_in(self, language: str) -> str:
        return self.title_translations.get(language) or self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        OPEN = "open", _("Short open answer")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    #: {"nl": "…", "fr": "…"}
    text = models.JSONField(_("question"))
    #: Scale labels (low to high) or choices, each {"nl": "…", "fr": "…"}.
    options = models.JSONField(_("options"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "order", "pk"]

    def __str__(self):
        return self.text_in("nl")

    def text_in(self, language: str) -> str:
        return in_language(self.text, language)

    def options_in(self, language: str) -> list[str]:
        return [in_language(option, language) for option in self.options]

    @property
    def has_options(self) -> bool:
        return self.kind != self.Kind.OPEN


class Round(models.Model):
    """One collection with its own public link: a second round measures after the
    action, or another class; results compare two rounds."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("round"))
    label = models.CharField(
        _("label"), max_length=60, blank=True, help_text=_("For example “before” or “class 5A”.")
    )
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    opened_on = models.DateField(_("opened on"))
    closes_on = models.DateField(_("closes on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    #: The figures, kept when the answers are deleted after the retention period.
    aggregates = models.JSONField(null=True, blank=True, editable=False)
    answers_deleted_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="round_number_once"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opened_on")),
                name="round_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        base = _("Round %(number)s") % {"number": self.number}
        return f"{base} ({self.label})" if self.label else base

    def is_open_on(self, day) -> bool:
        return self.closed_on is None and self.opened_on <= day <= self.closes_on

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())


class Response(models.Model):
    """One filled-in form. Deliberately nothing that could identify who sent it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return str(self.id)


class Answer(models.Model):
    """One answer: an option's number (scale point, or chosen option; one row per
    option of a multiple choice) or an open text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    #: Denormalised so results group by round without a join through responses.
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.CharField(max_length=OPEN_ANSWER_MAX_LENGTH, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["round", "question", "value"])]

    def __str__(self):
        return str(self.id)


class UsedNonce(models.Model):
    """A form's one-time nonce, once it was used: a replayed submission is refused.
    Not linked to the response it came with."""

    nonce = models.CharField(max_length=40, primary_key=True)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")

    def __str__(self):
        return self.nonce


class RetentionPolicy(models.Model):
    """How long a network keeps raw answers after a research cycle completes."""

    partnership = models.OneToOneField(
        "partnership.Partnership",
        on_delete=models.CASCADE,
        related_name="questionnaire_retention",
        verbose_name=_("partnership"),
    )
    months = models.PositiveSmallIntegerField(_("months"), default=12)

    class Meta:
        verbose_name = _("answer retention")
        verbose_name_plural = _("answer retention")

    def __str__(self):
        return f"{self.partnership}: {self.months}"


class RetentionNotice(ClaimedMail):
    """The notice to a coach, a month ahead, that a questionnaire's answers will be
    deleted: one row per questionnaire and coach, so it goes out once."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="retention_notices"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "recipient"], name="retention_notice_once"
            )
        ]

    def __str__(self):
        return f"retention {self.questionnaire_id} → {self.recipient_id}"


DEFAULT_RETENTION_MONTHS = 12


def retention_months(partnership_id: int) -> int:
    """How many months this network keeps answers after a cycle completes."""
    months = RetentionPolicy.objects.filter(partnership_id=partnership_id).values_list(
        "months", flat=True
    )
    return next(iter(months), DEFAULT_RETENTION_MONTHS)


class ResultsSnapshot(models.Model):
    """A round's figures as they were when the team attached them to a diary entry
    or to a study draft: answers that come in later, and the retention period,
    leave them as they were (a published study does not change under its
    readers). Only figures are kept, already without the groups under
    ``MIN_GROUP_SIZE``; open answers are ``SnapshotQuote``s."""

    round = models.ForeignKey(Round, on_delete=models.SET_NULL, null=True, related_name="snapshots")
    log_entry = models.ForeignKey(
        "research_cycle.LogEntry",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaire_results",
    )
    study = models.ForeignKey(
        "knowledge_base.Study",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaire_results",
    )
    title = models.CharField(_("title"), max_length=200)
    round_name = models.CharField(_("round"), max_length=100)
    responses = models.PositiveIntegerField(_("responses"))
    #: Per question: ``{"text", "kind", "answered", "suppressed", "options":
    #: [{"label", "count", "percent"}], "mean"}``; nothing but ``suppressed`` and
    #: the text for a group that is too small.
    figures = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attached results")
        verbose_name_plural = _("attached results")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(log_entry__isnull=True) ^ models.Q(study__isnull=True),
                name="snapshot_in_a_diary_entry_or_a_study",
            ),
            models.UniqueConstraint(
                fields=["study", "round"], name="snapshot_of_a_round_once_a_study"
            ),
        ]

    def __str__(self):
        return f"{self.title} – {self.round_name}"


class SnapshotQuote(models.Model):
    """An open answer of a round attached to a study. It reaches the public page
    only once the reviewer approved this one answer (``approved_at``); hiding the
    answer in the results removes it. Unapproved quotes go with the answers
    when the retention period ends."""

    snapshot = models.ForeignKey(ResultsSnapshot, on_delete=models.CASCADE, related_name="quotes")
    answer = models.ForeignKey(Answer, on_delete=models.SET_NULL, null=True, related_name="+")
    #: The position of the question in ``snapshot.figures``.
    question_index = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=OPEN_ANSWER_MAX_LENGTH)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("quoted answer")
        verbose_name_plural = _("quoted answers")
        ordering = ["question_index", "text", "pk"]

    def __str__(self):
        return self.text[:50]

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None
