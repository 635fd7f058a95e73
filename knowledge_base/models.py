"""Published studies: the network's knowledge base (kennisbank).

A study starts as a draft (usually prefilled from a team's research cycle, or
entered by hand for earlier years), is reviewed, and once published is public at
a stable slug URL. Nothing unpublished is ever reachable from a public surface:
every public read goes through ``Study.objects.published()``.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from access.roles import is_network_admin, is_signed_in
from access.scope import in_years, scope_of
from config.choice_labels import ChoiceLabels
from research_cycle.models import _in_language
from schools.models import Role


def school_level_label(value: str) -> str:
    """A study's school level in the reader's language when it is one of the school
    levels (as prefilled), else the text as entered."""
    from schools.models import School

    return str(dict(School.Level.choices).get(value, value))


class Theme(models.Model):
    """Controlled vocabulary managed by admins (e.g. reading motivation, feedback)."""

    slug = models.SlugField(_("code"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name_nl"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self, "name")


class StudyQuerySet(models.QuerySet):
    def published(self):
        """Published studies, by the public-surface rule (``public.is_public``)."""
        from . import public

        return self.filter(public.is_public())

    def visible_to(self, user):
        """Studies a signed-in person may see on the staff pages, in any status:
        network admins see all; others the studies of teams they can see. Studies
        entered by hand (no team) are the admins' alone."""
        if not is_signed_in(user):
            return self.none()
        if is_network_admin(user):
            return self.all()
        from research_cycle.permissions import visible_team_filter, visible_team_values

        return self.filter(visible_team_filter(**visible_team_values(user), prefix="team__"))

    def awaiting_review_by(self, user):
        """Submitted studies this person may review: all of them for network admins,
        otherwise those of teams whose bridge-builder they are (as
        ``permissions.can_review_study``)."""
        submitted = self.filter(status=Study.Status.SUBMITTED)
        if not is_signed_in(user):
            return self.none()
        if is_network_admin(user):
            return submitted
        # As ``access.roles.is_bridge_builder_of_team``, over the person's scope.
        scope = scope_of(user)
        return submitted.filter(
            Q(team__in=scope.team_ids([Role.BRIDGE_BUILDER]))
            | in_years(
                scope.schools_by_year([Role.BRIDGE_BUILDER]),
                ids="team__school_id",
                year="team__school_year_id",
            )
        )


