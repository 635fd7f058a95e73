"""Permission matrix: every persona × every URL and method of the research cycle.

Outsiders (a coach of another school) get 404, anonymous visitors the login
redirect, people who may look but not do get 403.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from research_cycle import services
from research_cycle.models import Comment, LogEntry

pytestmark = pytest.mark.django_db

PERSONAS = [
    "coach",
    "research_teacher",
    "student_teacher",
    "bridge_builder",
    "school_leader",
    "process_facilitator",
    "network_admin",
    "outsider",
    "anonymous",
]
VIEWERS = {"coach", "research_teacher", "student_teacher", "bridge_builder", "school_leader",
           "process_facilitator", "network_admin"}  # fmt: skip
LOGGERS = {"coach", "research_teacher", "student_teacher", "bridge_builder"}
STUDY_EDITORS = {"coach", "research_teacher", "student_teacher"}
STAGE_MOVERS = {"coach"}
ENTRY_AUTHOR = {"coach"}


def expected(allowed: set[str], persona: str, ok: int) -> int:
    if persona == "anonymous":
        return 302
    if persona == "outsider":
        return 404
    return ok if persona in allowed else 403


@pytest.fixture
def world(network, cycle):
    coach = network.people["coach"]
    entry = services.log_entry_create(
        cycle=cycle,
        author=coach,
        stage=cycle.current_stage,
        occurred_on=timezone.localdate(),
        summary="Eerste overleg",
        files=[SimpleUploadedFile("notes.txt", b"notities")],
    )
    return {
        "team": network.team,
        "cycle": cycle,
        "entry": entry,
        "attachment": entry.attachments.get(),
        "item": cycle.current_stage.checklist_items.first(),
    }


def url(name, **kwargs):
    return reverse(f"research_cycle:{name}", kwargs=kwargs)


ENDPOINTS = {
    "workspace GET": ("get", lambda w: url("team_workspace", pk=w["team"].pk), None, VIEWERS, 200),
    "study history GET": (
        "get",
        lambda w: url("study_field_history", pk=w["team"].pk, field="dilemma"),
        None,
        VIEWERS,
        200,
    ),
    "attachment GET": (
        "get",
        lambda w: url("attachment_download", pk=w["attachment"].pk),
        None,
        VIEWERS,
        200,
    ),
    "comment POST": (
        "post",
        lambda w: url("comment_create", entry_pk=w["entry"].pk),
        {"body": "Mooi!"},
        VIEWERS,
        302,
    ),
    "new entry GET": ("get", lambda w: url("entry_create", pk=w["team"].pk), None, LOGGERS, 200),
    "new entry POST": (
        "post",
        lambda w: url("entry_create", pk=w["team"].pk),
        lambda w: {
            "occurred_on": timezone.localdate().isoformat(),
            "stage": w["cycle"].current_stage_id,
            "summary": "Gedaan",
        },
        LOGGERS,
        302,
    ),
    "edit own entry GET": (
        "get",
        lambda w: url("entry_edit", entry_pk=w["entry"].pk),
        None,
        ENTRY_AUTHOR,
        200,
    ),
    "edit own entry POST": (
        "post",
        lambda w: url("entry_edit", entry_pk=w["entry"].pk),
        lambda w: {
            "occurred_on": timezone.localdate().isoformat(),
            "stage": w["cycle"].current_stage_id,
            "summary": "Aangepast",
        },
        ENTRY_AUTHOR,
        302,
    ),
    "delete own entry GET": (
        "get",
        lambda w: url("entry_delete", entry_pk=w["entry"].pk),
        None,
        ENTRY_AUTHOR,
        200,
    ),
    "delete own entry POST": (
        "post",
        lambda w: url("entry_delete", entry_pk=w["entry"].pk),
        {},
        ENTRY_AUTHOR,
        302,
    ),
    "study field GET": (
        "get",
        lambda w: url("study_field_edit", pk=w["team"].pk, field="dilemma"),
        None,
        STUDY_EDITORS,
        200,
    ),
    "study field POST": (
        "post",
        lambda w: url("study_field_edit", pk=w["team"].pk, field="dilemma"),
        {"value": "Ons dilemma", "version": 0},
        STUDY_EDITORS,
        302,
    ),
    "stage page GET": (
        "get",
        lambda w: url("stage_move", pk=w["team"].pk),
        None,
        STAGE_MOVERS,
        200,
    ),
    "advance POST": (
        "post",
        lambda w: url("stage_move", pk=w["team"].pk),
        {"advance": "1", "advance-reason": "Klaar"},
        STAGE_MOVERS,
        302,
    ),
    "checklist POST": (
        "post",
        lambda w: url("checklist_toggle", pk=w["team"].pk, item_pk=w["item"].pk),
        {"checked": "1"},
        STAGE_MOVERS,
        302,
    ),
    "start cycle POST": (
        "post",
        lambda w: url("cycle_start", pk=w["team"].pk),
        {},
        STAGE_MOVERS,
        302,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_permission_matrix(client, network, world, endpoint, persona):
    method, make_url, data, allowed, ok = ENDPOINTS[endpoint]
    if persona != "anonymous":
        client.force_login(network.people[persona])
    payload = data(world) if callable(data) else data
    response = getattr(client, method)(make_url(world), payload or {})
    assert response.status_code == expected(allowed, persona, ok), (endpoint, persona)
    if response.status_code == 302 and persona == "anonymous":
        assert response.url.startswith(reverse("account_login"))


def test_forbidden_writes_change_nothing(client, network, world):
    client.force_login(network.people["school_leader"])
    client.post(url("entry_delete", entry_pk=world["entry"].pk))
    client.post(
        url("study_field_edit", pk=world["team"].pk, field="dilemma"),
        {"value": "Niet van mij", "version": 0},
    )
    assert LogEntry.objects.filter(pk=world["entry"].pk).exists()
    world["cycle"].refresh_from_db()
    assert world["cycle"].dilemma == ""


def test_an_outsider_cannot_comment_or_download_through_a_forged_id(client, network, world):
    client.force_login(network.people["outsider"])
    assert (
        client.post(url("comment_create", entry_pk=world["entry"].pk), {"body": "x"}).status_code
        == 404
    )
    assert not Comment.objects.exists()
    assert client.get(url("attachment_download", pk=world["attachment"].pk)).status_code == 404


def test_a_bridge_builder_of_another_year_sees_nothing(client, network, world):
    from tests.factories import RoleMembershipFactory, SchoolYearFactory, UserFactory

    old_bridge_builder = UserFactory()
    RoleMembershipFactory(
        user=old_bridge_builder,
        role="bridge_builder",
        school=network.school,
        institution=network.institution,
        school_year=SchoolYearFactory(name="2019-2020"),
    )
    client.force_login(old_bridge_builder)
    assert client.get(url("team_workspace", pk=world["team"].pk)).status_code == 404
