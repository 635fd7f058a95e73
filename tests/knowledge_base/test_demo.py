"""The demo data of the knowledge base."""

import datetime
import io

import pytest
from django.core.management import call_command

from knowledge_base.models import Study, StudyFile


@pytest.mark.django_db
def test_seed_demo_makes_the_knowledge_base(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent

    assert Study.objects.published().count() >= 20
    assert Study.objects.published().filter(language="en").count() >= 2
    assert Study.objects.filter(status=Study.Status.SUBMITTED).count() == 1
    withdrawn = Study.objects.get(status=Study.Status.WITHDRAWN)
    assert withdrawn.withdrawal_note and withdrawn.slug
    assert not Study.objects.published().filter(themes__isnull=True).exists()
    now = datetime.datetime.now(datetime.UTC)
    assert not Study.objects.published().filter(published_at__gt=now).exists()
    for study_file in StudyFile.objects.all():
        with study_file.file.open("rb") as handle:
            content = handle.read()
        assert content.startswith(b"%PDF-")
    english = StudyFile.objects.get(study__title="Choice boards in secondary science")
    with english.file.open("rb") as handle:
        assert b"Choice boards in secondary science" in handle.read()  # the PDF's title
    submitted = Study.objects.get(status=Study.Status.SUBMITTED)
    assert submitted.team is not None  # so the demo bridge-builder can review it
