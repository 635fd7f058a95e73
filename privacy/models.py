"""People's rights over their data (GDPR art. 5, 15, 17, 20): exports, erasure
requests and their pseudonyms, retention periods and the access log."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network_sessions.models import ClaimedMail

#: How long the mailed link of an export works.
EXPORT_VALID_FOR = datetime.timedelta(days=7)
#: How long an erasure waits for an admin before it happens by itself.
ERASURE_WAIT = datetime.timedelta(days=30)


def export_path(instance: "DataExport", filename: str) -> str:
    # Random name in the private area: nothing about the person in the path.
    return f"private/exports/{uuid.uuid4().hex}.zip"


class DataExport(models.Model):
    """One copy of everything the platform holds about a person, built by a task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be built")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=export_path, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    #: When a worker took it; a build older than the task's hard limit died with it.
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.user} – {self.requested_at:%Y-%m-%d %H:%M}"

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())


class ExportMail(ClaimedMail):
    """The "your data is ready" mail, owed once per export (exactly-once outbox)."""

    export = models.OneToOneField(DataExport, on_delete=models.CASCADE, related_name="mail")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("export mail")
        verbose_name_plural = _("export mails")


class ErasureRequest(models.Model):
    """A person's request to be erased, as a state machine: requested → (held ⇄
    requested) → confirmed → erased. The erasure itself is one transaction from
    confirmed to erased; files are removed after it commits (``files_pending``), so a
    crash at any point leaves either nothing done or a finished erasure."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        HELD = "held", _("Held by an admin")
        CONFIRMED = "confirmed", _("Confirmed")
        ERASED = "erased", _("Erased")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="erasure_requests",
        verbose_name=_("person"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    due_at = models.DateTimeField(_("erased automatically on"))
    hold_reason = models.TextField(
        _("reason to hold"),
        blank=True,
        help_text=_("While a reason is given, the erasure waits (e.g. an ongoing evaluation)."),
    )
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("held by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    #: Why the last attempt was refused (the last admin, the only coach of a team).
    refusal = models.TextField(_("refused because"), blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    #: Storage names still to delete after the erasure committed.
    files_pending = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=~models.Q(state="erased"),
                name="privacy_one_open_erasure_per_person",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="held") | ~models.Q(hold_reason=""),
                name="privacy_hold_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_state_display()})"


class TeamPseudonym(models.Model):
    """The stand-in of an erased person in one team's history ("Teamlid 3"): a
    placeholder account without personal data that their team records now point to.
    One per person and team, numbered within the team, so the history reads the
    same on every page and two erased members stay apart; across teams the
    stand-ins are different accounts, so nothing links them."""

    team = models.ForeignKey(
        "research_cycle.ResearchTeam", on_delete=models.CASCADE, related_name="pseudonyms"
    )
    number = models.PositiveSmallIntegerField()
    stand_in = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_pseudonym"
    )
    erasure = models.ForeignKey(ErasureRequest, on_delete=models.CASCADE, related_name="pseudonyms")

    class Meta:
        verbose_name = _("team pseudonym")
        verbose_name_plural = _("team pseudonyms")
        constraints = [
            models.UniqueConstraint(fields=["team", "number"], name="privacy_pseudonym_number"),
            models.UniqueConstraint(fields=["team", "erasure"], name="privacy_pseudonym_once"),
        ]

    def __str__(self):
        return f"Teamlid {self.number}"


class RetentionPeriod(models.Model):
    """How long one kind of data is kept; the defaults are in docs/privacy.md.
    Questionnaire answers have their own policy per partnership in the
    questionnaires app, which the nightly run applies too."""

    class Kind(models.TextChoices):
        DIARY_ATTACHMENTS = (
            "diary_attachments",
            _("Diary attachments (months after the cycle completes)"),
        )
        DEACTIVATED_ACCOUNTS = (
            "deactivated_accounts",
            _("Deactivated accounts (years after their last role)"),
        )
        MAIL_OUTBOX = "mail_outbox", _("Mail outbox rows (days after sending)")
        ACCESS_LOG = "access_log", _("Access log (months)")
        ADMIN_LOG = "admin_log", _("Admin change log (months)")

    kind = models.CharField(_("kind of data"), max_length=30, choices=Kind.choices, unique=True)
    amount = models.PositiveSmallIntegerField(_("kept for"))

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=1), name="privacy_retention_positive"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.amount}"


#: The defaults (also in docs/privacy.md and the data migration).
RETENTION_DEFAULTS: dict[str, int] = {
    RetentionPeriod.Kind.DIARY_ATTACHMENTS: 24,
    RetentionPeriod.Kind.DEACTIVATED_ACCOUNTS: 2,
    RetentionPeriod.Kind.MAIL_OUTBOX: 90,
    RetentionPeriod.Kind.ACCESS_LOG: 12,
    RetentionPeriod.Kind.ADMIN_LOG: 24,
}


def retention_amount(kind: str) -> int:
    """The period set in the admin, or the default when the row was removed."""
    row = RetentionPeriod.objects.filter(kind=kind).values_list("amount", flat=True).first()
    return row if row is not None else RETENTION_DEFAULTS[kind]


class TeamFilesNotice(ClaimedMail):
    """The coach is told once, a month ahead, that a cycle's diary files go."""

    cycle = models.ForeignKey(
        "research_cycle.ResearchCycle", on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("team files notice")
        verbose_name_plural = _("team files notices")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "recipient"], name="privacy_files_notice_once")
        ]


class RetentionRun(models.Model):
    """What one nightly run removed: the report an admin (or the DPO) reads."""

    ran_at = models.DateTimeField(_("ran at"), default=timezone.now)
    removed = models.JSONField(_("removed"), default=dict)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-ran_at"]

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M}"


class AccessRecord(models.Model):
    """One download of a private file or export: who, what, when. The team (when
    the file is a team's) lets its coach read the log."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    what = models.CharField(_("what"), max_length=300)
    path = models.CharField(_("address"), max_length=500)
    team = models.ForeignKey(
        "research_cycle.ResearchTeam",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["team", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.what}"
