"""Knowledge injections: a study, a session, a document or a link that someone
overseeing a research team sends it at the right moment, with a note. They appear
in the team's timeline (``research_cycle.selectors.workspace``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class KnowledgeInjection(models.Model):
    class Kind(models.TextChoices):
        STUDY = "study", _("A study from the knowledge base")
        SESSION = "session", _("A network session")
        DOCUMENT = "document", _("A document")
        LINK = "link", _("A link")

    team = models.ForeignKey(
        "research_cycle.ResearchTeam",
        on_delete=models.CASCADE,
        related_name="knowledge_injections",
        verbose_name=_("research team"),
    )
    #: The cycle and stage the team was in: the timeline shows it in that cycle.
    cycle = models.ForeignKey(
        "research_cycle.ResearchCycle",
        on_delete=models.CASCADE,
        related_name="knowledge_injections",
        verbose_name=_("research cycle"),
    )
    stage = models.ForeignKey(
        "research_cycle.CycleStage",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("stage"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sent_knowledge_injections",
        verbose_name=_("sent by"),
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    study = models.ForeignKey(
        "knowledge_base.Study",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("study"),
    )
    session = models.ForeignKey(
        "network_sessions.NetworkSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )
    #: A document is sent by its address (an article, a report): the platform does
    #: not keep third parties' files.
    url = models.URLField(_("address"), blank=True, max_length=500)
    title = models.CharField(_("title"), max_length=200, blank=True)
    note = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("knowledge injection")
        verbose_name_plural = _("knowledge injections")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["cycle", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="study") & Q(study__isnull=False))
                | (Q(kind="session") & Q(session__isnull=False))
                | (Q(kind__in=["document", "link"]) & ~Q(url="")),
                name="knowledge_injection_has_its_object",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.team}"
