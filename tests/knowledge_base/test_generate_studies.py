"""`manage.py generate_studies` fills the library with realistic Dutch studies."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from knowledge_base.models import SearchEntry, Study

pytestmark = pytest.mark.django_db


def test_generate_studies_creates_published_and_unpublished_studies(client, capsys):
    call_command("generate_studies", "--count", "60", "--batch-size", "25", "--seed", "3")
    assert Study.objects.count() == 60
    published = Study.objects.published()
    assert 0 < published.count() < 60  # a share stays unpublished
    assert "Created 60 studies" in capsys.readouterr().out
    study = published.prefetch_related("themes").first()
    assert study.themes.exists() and study.perspectives and study.summary
    response = client.get(reverse("knowledge_base:study_list"))
    assert response.context["result"].total == published.count()
    if connection.vendor == "postgresql":
        # bulk_create bypasses save(); the triggers still indexed every published
        # study (vector, themes, perspectives) and nothing else.
        entries = {e.study_id: e for e in SearchEntry.objects.all()}
        assert set(entries) == set(published.values_list("pk", flat=True))
        for study in published.prefetch_related("themes"):
            entry = entries[study.pk]
            assert sorted(entry.theme_ids) == sorted(t.pk for t in study.themes.all())
            assert entry.perspectives == study.perspectives
            assert entry.search_vector
