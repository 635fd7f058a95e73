"""A Leerbrug study as a Wagtail page: the fields Leerbrug's search reads, declared
as Wagtail search fields (title boosted, as Wagtail's ``Page`` does)."""

from django.db import models
from wagtail.models import Page
from wagtail.search import index


class StudyPage(Page):
    summary = models.TextField()
    research_question = models.TextField(blank=True)
    findings = models.TextField(blank=True)
    lessons = models.TextField(blank=True)
    themes = models.TextField(blank=True)
    city = models.CharField(max_length=100, blank=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("research_question"),
        index.SearchField("findings"),
        index.SearchField("lessons"),
        index.SearchField("themes"),
        index.SearchField("city"),
    ]
