from typing import Self

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from config.choice_labels import ChoiceLabels
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


class ResearchTeamQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Teams a person may see: members, the school's bridge-builders and school
        leaders, the process facilitator of the school's learning community (all in
        the team's school year), and network admins. The rule lives in
        ``permissions.py`` (with the per-team check built from the same conditions)."""
        from .permissions import visible_teams

        return visible_teams(self, user)


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
    #: The knowledge base's themes the team works on: suggestions and sessions are
    #: matched on them (the free-text ``theme`` is the team's own wording).
    themes = models.ManyToManyField(
        "knowledge_base.Theme",
        blank=True,
        related_name="research_teams",
        verbose_name=_("themes in the knowledge base"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="TeamMembership",
        related_name="research_teams",
        verbose_name=_("members"),
    )
    #: The latest cycle, kept by the services so lists can join it in one query.
    current_cycle = models.OneToOneField(
        "ResearchCycle",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current cycle"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ResearchTeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("research team")
        verbose_name_plural = _("research teams")
        ordering = ["school__name", "theme"]
        indexes = [models.Index(fields=["school", "school_year"])]

    def __str__(self):
        return f"{self.school} – {self.theme} ({self.school_year})"


class TeamMembership(ChoiceLabels):
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


class Perspective(models.TextChoices):
    """Whose views the team collects as data (multiperspectivism)."""

    PUPILS = "pupils", _("Pupils")
    PARENTS = "parents", _("Parents")
    COLLEAGUES = "colleagues", _("Colleagues")
    SCHOOL_TEAM = "school_team", _("School team")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood organisations")
    EXPERTS = "experts", _("Experts")


#: The study's structured fields, in the order they fill up along the cycle.
STUDY_FIELDS = [
    ("dilemma", _("Dilemma")),
    ("beliefs", _("Beliefs and assumptions")),
    ("research_question", _("Research question")),
    ("hypotheses", _("Hypotheses")),
    ("inspiration_sources", _("Inspiration sources")),
    ("data_collection_plan", _("Data-collection plan")),
    ("findings", _("Findings")),
    ("action_taken", _("Action taken")),
    ("measured_effect", _("Measured effect")),
    ("lessons", _("Lessons")),
]
STUDY_FIELD_NAMES = [name for name, _label in STUDY_FIELDS]
STUDY_FIELD_MAX_LENGTH = 10_000


class ResearchCycleQuerySet(models.QuerySet["ResearchCycle"]):
    def open(self) -> Self:
        return self.filter(completed_at__isnull=True)


class ResearchCycle(models.Model):
    """One pass of a team through the cycle. A team may run a second cycle in the
    same school year; the study's structured fields belong to the cycle."""

    team = models.ForeignKey(
        ResearchTeam, on_delete=models.CASCADE, related_name="cycles", verbose_name=_("team")
    )
    number = models.PositiveSmallIntegerField(_("cycle number"), default=1)
    current_stage = models.ForeignKey(
        CycleStage, on_delete=models.PROTECT, related_name="+", verbose_name=_("current stage")
    )
    stage_entered_at = models.DateTimeField(_("in this stage since"))
    started_at = models.DateTimeField(_("started at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    dilemma = models.TextField(_("dilemma"), blank=True)
    beliefs = models.TextField(_("beliefs and assumptions"), blank=True)
    research_question = models.TextField(_("research question"), blank=True)
    hypotheses = models.TextField(_("hypotheses"), blank=True)
    inspiration_sources = models.TextField(
        _("inspiration sources"),
        blank=True,
        help_text=_("Literature references, consulted experts and schools."),
    )
    data_collection_plan = models.TextField(
        _("data-collection plan"), blank=True, help_text=_("Which instruments, when, with whom.")
    )
    perspectives = models.JSONField(_("perspectives"), default=list, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    action_taken = models.TextField(_("action taken"), blank=True)
    measured_effect = models.TextField(_("measured effect"), blank=True)
    lessons = models.TextField(_("lessons"), blank=True)
    #: Optimistic locking: {field name: version}; a save must name the version it edited.
    field_versions = models.JSONField(default=dict, blank=True, editable=False)

    objects = ResearchCycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("research cycle")
        verbose_name_plural = _("research cycles")
        ordering = ["team", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "number"],
                name="research_cycle_number_per_team",
                violation_error_message=_("This team already has a cycle with this number."),
            )
        ]
        indexes = [models.Index(fields=["current_stage", "completed_at"])]

    def __str__(self):
        return f"{self.team} – {_('cycle')} {self.number}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    def field_version(self, name: str) -> int:
        return int(self.field_versions.get(name, 0))

    def get_perspectives_display(self) -> list[str]:
        labels = dict(Perspective.choices)
        return [str(labels[p]) for p in self.perspectives if p in labels]


class CycleVersion(models.Model):
    """A random value the database replaces whenever anything the team page shows of
    a cycle changes, so the page can keep what it read under it (``workspace``).

    Written only by the database (PostgreSQL triggers, migration 0006) on every
    insert, update and delete of the cycle's log entries, their comments,
    attachments and attached questionnaire results, its stage transitions,
    knowledge injections and checklist checks, of its team's memberships, and of
    the cycle itself when it is made; and for every cycle at once when something
    every page may show changes (a person's full name, a stage, a checklist item,
    the title of a study or session an injection points to). Triggers rather than
    save() hooks, so ``queryset.update()``, bulk writes, Celery and raw SQL can never
    leave it behind. A random value rather than a counter: a restored or recreated
    database never hands out a version a cache already holds. No foreign-key
    constraint: a trigger may write it while Django deletes the cycle's rows."""

    cycle = models.OneToOneField(
        ResearchCycle,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    version = models.UUIDField()

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.cycle_id}: {self.version}"


class ReferenceVersion(models.Model):
    """One random value the database replaces whenever the network's reference
    tables change: the school years, the cycle stages and their checklist items.
    Oversight pages read those on every request (the year selector, the stages with
    their number of items), and they change a few times a year, so each process
    keeps what it read under this value (``oversight.selectors``), read with the
    signed-in person's row (``accounts.backends``) before the rows it guards.

    Written only by the database (PostgreSQL statement triggers, migration 0007) on
    every insert, update, delete and truncate of those three tables, as
    ``CycleVersion`` is: ``queryset.update()``, bulk writes and raw SQL can never
    leave it behind, and a recreated database never hands out a value a process
    already holds. One row (``id`` 1); without it (SQLite, or the table emptied)
    nothing is kept and the rows are read every time."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    version = models.UUIDField()

    class Meta:
        default_permissions = ()

    def __str__(self):
        return str(self.version)


class StudyFieldRevision(models.Model):
    """History of the study's fields: who changed what, when."""

    cycle = models.ForeignKey(
        ResearchCycle, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("cycle")
    )
    field = models.CharField(_("field"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    value = models.TextField(_("value"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("study field revision")
        verbose_name_plural = _("study field revisions")
        ordering = ["-created_at", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "field", "version"], name="study_field_revision_once"
            )
        ]

    def __str__(self):
        return f"{self.field} v{self.version}"


class ChecklistCheck(models.Model):
    """A checklist item ticked off in one cycle."""

    cycle = models.ForeignKey(
        ResearchCycle, on_delete=models.CASCADE, related_name="checks", verbose_name=_("cycle")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.CASCADE, related_name="+", verbose_name=_("item")
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ticked checklist item")
        verbose_name_plural = _("ticked checklist items")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "item"], name="checklist_check_once")
        ]

    def __str__(self):
        return str(self.item)


class StageTransition(models.Model):
    """Every move through the cycle is kept: from, to, who, when, why."""

    class Kind(models.TextChoices):
        START = "start", _("Started")
        ADVANCE = "advance", _("Advanced")
        BACK = "back", _("Stepped back")
        COMPLETE = "complete", _("Completed the cycle")

    cycle = models.ForeignKey(
        ResearchCycle,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("cycle"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    from_stage = models.ForeignKey(
        CycleStage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey(
        CycleStage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage transition")
        verbose_name_plural = _("stage transitions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.from_stage} → {self.to_stage}"


class LogEntryQuerySet(models.QuerySet):
    def for_timeline(self):
        return self.select_related("author", "stage").prefetch_related(
            "attachments",
            "questionnaire_results",
            models.Prefetch("comments", queryset=Comment.objects.select_related("author")),
        )


class LogEntry(models.Model):
    """What the team did on a day in a stage: the research diary."""

    cycle = models.ForeignKey(
        ResearchCycle,
        on_delete=models.CASCADE,
        related_name="log_entries",
        verbose_name=_("cycle"),
    )
    stage = models.ForeignKey(
        CycleStage, on_delete=models.PROTECT, related_name="+", verbose_name=_("stage")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="log_entries",
        verbose_name=_("author"),
    )
    occurred_on = models.DateField(_("date"))
    summary = models.TextField(_("what we did"), max_length=STUDY_FIELD_MAX_LENGTH)
    decisions = models.TextField(_("decisions"), blank=True, max_length=STUDY_FIELD_MAX_LENGTH)
    next_steps = models.TextField(_("next steps"), blank=True, max_length=STUDY_FIELD_MAX_LENGTH)
    perspectives = models.JSONField(_("perspectives involved"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["cycle", "-occurred_on", "-created_at"])]

    def __str__(self):
        return f"{self.occurred_on} – {self.summary[:40]}"

    def get_perspectives_display(self) -> list[str]:
        labels = dict(Perspective.choices)
        return [str(labels[p]) for p in self.perspectives if p in labels]


#: What a browser may show inline (with a sandbox) and what gets a thumbnail.
INLINE_CONTENT_TYPES = frozenset(
    {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}
)


class PreviewStatus(models.TextChoices):
    NONE = "none", _("No preview for this type")
    PENDING = "pending", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be made")


def attachment_path(instance, filename: str) -> str:
    # The stored name is random: original names may hold pupils' names and are kept
    # in the database for download only.
    import uuid

    return f"private/attachments/{instance.log_entry.cycle.team_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """Evidence attached to a log entry. Stored privately; served only after a
    permission check."""

    log_entry = models.ForeignKey(
        LogEntry,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("log entry"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # The first page (PDF) or frame (image) as a small JPEG, made by a Celery task
    # (research_cycle/previews.py) and stored privately next to the file itself.
    preview = models.FileField(_("preview"), max_length=320, blank=True)
    preview_status = models.CharField(
        _("preview status"),
        max_length=10,
        choices=PreviewStatus.choices,
        default=PreviewStatus.NONE,
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(preview_status="pending"),
                name="attachment_preview_pending",
            )
        ]

    def __str__(self):
        return self.original_name

    @property
    def extension(self) -> str:
        """What the file is, for the tile of a file without a preview ("CSV")."""
        return self.original_name.rsplit(".", 1)[-1].upper() if "." in self.original_name else ""

    @property
    def can_show_inline(self) -> bool:
        """PDFs and images open in the browser; other types only download."""
        return self.content_type in INLINE_CONTENT_TYPES


class Comment(models.Model):
    log_entry = models.ForeignKey(
        LogEntry, on_delete=models.CASCADE, related_name="comments", verbose_name=_("log entry")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self):
        return self.body[:40]
