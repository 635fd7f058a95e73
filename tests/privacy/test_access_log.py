"""Downloads of private files and exports are recorded (who, what, when); the
network admin and the team's coach read the team's log; records go after their
retention period."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from privacy.models import AccessRecord
from privacy.retention import retention_run
from privacy.services import access_record
from research_cycle.models import Attachment

from .helpers import diary_entry

pytestmark = pytest.mark.django_db


def test_downloading_a_diary_attachment_is_recorded(client, network):
    diary_entry(network, network.people["coach"])
    attachment = Attachment.objects.get()
    client.force_login(network.people["school_leader"])
    response = client.get(reverse("research_cycle:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    record = AccessRecord.objects.get()
    assert record.user == network.people["school_leader"]
    assert record.what == "interview.txt" and record.team == network.team


def test_a_refused_download_is_not_recorded(client, network):
    diary_entry(network, network.people["coach"])
    attachment = Attachment.objects.get()
    client.force_login(network.people["outsider"])
    response = client.get(reverse("research_cycle:attachment_download", args=[attachment.pk]))
    assert response.status_code == 404
    assert not AccessRecord.objects.exists()


def test_the_coach_and_the_admin_read_the_team_log(client, network):
    diary_entry(network, network.people["coach"])
    attachment = Attachment.objects.get()
    client.force_login(network.people["school_leader"])
    client.get(reverse("research_cycle:attachment_download", args=[attachment.pk]))
    url = reverse("privacy:team_access_log", args=[network.team.pk])
    for persona in ["coach", "network_admin"]:
        client.force_login(network.people[persona])
        page = client.get(url)
        assert page.status_code == 200
        assert "Karim Benali" in page.content.decode()
        assert "interview.txt" in page.content.decode()
    client.force_login(network.people["research_teacher"])
    assert client.get(url).status_code == 403


def test_the_workspace_links_the_log_for_the_coach_only(client, network):
    url = reverse("research_cycle:team_workspace", args=[network.team.pk])
    log_url = reverse("privacy:team_access_log", args=[network.team.pk])
    client.force_login(network.people["coach"])
    assert log_url in client.get(url).content.decode()
    client.force_login(network.people["research_teacher"])
    assert log_url not in client.get(url).content.decode()


def test_another_teams_downloads_are_not_shown(client, network):
    access_record(
        user=network.people["outsider"],
        kind="attachment",
        what="andere-school.pdf",
        path="/x",
        team=network.other_team,
    )
    client.force_login(network.people["coach"])
    page = client.get(reverse("privacy:team_access_log", args=[network.team.pk]))
    assert "andere-school.pdf" not in page.content.decode()


def test_the_team_log_page_stays_within_its_query_budget(
    client, network, django_assert_max_num_queries
):
    AccessRecord.objects.bulk_create(
        AccessRecord(
            user=network.people["school_leader"],
            kind="attachment",
            what=f"f{i}.pdf",
            path="/",
            team=network.team,
        )
        for i in range(60)
    )
    client.force_login(network.people["coach"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("privacy:team_access_log", args=[network.team.pk]))
    assert response.content.decode().count("<tr>") == 51  # header + a page of 50


def test_records_are_kept_for_their_retention_period(network):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=400)):
        access_record(user=network.people["coach"], kind="attachment", what="oud.pdf", path="/")
    access_record(user=network.people["coach"], kind="attachment", what="nieuw.pdf", path="/")
    removed = retention_run()
    assert removed["access_log_records"] == 1
    assert list(AccessRecord.objects.values_list("what", flat=True)) == ["nieuw.pdf"]


def test_the_questionnaire_answers_export_is_recorded(client, network):
    from tests.questionnaires.pages import shown_questionnaire

    questionnaire = shown_questionnaire(network).questionnaire
    client.force_login(network.people["coach"])
    url = reverse("questionnaires:answers_export", args=[questionnaire.team_id, questionnaire.pk])
    client.post(url)
    record = AccessRecord.objects.get()
    assert record.kind == "questionnaire_answers" and record.team_id == questionnaire.team_id
