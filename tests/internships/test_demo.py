"""The demo shows internships in use: the demo student teacher's running placement
has a log with confirmed and unconfirmed hours and a complete mid-term evaluation;
the mentor has training on record. Seeding twice changes nothing."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import User
from internships.models import Evaluation, LogEntry, MentorTraining, Rubric
from placements.models import Placement

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", "--force", stdout=StringIO())


def counts():
    return [m.objects.count() for m in (Rubric, LogEntry, Evaluation, MentorTraining)]


def test_the_demo_internship(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    placement = Placement.objects.get(
        student__email="student-teacher@demo.test", state=Placement.State.RUNNING
    )
    entries = list(placement.log_entries.all())
    assert len(entries) >= 5
    assert any(e.is_confirmed for e in entries) and any(not e.is_confirmed for e in entries)
    mid_term = placement.evaluations.filter(moment="mid_term", submitted_at__isnull=False)
    assert sorted(mid_term.values_list("evaluator_role", flat=True)) == [
        "bridge_builder",
        "mentor",
    ]
    assert MentorTraining.objects.filter(mentor__email="mentor@demo.test").count() == 2
    # The student was told the mid-term evaluation is ready.
    assert [m.to for m in mail.outbox if "tussentijdse evaluatie" in m.subject] == [
        ["student-teacher@demo.test"]
    ]

    before = counts()
    seed()
    assert counts() == before

    client.force_login(User.objects.get(email="student-teacher@demo.test"))
    html = client.get(f"/internships/{placement.pk}/").content.decode()
    assert "Tussentijdse evaluatie" in html and "Klasklimaat" in html
