"""Network sessions (learning networks, learning community meetings, knowledge and
reflection sessions, training), who is invited, their answers, and the mails the
platform owes them.

Invitations are not stored: they follow from the session's audience every time
they are asked for (``NetworkSession.objects.invited(user)`` and
``invitees(session)`` in ``selectors.py``), so a coach who joins later is invited
too. What is stored is what people did (their answer, their attendance) and each
mail owed (``Delivery``), claimed before sending and marked after, so it goes out
exactly once.
"""

import secrets
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.roles import AnyUser, is_network_admin, is_signed_in
from access.scope import in_years, scope_of
from config.choice_labels import ChoiceLabels
from schools.models import Role

DEFAULT_REMINDER_DAYS = [7, 1]


def default_reminder_days() -> list[int]:
    return list(DEFAULT_REMINDER_DAYS)


def invited_values(user: AnyUser) -> dict[str, Any]:
    """What ``invited_by`` needs of the person, from their scope (``access.scope``):
    plain ids and roles per school year."""
    scope = scope_of(user)
    roles_by_year: dict[int, set[str]] = {}
    for held in scope.roles:
        roles_by_year.setdefault(held.school_year_id, set()).add(held.role)
    led = scope.schools_by_year([Role.SCHOOL_LEADER])
    led_communities = {
        year: {community for community, school in scope.led_school_communities if school in schools}
        for year, schools in led.items()
    }
    return {
        "user": user.pk,
        "roles_by_year": roles_by_year,
        "schools_by_year": scope.schools_by_year(),
        "facilitated": sorted({c for c, _year in scope.facilitated_communities}),
        # no empty lists: a year without ids is no condition (and no parameter)
        "led_communities": {year: ids for year, ids in led_communities.items() if ids},
    }


def invited_by(
    *,
    user: int,
    roles_by_year: Mapping[int, Iterable[str]],
    schools_by_year: Mapping[int, Iterable[int]],
    facilitated: Iterable[int],
    led_communities: Mapping[int, Iterable[int]],
) -> Q:
    """``invited_condition`` over the values of ``invited_values``: a pure function of
    them, so ``config.kept_query`` can keep its SQL."""
    session_year = "session__school_year_id"
    by_role = in_years(roles_by_year, ids="role", year=session_year)
    condition = Q(pk__in=AudienceRole.objects.filter(by_role).values("session_id"))
    schools = NetworkSession.audience_schools.through.objects.filter(
        in_years(schools_by_year, ids="school_id", year="networksession__school_year_id")
    )
    condition |= Q(pk__in=schools.values("networksession_id"))
    communities = NetworkSession.audience_communities.through.objects.filter(
        Q(learningcommunity_id__in=list(facilitated))
        | in_years(
            led_communities, ids="learningcommunity_id", year="networksession__school_year_id"
        )
    )
    condition |= Q(pk__in=communities.values("networksession_id"))
    named = NetworkSession.audience_people.through.objects.filter(user_id=user)
    return condition | Q(pk__in=named.values("networksession_id"))


def invited_condition(user: AnyUser) -> Q:
    """``NetworkSession.objects.invited(user)`` as a condition over the session row:
    subqueries of the audience tables over plain id lists from the person's scope
    (``access.scope``), cheap to compile; never true for anonymous people."""
    if not is_signed_in(user):
        return Q(pk__in=[])
    return invited_by(**invited_values(user))


class NetworkSessionQuerySet(models.QuerySet["NetworkSession"]):
    def invited(self, user: AnyUser) -> Self:
        """Sessions whose audience includes this person, resolved in the session's
        school year: by role, by school (any role there), by learning community (its
        process facilitator and the school leaders of its schools), or by name."""
        return self.filter(invited_condition(user))

    def visible_to(self, user):
        """Invitees, the organiser and network admins see a session; nobody else."""
        if not is_signed_in(user):
            return self.none()
        if is_network_admin(user):
            return self.all()
        return self.filter(invited_condition(user) | Q(organiser=user))

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def scheduled(self):
        return self.filter(status=NetworkSession.Status.SCHEDULED)


