"""Placements of student teachers at partner schools.

A school states, per school year and institution, what it can host (``HostingOffer``
with its ``HostingCapacity`` lines: a period, a level, a subject and a number of
places) and which of its teachers can mentor. Student teachers state ranked
preferences (``PlacementRequest`` with its ``Preference`` rows, one per period).
The institution's placement coordinator allocates: a ``Placement`` per student and
period, proposed, confirmed, running, completed or cancelled.

Capacity is a rule of the database, not of the code: every capacity line has
exactly ``places`` rows in ``PlacementSlot`` (one per place), and a placement
that counts holds one slot through a unique (one-to-one) key. Two coordinators
allocating at once cannot put more placements on a line than it has slots;
lowering a capacity deletes free slots only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.choice_labels import ChoiceLabels
from network_sessions.models import ClaimedMail

#: A capacity line offers at most this many places (a typo guard, also in the database).
MAX_PLACES_PER_LINE = 30
#: A student ranks at most this many choices per period.
MAX_PREFERENCES = 5


class Level(models.TextChoices):
    """The level a student teacher is trained for and a school hosts."""

    NURSERY = "nursery", _("Nursery")
    PRIMARY = "primary", _("Primary")
    SECONDARY_1 = "secondary_1", _("Secondary, first stage")
    SECONDARY_2 = "secondary_2", _("Secondary, second stage")
    SECONDARY_3 = "secondary_3", _("Secondary, third stage")


class PlacementPeriodQuerySet(models.QuerySet["PlacementPeriod"]):
    def visible_to(self, user):
        """Periods of the institutions the person has a role at (``permissions.py``)."""
        from .permissions import visible_periods

        return visible_periods(self, user)


class PlacementPeriod(models.Model):
    """A placement period of an institution in a school year, e.g. "stage 1"."""

    institution = models.ForeignKey(
        "partnership.Institution",
        on_delete=models.CASCADE,
        related_name="placement_periods",
        verbose_name=_("institution"),
    )
    school_year = models.ForeignKey(
        "partnership.SchoolYear",
        on_delete=models.PROTECT,
        related_name="placement_periods",
        verbose_name=_("school year"),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("For example “stage 1”."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    objects = PlacementPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement period")
        verbose_name_plural = _("placement periods")
        ordering = ["school_year", "starts_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "school_year", "name"],
                name="placement_period_unique_name",
                violation_error_message=_(
                    "This institution already has a period with this name in this school year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")),
                name="placement_period_in_order",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.starts_on.isoformat()} – {self.ends_on.isoformat()})"

    def overlaps(self, other: "PlacementPeriod") -> bool:
        return self.starts_on <= other.ends_on and other.starts_on <= self.ends_on


class HostingOffer(models.Model):
    """What a school can host for one institution in one school year: its answer to
    the yearly question (the capacity lines) and the teachers who can mentor.
    ``answered_at`` is empty until the school answered; reminders go out until then."""

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="hosting_offers",
        verbose_name=_("school"),
    )
    school_year = models.ForeignKey(
        "partnership.SchoolYear",
        on_delete=models.PROTECT,
        related_name="hosting_offers",
        verbose_name=_("school year"),
    )
    institution = models.ForeignKey(
        "partnership.Institution",
        on_delete=models.CASCADE,
        related_name="hosting_offers",
        verbose_name=_("institution"),
    )
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="mentor_offers",
        verbose_name=_("mentor teachers"),
    )
    note = models.TextField(_("note for the coordinator"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("hosting offer")
        verbose_name_plural = _("hosting offers")
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "institution"],
                name="hosting_offer_once_a_year",
                violation_error_message=_(
                    "This school already stated its capacity for this institution and year."
                ),
            )
        ]

    def __str__(self):
        return f"{self.school} – {self.institution} ({self.school_year})"


class HostingCapacity(models.Model):
    """One line of an offer: so many places in this period, level and subject."""

    offer = models.ForeignKey(
        HostingOffer, on_delete=models.CASCADE, related_name="lines", verbose_name=_("offer")
    )
    period = models.ForeignKey(
        PlacementPeriod,
        on_delete=models.PROTECT,
        related_name="capacity_lines",
        verbose_name=_("period"),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    subject = models.CharField(
        _("subject"), max_length=100, blank=True, help_text=_("Empty: any subject.")
    )
    places = models.PositiveSmallIntegerField(_("places"))

    class Meta:
        verbose_name = _("capacity line")
        verbose_name_plural = _("capacity lines")
        ordering = ["period__starts_on", "level", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "period", "level", "subject"],
                name="hosting_capacity_line_once",
                violation_error_message=_(
                    "This period, level and subject are already on the offer."
                ),
            ),
            models.CheckConstraint(
                condition=Q(places__gte=0) & Q(places__lte=MAX_PLACES_PER_LINE),
                name="hosting_capacity_places_in_range",
                violation_error_message=_("A line has between 0 and 30 places."),
            ),
        ]

    def __str__(self):
        subject = f" {self.subject}" if self.subject else ""
        return f"{self.offer.school} – {self.period.name} – {self.get_level_display()}{subject}"


class PlacementSlot(models.Model):
    """One place on a capacity line. A line has exactly ``places`` slots (the
    services keep that in the transaction that changes ``places``); a counting
    placement holds one through its unique ``slot`` key."""

    capacity = models.ForeignKey(
        HostingCapacity, on_delete=models.CASCADE, related_name="slots", verbose_name=_("line")
    )
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["capacity", "number"]
        constraints = [
            models.UniqueConstraint(fields=["capacity", "number"], name="placement_slot_once"),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=MAX_PLACES_PER_LINE),
                name="placement_slot_number_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.capacity} #{self.number}"


class PlacementRequestQuerySet(models.QuerySet["PlacementRequest"]):
    def visible_to(self, user):
        """The student's own requests; the coordinator's (``permissions.py``)."""
        from .permissions import visible_requests

        return visible_requests(self, user)


class PlacementRequest(models.Model):
    """A student teacher's request for a placement in one period, with ranked
    preferences (``Preference``)."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="placement_requests",
        verbose_name=_("student teacher"),
    )
    period = models.ForeignKey(
        PlacementPeriod,
        on_delete=models.CASCADE,
        related_name="requests",
        verbose_name=_("period"),
    )
    wants_research_team = models.BooleanField(
        _("I want to join the school's research team"), default=False
    )
    note = models.TextField(_("note for the coordinator"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PlacementRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement request")
        verbose_name_plural = _("placement requests")
        ordering = ["period__starts_on", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "period"],
                name="placement_request_once_per_period",
                violation_error_message=_("You already stated preferences for this period."),
            )
        ]

    def __str__(self):
        return f"{self.student} – {self.period}"