class Study(ChoiceLabels):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Language(models.TextChoices):
        DUTCH = "nl", _("Dutch")
        ENGLISH = "en", _("English")

    slug = models.SlugField(_("address"), max_length=120, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    language = models.CharField(
        _("language of the study"), max_length=2, choices=Language.choices, default="nl"
    )
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), max_length=3000)

    # Context. A study from a cycle links its team; one entered by hand may not.
    team = models.ForeignKey(
        "research_cycle.ResearchTeam",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="studies",
        verbose_name=_("research team"),
    )
    cycle = models.ForeignKey(
        "research_cycle.ResearchCycle",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="studies",
        verbose_name=_("research cycle"),
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="studies",
        verbose_name=_("school"),
    )
    school_year = models.ForeignKey(
        "partnership.SchoolYear",
        on_delete=models.PROTECT,
        related_name="studies",
        verbose_name=_("school year"),
    )
    school_level = models.CharField(_("school level"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)

    # The study, in the cycle's order.
    dilemma = models.TextField(_("dilemma"), blank=True)
    research_question = models.TextField(_("research question"), blank=True)
    inspiration = models.TextField(_("literature and inspiration"), blank=True)
    perspectives = models.JSONField(_("perspectives involved"), default=list, blank=True)
    methods = models.TextField(_("how data was collected"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    action_and_effect = models.TextField(_("action taken and its effect"), blank=True)
    lessons = models.TextField(_("lessons"), blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="studies", verbose_name=_("themes")
    )

    # Review.
    privacy_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("privacy checklist confirmed by"),
    )
    privacy_confirmed_at = models.DateTimeField(
        _("privacy checklist confirmed at"), null=True, blank=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_note = models.TextField(_("why it was withdrawn"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = StudyQuerySet.as_manager()

    class Meta:
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published")
                | (models.Q(slug__isnull=False) & models.Q(published_at__isnull=False)),
                name="published_study_has_slug_and_date",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge_base:study_detail", kwargs={"slug": self.slug})

    def get_manage_url(self) -> str:
        return reverse("knowledge_base:study_manage", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        """Content, authors and files change only before review or when asked to."""
        return self.status in {self.Status.DRAFT, self.Status.CHANGES_REQUESTED}

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at is not None

    @property
    def school_level_display(self) -> str:
        return school_level_label(self.school_level)

    def get_perspectives_display(self) -> list[str]:
        from research_cycle.models import Perspective

        labels = dict(Perspective.choices)
        return [str(labels[p]) for p in self.perspectives if p in labels]


class SearchEntry(models.Model):
    """The library's search index (PostgreSQL only): one narrow row per *published*
    study with its stored, GIN-indexed search vector and the facet values (theme
    ids as an array, level, city, year, perspectives).

    Never written by Python: the triggers of migrations 0004_search_entry and
    0005_search_context (the vector also holds the theme names, city and school
    name, and follows their renames) keep it in step with ``Study``, its themes
    and school in the same transaction (so ``bulk_create``,
    ``update()``, the admin and raw SQL can never leave it stale), and a study that
    is not published has no row here at all. Searches and facet counts read this
    one table instead of the wide study rows and the theme join table
    (docs/library.md, docs/performance.md). On SQLite the table does not exist.
    """

    study = models.OneToOneField(
        Study,
        primary_key=True,
        on_delete=models.DO_NOTHING,  # the database trigger removes the row
        db_constraint=False,
        related_name="search_entry",
    )
    published_at = models.DateTimeField()
    school_level = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=100, blank=True)
    school_year_id = models.BigIntegerField(null=True)
    theme_ids = ArrayField(models.BigIntegerField(), default=list)
    perspectives = ArrayField(models.CharField(max_length=30), default=list)
    search_vector = SearchVectorField()

    class Meta:
        db_table = "knowledge_base_search_entry"
        default_permissions = ()

    def __str__(self):
        return f"search entry of study {self.study_id}"


class StudyAuthor(models.Model):
    """A person named as an author. Nobody is named without their consent."""

    class Consent(models.TextChoices):
        PENDING = "pending", _("Not answered yet")
        AGREED = "agreed", _("Agreed to be named")
        DECLINED = "declined", _("Declined")

    study = models.ForeignKey(
        Study, on_delete=models.CASCADE, related_name="authors", verbose_name=_("study")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="study_authorships",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name as published"), max_length=150)
    email = models.EmailField(_("email for the consent request"), blank=True)
    language = models.CharField(
        _("language of the consent request"),
        max_length=2,
        choices=settings.LANGUAGES,
        default="nl",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    consent = models.CharField(
        _("consent"), max_length=10, choices=Consent.choices, default=Consent.PENDING
    )
    consent_token = models.CharField(max_length=64, blank=True, editable=False)
    consented_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "user"],
                condition=models.Q(user__isnull=False),
                name="study_author_once",
            )
        ]

    def __str__(self):
        return self.name


def study_file_path(instance, filename: str) -> str:
    import uuid

    return f"private/studies/{instance.study_id}/{uuid.uuid4().hex}"


class StudyFile(models.Model):
    """A poster, report or other file of a study. Stored privately; downloadable
    by the public only while the study is published."""

    class Kind(models.TextChoices):
        POSTER = "poster", _("Poster")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    study = models.ForeignKey(
        Study, on_delete=models.CASCADE, related_name="files", verbose_name=_("study")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REPORT)
    file = models.FileField(_("file"), upload_to=study_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["kind", "pk"]

    def __str__(self):
        return self.original_name


class StudyEvent(models.Model):
    """The review trail: every transition with who, when and the comment."""

    study = models.ForeignKey(
        Study, on_delete=models.CASCADE, related_name="events", verbose_name=_("study")
    )
    from_status = models.CharField(max_length=20, choices=Study.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Study.Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class StudyReadCount(models.Model):
    """How often a published study's page was read and its files downloaded, one
    row per study and day (knowledge_base/reading.py). Nothing about the reader is
    stored: no cookie, no IP address, no account, no user agent."""

    study = models.ForeignKey(
        Study, on_delete=models.CASCADE, related_name="read_counts", verbose_name=_("study")
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("reading count")
        verbose_name_plural = _("reading counts")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["study", "day"], name="kb_read_count_one_per_day")
        ]

    def __str__(self):
        return f"{self.study_id} {self.day}: {self.views}/{self.downloads}"