class NetworkSession(ChoiceLabels):
    """A meeting of the network, planned by an admin, process facilitator or
    bridge-builder."""

    class Kind(models.TextChoices):
        LEARNING_NETWORK = "learning_network", _("Learning network")
        LEARNING_COMMUNITY = "learning_community", _("Learning community meeting")
        KNOWLEDGE = "knowledge", _("Knowledge session")
        REFLECTION = "reflection", _("Reflection session")
        TRAINING = "training", _("Training")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    school_year = models.ForeignKey(
        "partnership.SchoolYear",
        on_delete=models.PROTECT,
        related_name="network_sessions",
        verbose_name=_("school year"),
        help_text=_("Roles in the audience are those of this school year."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True, max_length=10000)
    materials = models.TextField(
        _("materials"),
        blank=True,
        max_length=5000,
        help_text=_("What to bring or read beforehand; links are welcome."),
    )
    reminder_days = models.JSONField(
        _("reminders (days before)"), default=default_reminder_days, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True, max_length=1000)
    #: iCalendar SEQUENCE: goes up with every change calendar programs must notice.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organised_sessions",
        verbose_name=_("organiser"),
    )
    audience_communities = models.ManyToManyField(
        "partnership.LearningCommunity",
        blank=True,
        related_name="network_sessions",
        verbose_name=_("learning communities"),
    )
    audience_schools = models.ManyToManyField(
        "schools.School",
        blank=True,
        related_name="network_sessions",
        verbose_name=_("schools"),
    )
    audience_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="named_in_sessions",
        verbose_name=_("named people"),
    )
    #: What the session is about, so a team in that stage or on that theme is
    #: pointed to it (the workspace's suggestions).
    stages = models.ManyToManyField(
        "research_cycle.CycleStage",
        blank=True,
        related_name="network_sessions",
        verbose_name=_("stages of the research cycle"),
    )
    themes = models.ManyToManyField(
        "knowledge_base.Theme",
        blank=True,
        related_name="network_sessions",
        verbose_name=_("themes"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NetworkSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("network session")
        verbose_name_plural = _("network sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="network_session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            )
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class AudienceRole(models.Model):
    """A role invited to a session (e.g. every coach and bridge-builder)."""

    session = models.ForeignKey(
        NetworkSession, on_delete=models.CASCADE, related_name="audience_roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("invited role")
        verbose_name_plural = _("invited roles")
        constraints = [
            models.UniqueConstraint(fields=["session", "role"], name="audience_role_once")
        ]

    def __str__(self):
        return self.get_role_display()


class Participation(models.Model):
    """An invitee's answer and, after the session, whether they were there."""

    class Response(models.TextChoices):
        GOING = "going", _("Going")
        MAYBE = "maybe", _("Maybe")
        NOT_GOING = "not_going", _("Not going")

    session = models.ForeignKey(
        NetworkSession, on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="session_participations",
        verbose_name=_("person"),
    )
    response = models.CharField(_("answer"), max_length=20, choices=Response.choices, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="participation_once")
        ]

    def __str__(self):
        return f"{self.user} – {self.session}"


class ClaimedMail(models.Model):
    """A mail owed to one person, sent at most once.

    A sender first *claims* the row with one conditional UPDATE (only one of any
    number of concurrent senders changes it), sends, and then marks it sent. A
    claim older than ``CLAIM_TIMEOUT`` belongs to a dead worker and may be taken
    again; an SMTP failure releases the claim and sets ``next_attempt_at``.

    ``queued_until`` is the lease of a send task waiting in the broker: the beat
    scan queues a row only when it has none (or it expired, the task being lost),
    so a backlog is queued once instead of once a minute. Claiming ends the lease.
    """

    due_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    queued_until = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        abstract = True


class Delivery(ClaimedMail):
    """A reminder, update or cancellation for one session and one person.

    The unique constraint is what makes it exactly-once: a reminder is keyed by
    the start time it reminds of (so moving a session re-arms its reminders), an
    update or cancellation by the session's SEQUENCE.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        UPDATE = "update", _("Update")
        CANCELLATION = "cancellation", _("Cancellation")

    session = models.ForeignKey(NetworkSession, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_deliveries"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    offset_days = models.PositiveSmallIntegerField(default=0)
    starts_at = models.DateTimeField()
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("session mail")
        verbose_name_plural = _("session mails")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "recipient", "kind", "offset_days", "starts_at", "sequence"],
                name="delivery_exactly_once",
            )
        ]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"])]

    def __str__(self):
        return f"{self.kind} {self.session_id} → {self.recipient_id}"


class DigestDelivery(ClaimedMail):
    """The weekly digest of one bridge-builder for one week, sent once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    week_of = models.DateField()

    class Meta:
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "week_of"], name="digest_once_a_week")
        ]

    def __str__(self):
        return f"digest {self.week_of} → {self.recipient_id}"


def new_feed_key() -> str:
    return secrets.token_urlsafe(9)


def new_feed_secret() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A person's private calendar address: /calendar/<key>.<secret>.ics.

    The key finds the row; the secret is compared in constant time. Resetting
    replaces both, so the old address stops working at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    key = models.CharField(max_length=20, unique=True, default=new_feed_key)
    secret = models.CharField(max_length=64, default=new_feed_secret)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"calendar feed of {self.user}"

    @property
    def token(self) -> str:
        return f"{self.key}.{self.secret}"
