"""Vacancies that partner schools post for student teachers, starting teachers and
career changers (the vacancy board, ``/vacancies/``).

A vacancy is open from the moment it is posted until its closing date has passed
or the school withdraws it. Nothing runs to close it: every list, page and feed
asks ``open_on(today)`` when it is read, so an expired vacancy disappears by itself.
Only the school (its school leader) and network admins still see it, to post it
again.
"""

import datetime
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import School

#: Lesson periods (or hours) of a full-time job: 24 in primary, 22 in secondary
#: education; larger numbers are allowed for jobs counted in clock hours.
MAX_FULL_TIME_HOURS = 40


class VacancyQuerySet(models.QuerySet["Vacancy"]):
    def open_on(self, day: datetime.date | None = None) -> Self:
        """Not withdrawn and not past the closing date (the closing day itself counts)."""
        return self.filter(withdrawn_at__isnull=True, closes_on__gte=day or timezone.localdate())

    def public(self) -> Self:
        """What anyone on the internet may see: open vacancies the school made public."""
        return self.open_on().filter(is_public=True)

    def visible_to(self, user) -> "VacancyQuerySet":
        """The one rule of who sees which vacancy; see ``permissions.py``."""
        from .permissions import visible_vacancies

        return visible_vacancies(self, user)


class Vacancy(models.Model):
    """A job at a partner school (vacature)."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="vacancies", verbose_name=_("school")
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("For example: class teacher, third year.")
    )
    level = models.CharField(_("level"), max_length=20, choices=School.Level.choices)
    subject = models.CharField(
        _("subject"), max_length=100, help_text=_("The subject or the class, e.g. Mathematics.")
    )
    hours = models.PositiveSmallIntegerField(
        _("hours"), help_text=_("Lesson periods (or hours) a week, e.g. 12 of 24.")
    )
    full_time_hours = models.PositiveSmallIntegerField(
        _("of a full-time job of"),
        default=24,
        help_text=_("24 in primary and 22 in secondary education."),
    )
    starts_on = models.DateField(_("starts on"))
    closes_on = models.DateField(_("apply before"), help_text=_("The last day to apply."))
    description = models.TextField(_("description"), max_length=5000)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Also show this vacancy, with its contact, to visitors who are not logged in "
            "and in the public feed."
        ),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["closes_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=1) & Q(hours__lte=models.F("full_time_hours")),
                name="vacancy_hours_within_full_time",
                violation_error_message=_("The hours must be between 1 and a full-time job."),
            ),
            models.CheckConstraint(
                condition=Q(full_time_hours__gte=1) & Q(full_time_hours__lte=MAX_FULL_TIME_HOURS),
                name="vacancy_full_time_hours_in_range",
                violation_error_message=_("A full-time job has between 1 and 40 hours."),
            ),
        ]
        indexes = [models.Index(fields=["closes_on", "is_public"])]

    def __str__(self):
        return f"{self.title} – {self.school}"

    def get_absolute_url(self) -> str:
        return reverse("vacancies:detail", args=[self.pk])

    @property
    def phone_link(self) -> str:
        """The phone number as a ``tel:`` address: digits and a leading plus only."""
        number = self.contact_phone.strip()
        digits = "".join(c for c in number if c.isdigit())
        return f"tel:{'+' if number.startswith('+') else ''}{digits}"

    @property
    def is_open(self) -> bool:
        return self.withdrawn_at is None and self.closes_on >= timezone.localdate()

    @property
    def is_expired(self) -> bool:
        return self.closes_on < timezone.localdate()
