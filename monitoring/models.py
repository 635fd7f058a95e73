"""Questionnaires as data (instruments with a scale, subscales and items in Dutch
and English), rounds at a school, invitations and anonymous responses.

Read the package docstring (``monitoring/__init__.py``) before changing
``Invitation``, ``Response`` or ``Score``: what they must never store is the point.
"""

import hmac
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from network_sessions.models import ClaimedMail
from research_cycle.models import _in_language

#: No figure is shown for fewer people than this, at any level (small-cell suppression);
#: it is also the size of a batch (see the package docstring).
MIN_RESPONDENTS = 5

_TOKEN_SALT = "monitoring.invitation"


class Instrument(models.Model):
    """A questionnaire: a response scale, subscales and items, in Dutch and English."""

    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    introduction_nl = models.TextField(_("introduction (Dutch)"), blank=True)
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    source = models.TextField(
        _("source and terms of use"),
        blank=True,
        help_text=_(
            "Who wrote the scale and under which terms it may be used. A network loads its "
            "own validated scale (for example Goddard's short form of the collective efficacy "
            "scale) under that scale's own terms; do not paste a published scale's items "
            "here without that permission."
        ),
    )
    scale_min = models.PositiveSmallIntegerField(_("lowest answer"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest answer"), default=6)
    is_active = models.BooleanField(
        _("can be used for new rounds"),
        default=True,
        help_text=_(
            "Change items only before the first round: earlier answers keep the scores "
            "they were given."
        ),
    )

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["name_nl"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")),
                name="instrument_scale_in_order",
                violation_error_message=_("The highest answer must be above the lowest."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self, "name")

    @property
    def introduction(self) -> str:
        return _in_language(self, "introduction")

    def reversed_value(self, value: int) -> int:
        """The score of a reverse-scored item: 6 on a 1–6 scale counts as 1."""
        return self.scale_min + self.scale_max - value


class ScaleLabel(models.Model):
    """The words of one point of the response scale ("agree" for 5)."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="scale_labels"
    )
    value = models.PositiveSmallIntegerField(_("value"))
    label_nl = models.CharField(_("label (Dutch)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100)

    class Meta:
        verbose_name = _("scale label")
        verbose_name_plural = _("scale labels")
        ordering = ["instrument", "value"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "value"], name="scale_label_unique")
        ]

    def __str__(self):
        return f"{self.value}: {self.label}"

    @property
    def label(self) -> str:
        return _in_language(self, "label")


class Subscale(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="subscales")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        verbose_name = _("subscale")
        verbose_name_plural = _("subscales")
        ordering = ["instrument", "order", "pk"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self, "name")


class Item(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    subscale = models.ForeignKey(
        Subscale, on_delete=models.PROTECT, related_name="items", verbose_name=_("subscale")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_nl = models.CharField(_("text (Dutch)"), max_length=400)
    text_en = models.CharField(_("text (English)"), max_length=400)
    reverse_scored = models.BooleanField(
        _("reverse-scored"),
        default=False,
        help_text=_("Agreeing is the low end of the subscale (the answer is turned around)."),
    )

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["instrument", "order", "pk"]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return _in_language(self, "text")

    def clean(self):
        super().clean()
        if (
            self.subscale_id
            and self.instrument_id
            and self.subscale.instrument_id != self.instrument_id
        ):
            raise ValidationError({"subscale": _("Choose a subscale of this item's instrument.")})


class Moment(models.TextChoices):
    """When in the school year a round is held; rounds of the same moment are
    compared across schools and years."""

    START = "start", _("Start of the school year")
    MIDDLE = "middle", _("Middle of the school year")
    END = "end", _("End of the school year")


MOMENT_ORDER = {moment.value: index for index, moment in enumerate(Moment)}


class Round(models.Model):
    """One administration of an instrument at one school."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="monitoring_rounds"
    )
    school_year = models.ForeignKey(
        "partnership.SchoolYear", on_delete=models.PROTECT, related_name="monitoring_rounds"
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("instrument")
    )
    moment = models.CharField(_("round"), max_length=10, choices=Moment.choices)
    closes_on = models.DateField(
        _("closing date"), help_text=_("Answers are taken until the end of this day.")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_on = models.DateField(default=timezone.localdate)
    #: Answers received (including those of a batch not complete yet).
    response_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("questionnaire round")
        verbose_name_plural = _("questionnaire rounds")
        ordering = ["-school_year__starts_on", "school", "moment"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "instrument", "moment"],
                name="monitoring_round_once_per_moment",
                violation_error_message=_(
                    "This school already has a round of this questionnaire at this moment "
                    "of the school year."
                ),
            )
        ]

    def __str__(self):
        return f"{self.school} – {self.get_moment_display()} {self.school_year}"

    @property
    def is_open(self) -> bool:
        return timezone.localdate() <= self.closes_on

    @property
    def counted(self) -> int:
        """The answers in complete batches: the ones every figure is computed from."""
        return self.response_count // MIN_RESPONDENTS * MIN_RESPONDENTS


def new_invitation_key() -> str:
    return secrets.token_urlsafe(16)


class Invitation(models.Model):
    """The right of one person to answer one round once. Knows whether it was used,
    never when, and nothing points from a response back to it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="monitoring_invitations"
    )
    key = models.CharField(max_length=32, unique=True, default=new_invitation_key)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="monitoring_invitation_once")
        ]

    def __str__(self):
        return f"{self.round} → {self.person_id}"

    @property
    def token(self) -> str:
        """The secret of the mailed link: the key and its signature."""
        return f"{self.key}.{_signature(self.key)}"

    @staticmethod
    def key_from_token(token: str) -> str | None:
        """The key of a genuine token, else None (a forged or mangled link)."""
        key, _dot, signature = token.partition(".")
        if not key or not hmac.compare_digest(signature, _signature(key)):
            return None
        return key


def _signature(key: str) -> str:
    return salted_hmac(_TOKEN_SALT, key, algorithm="sha256").hexdigest()[:32]


class InvitationMail(ClaimedMail):
    """The invitation mail and the one reminder of one invitation, each sent once
    (see ``network_sessions.mail`` for how rows are claimed and sent)."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="mails")
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("questionnaire mail")
        verbose_name_plural = _("questionnaire mails")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "kind"], name="monitoring_mail_exactly_once"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"])]

    def __str__(self):
        return f"{self.kind} {self.invitation_id}"


class Response(models.Model):
    """One person's answers to one round. No person, no invitation, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    #: {item id (as text): the value chosen}
    answers = models.JSONField()
    #: The answers of a round are counted in batches of ``MIN_RESPONDENTS``.
    batch = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["round", "batch"])]

    def __str__(self):
        return str(self.pk)


class Score(models.Model):
    """A response's score on one subscale (the mean of its items, reverse-scored
    items turned around), kept so results are aggregated in the database."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="scores")
    subscale = models.ForeignKey(Subscale, on_delete=models.PROTECT, related_name="+")
    value = models.FloatField()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["response", "subscale"], name="monitoring_score_once")
        ]

    def __str__(self):
        return f"{self.subscale_id}: {self.value}"