class Preference(models.Model):
    """The student's choice number ``rank`` (1 = first choice): a capacity line, so a
    school, period, level and subject the school offers."""

    request = models.ForeignKey(
        PlacementRequest,
        on_delete=models.CASCADE,
        related_name="preferences",
        verbose_name=_("request"),
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    capacity = models.ForeignKey(
        HostingCapacity,
        on_delete=models.PROTECT,
        related_name="preferences",
        verbose_name=_("place"),
    )

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        ordering = ["request", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["request", "rank"], name="preference_rank_once"),
            models.UniqueConstraint(
                fields=["request", "capacity"],
                name="preference_choice_once",
                violation_error_message=_("You chose this place twice."),
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(rank__lte=MAX_PREFERENCES),
                name="preference_rank_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.rank}. {self.capacity}"


class PlacementQuerySet(models.QuerySet["Placement"]):
    def counting(self) -> "PlacementQuerySet":
        """Placements that hold a place: all but cancelled ones."""
        return self.exclude(state=Placement.State.CANCELLED)

    def visible_to(self, user):
        """Placements a person may see; the rule is in ``permissions.py``."""
        from .permissions import visible_placements

        return visible_placements(self, user)


class Placement(ChoiceLabels):
    """A student teacher placed at a school in a period, with a mentor teacher and
    a supervising bridge-builder. States move only through the services."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("student teacher"),
    )
    school_year = models.ForeignKey(
        "partnership.SchoolYear",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("school year"),
    )
    institution = models.ForeignKey(
        "partnership.Institution",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("institution"),
    )
    period = models.ForeignKey(
        PlacementPeriod,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("period"),
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("school"),
    )
    capacity = models.ForeignKey(
        HostingCapacity,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("place"),
    )
    #: The place held; empty once cancelled (the place is free again).
    slot = models.OneToOneField(
        PlacementSlot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placement",
        verbose_name=_("slot"),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentored_placements",
        verbose_name=_("mentor teacher"),
    )
    bridge_builder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_placements",
        verbose_name=_("supervising bridge-builder"),
    )
    request = models.ForeignKey(
        PlacementRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("request"),
    )
    #: Which of the student's preferences this is (empty: placed by hand).
    choice_rank = models.PositiveSmallIntegerField(_("choice"), null=True, blank=True)
    #: Why the suggestion passed over the better choices: [[rank, "full"], …] (see
    #: ``allocation.Why``), kept so the page can still explain it once placed.
    passed_over = models.JSONField(_("better choices passed over"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PROPOSED
    )
    research_team = models.ForeignKey(
        "research_cycle.ResearchTeam",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("research team"),
    )
    team_task = models.TextField(
        _("task in the team's data collection"),
        blank=True,
        help_text=_("What the student teacher takes on in the team's data collection."),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["period__starts_on", "school__name", "student__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "period"],
                condition=~Q(state="cancelled"),
                name="placement_one_per_student_and_period",
                violation_error_message=_(
                    "This student teacher already has a placement in this period."
                ),
            ),
            models.CheckConstraint(
                condition=Q(state="cancelled") | Q(slot__isnull=False),
                name="placement_holds_a_place",
                violation_error_message=_("A placement needs a free place."),
            ),
            models.CheckConstraint(
                condition=~Q(state="cancelled") | ~Q(cancel_reason=""),
                name="placement_cancel_has_reason",
                violation_error_message=_("Say why the placement is cancelled."),
            ),
        ]
        indexes = [
            models.Index(fields=["school_year", "state"]),
            models.Index(fields=["school", "school_year"]),
        ]

    def __str__(self):
        return f"{self.student} – {self.school} – {self.period.name}"


class PlacementMail(ClaimedMail):
    """A placement mail owed to one person, sent exactly once (see
    ``network_sessions.mail`` for the claim protocol): a weekly capacity reminder
    to a school that has not answered, or the confirmation of a placement."""

    class Kind(models.TextChoices):
        CAPACITY_REMINDER = "capacity_reminder", _("Capacity reminder")
        CONFIRMATION = "confirmation", _("Placement confirmed")

    kind = models.CharField(max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="placement_mails"
    )
    # A reminder: the school, institution and year asked, and the week it belongs to.
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, null=True, blank=True)
    institution = models.ForeignKey(
        "partnership.Institution", on_delete=models.CASCADE, null=True, blank=True
    )
    school_year = models.ForeignKey(
        "partnership.SchoolYear", on_delete=models.CASCADE, null=True, blank=True
    )
    week_of = models.DateField(null=True, blank=True)
    # A confirmation: the placement.
    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, null=True, blank=True, related_name="mails"
    )

    class Meta:
        verbose_name = _("placement mail")
        verbose_name_plural = _("placement mails")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "school", "institution", "school_year", "week_of"],
                condition=Q(kind="capacity_reminder"),
                name="placement_reminder_once_a_week",
            ),
            models.UniqueConstraint(
                fields=["kind", "recipient", "placement"],
                condition=Q(kind="confirmation"),
                name="placement_confirmation_once",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="capacity_reminder")
                    & Q(school__isnull=False)
                    & Q(institution__isnull=False)
                    & Q(school_year__isnull=False)
                    & Q(week_of__isnull=False)
                )
                | (Q(kind="confirmation") & Q(placement__isnull=False)),
                name="placement_mail_has_its_subject",
            ),
        ]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"])]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"
