"""Retention periods: the nightly run removes what has been kept long enough,
tells the coach a month before a team's files go (once), and reports it."""

import datetime

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse

from network_sessions.models import Delivery
from network_sessions.services import session_create
from privacy.models import DataExport, ErasureRequest, RetentionPeriod, RetentionRun
from privacy.retention import retention_run
from privacy.tasks import apply_retention
from questionnaires.models import Answer
from research_cycle.models import Attachment, LogEntry
from tests import factories

from .helpers import diary_entry, open_cycle

pytestmark = pytest.mark.django_db

COMPLETED = datetime.datetime(2026, 6, 30, 12, tzinfo=datetime.UTC)


@pytest.fixture
def completed_cycle(network):
    diary_entry(network, network.people["research_teacher"])
    cycle = open_cycle(network)
    cycle.completed_at = COMPLETED
    cycle.save(update_fields=["completed_at"])
    return cycle


def test_diary_files_go_24_months_after_the_cycle_with_one_notice_before(
    network, completed_cycle, mailoutbox, django_capture_on_commit_callbacks
):
    name = Attachment.objects.get().file.name
    with time_machine.travel(datetime.datetime(2028, 5, 1, 4, tzinfo=datetime.UTC)):
        assert retention_run()["diary_attachments"] == 0
    assert mailoutbox == []
    with time_machine.travel(datetime.datetime(2028, 6, 2, 4, tzinfo=datetime.UTC)):
        retention_run()
        apply_retention.delay()  # beat again the next night: no second notice
    assert [m.to for m in mailoutbox] == [["coach@school.test"]]
    assert "30 juni 2028" in mailoutbox[0].body or "30 June 2028" in mailoutbox[0].body
    assert Attachment.objects.exists()
    with (
        time_machine.travel(datetime.datetime(2028, 7, 1, 4, tzinfo=datetime.UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        removed = retention_run()
    assert removed["diary_attachments"] == 1
    assert not Attachment.objects.exists() and not default_storage.exists(name)
    assert LogEntry.objects.exists(), "the diary itself stays"
    assert RetentionRun.objects.first().removed["diary_attachments"] == 1


def test_a_period_changed_in_the_admin_applies(client, network, completed_cycle):
    client.force_login(network.people["network_admin"])
    period = RetentionPeriod.objects.get(kind="diary_attachments")
    response = client.post(
        reverse("admin:privacy_retentionperiod_change", args=[period.pk]),
        {"kind": "diary_attachments", "amount": "6"},
    )
    assert response.status_code == 302
    with time_machine.travel(datetime.datetime(2027, 1, 1, 4, tzinfo=datetime.UTC)):
        assert retention_run()["diary_attachments"] == 1


def test_a_zero_period_is_refused_in_the_admin(client, network):
    client.force_login(network.people["network_admin"])
    period = RetentionPeriod.objects.get(kind="mail_outbox")
    response = client.post(
        reverse("admin:privacy_retentionperiod_change", args=[period.pk]),
        {"kind": "mail_outbox", "amount": "0"},
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    period.refresh_from_db()
    assert period.amount == 90


def test_questionnaire_answers_go_by_the_same_run(network):
    from tests.questionnaires.pages import shown_questionnaire

    open_cycle(network)
    round_ = shown_questionnaire(network)
    cycle = round_.questionnaire.cycle
    cycle.completed_at = COMPLETED
    cycle.save(update_fields=["completed_at"])
    assert Answer.objects.exists()
    with time_machine.travel(datetime.datetime(2027, 7, 1, 4, tzinfo=datetime.UTC)):
        removed = retention_run()
    assert removed["questionnaire_responses"] > 0
    assert not Answer.objects.exists()


def test_deactivated_accounts_are_erased_two_years_after_their_last_role(network):
    old_year = factories.SchoolYearFactory(
        name="2019-2020", starts_on=datetime.date(2019, 9, 1), ends_on=datetime.date(2020, 8, 31)
    )
    gone = factories.UserFactory(full_name="Oud Collega", is_active=False)
    factories.RoleMembershipFactory(
        user=gone, role="teacher", school=network.school, school_year=old_year
    )
    recent = factories.UserFactory(full_name="Recent Weg", is_active=False)
    factories.RoleMembershipFactory(
        user=recent, role="teacher", school=network.school, school_year=network.school_year
    )
    active = factories.UserFactory(full_name="Nog Actief")
    factories.RoleMembershipFactory(
        user=active, role="teacher", school=network.school, school_year=old_year
    )
    assert retention_run()["deactivated_accounts"] == 1
    gone.refresh_from_db()
    assert gone.full_name == "" and ErasureRequest.objects.get(user=gone).state == "erased"
    recent.refresh_from_db()
    active.refresh_from_db()
    assert recent.full_name == "Recent Weg" and active.full_name == "Nog Actief"
    assert retention_run()["deactivated_accounts"] == 0, "erased once"


def test_mail_outbox_rows_go_90_days_after_sending(network):
    start = datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC)
    session = session_create(
        organiser=network.people["bridge_builder"],
        kind="learning_network",
        title="Lerend netwerk",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        audience_people=[network.people["coach"]],
    )
    old = Delivery.objects.create(
        session=session,
        recipient=network.people["coach"],
        kind="update",
        starts_at=start,
        sent_at=start - datetime.timedelta(days=100),
    )
    recent = Delivery.objects.create(
        session=session,
        recipient=network.people["mentor"],
        kind="update",
        starts_at=start,
        sent_at=start - datetime.timedelta(days=10),
    )
    unsent = Delivery.objects.create(
        session=session, recipient=network.people["school_leader"], kind="update", starts_at=start
    )
    with time_machine.travel(start):
        assert retention_run()["mail_outbox_rows"] == 1
    assert set(Delivery.objects.values_list("pk", flat=True)) == {recent.pk, unsent.pk}
    assert old.pk not in Delivery.objects.values_list("pk", flat=True)


def test_expired_exports_are_deleted_with_their_file(network, django_capture_on_commit_callbacks):
    from privacy.services import export_request

    with django_capture_on_commit_callbacks(execute=True):
        export_request(user=network.people["coach"])
    export = DataExport.objects.get()
    with (
        time_machine.travel(export.expires_at + datetime.timedelta(hours=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert retention_run()["expired_exports"] == 1
    assert not default_storage.exists(export.file.name)
