"""Notifications, the preferences that decide how they are mailed, and the
mails owed for them (rows of the exactly-once outbox, see network_sessions.mail)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network_sessions.models import ClaimedMail

from . import registry
from .registry import Delivery


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user) -> "NotificationQuerySet":
        """A person's own notifications: the only ones anyone can list or open."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """That an event concerns one person. Made in the event's transaction; the
    unique (kind, recipient, event key) makes a retried task or a double submit
    harmless. The title is rendered when shown, from ``params``, in the reader's
    language; ``url`` is the normal page of the target (opened through its own
    view and checks)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    event_key = models.CharField(max_length=120)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    target_id = models.PositiveBigIntegerField()
    params = models.JSONField(default=dict, blank=True)
    body = models.TextField(_("text"), blank=True, max_length=4000)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "event_key"], name="notification_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"

    @property
    def kind_spec(self) -> registry.Kind:
        return registry.get(self.kind)

    @property
    def title(self) -> str:
        return self.kind_spec.title(self.params)


class Preference(models.Model):
    """How one person wants one kind delivered (without a row: the kind's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.delivery}"


class NotificationMail(ClaimedMail):
    """The immediate mail of one notification: at most one (the one-to-one)."""

    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="mail")

    class Meta:
        verbose_name = _("notification mail")
        verbose_name_plural = _("notification mails")

    def __str__(self):
        return f"mail of {self.notification_id}"


class DigestMail(ClaimedMail):
    """One person's daily or weekly digest for one period: owed once (the unique
    constraint), sent once (the claim)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(max_length=20, choices=[(d.value, d.label) for d in registry.DIGESTS])
    period_start = models.DateField()

    class Meta:
        verbose_name = _("digest mail")
        verbose_name_plural = _("digest mails")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "period", "period_start"], name="digest_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.period} digest {self.period_start} → {self.recipient_id}"
