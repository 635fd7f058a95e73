"""The research cycle's rules: transitions, history, study fields, the diary."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from research_cycle import services
from research_cycle.models import (
    Attachment,
    CycleStage,
    LogEntry,
    ResearchCycle,
    StageTransition,
    StudyFieldRevision,
)

pytestmark = pytest.mark.django_db


def _tick_all(cycle, user):
    for item in cycle.current_stage.checklist_items.all():
        services.checklist_set(cycle=cycle, item=item, checked=True, user=user)


def test_a_new_cycle_starts_at_the_dilemma_and_is_recorded(network, cycle):
    assert cycle.current_stage.code == "dilemma"
    assert network.team.current_cycle == cycle
    start = cycle.transitions.get()
    assert (start.kind, start.to_stage.code, start.user) == (
        "start",
        "dilemma",
        network.people["coach"],
    )


def test_advancing_with_everything_ticked_needs_no_reason(network, cycle):
    coach = network.people["coach"]
    _tick_all(cycle, coach)
    cycle = services.cycle_advance_stage(cycle=cycle, user=coach)
    assert cycle.current_stage.code == "beliefs"
    transition = cycle.transitions.filter(kind="advance").get()
    assert (transition.from_stage.code, transition.to_stage.code) == ("dilemma", "beliefs")


def test_advancing_with_unchecked_items_asks_for_a_reason(network, cycle):
    coach = network.people["coach"]
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_advance_stage(cycle=cycle, user=coach, reason="  ")
    assert "reason" in excinfo.value.message_dict
    cycle.refresh_from_db()
    assert cycle.current_stage.code == "dilemma"
    assert not cycle.transitions.filter(kind="advance").exists()

    services.cycle_advance_stage(cycle=cycle, user=coach, reason="Besproken op het teamoverleg")
    transition = cycle.transitions.get(kind="advance")
    assert transition.reason == "Besproken op het teamoverleg"


def test_stepping_back_is_allowed_and_recorded(network, cycle):
    coach = network.people["coach"]
    for _ in range(3):
        cycle = services.cycle_advance_stage(cycle=cycle, user=coach, reason="verder")
    assert cycle.current_stage.code == "inspiration"
    beliefs = CycleStage.objects.get(code="beliefs")
    cycle = services.cycle_step_back(
        cycle=cycle, user=coach, to_stage=beliefs, reason="Nieuwe inzichten"
    )
    assert cycle.current_stage == beliefs
    back = cycle.transitions.get(kind="back")
    assert (back.from_stage.code, back.to_stage.code, back.reason) == (
        "inspiration",
        "beliefs",
        "Nieuwe inzichten",
    )
    with pytest.raises(ValidationError):
        services.cycle_step_back(
            cycle=cycle, user=coach, to_stage=CycleStage.objects.get(code="analysis")
        )


def test_the_last_stage_completes_the_cycle_and_a_second_cycle_can_start(network, cycle):
    coach = network.people["coach"]
    for _ in range(8):
        cycle = services.cycle_advance_stage(cycle=cycle, user=coach, reason="ok")
    assert cycle.is_completed
    assert cycle.transitions.filter(kind="complete").count() == 1
    assert cycle.transitions.count() == 1 + 7 + 1
    with pytest.raises(ValidationError):
        services.cycle_advance_stage(cycle=cycle, user=coach, reason="ok")
    second = services.cycle_start(team=network.team, user=coach)
    assert second.number == 2
    assert second.current_stage.code == "dilemma"
    network.team.refresh_from_db()
    assert network.team.current_cycle == second


def test_a_second_cycle_cannot_start_while_one_is_open(network, cycle):
    with pytest.raises(ValidationError):
        services.cycle_start(team=network.team, user=network.people["coach"])
    assert ResearchCycle.objects.filter(team=network.team).count() == 1


def test_checklist_items_of_another_stage_are_refused(network, cycle):
    other_item = CycleStage.objects.get(code="analysis").checklist_items.first()
    with pytest.raises(ValidationError):
        services.checklist_set(
            cycle=cycle, item=other_item, checked=True, user=network.people["coach"]
        )


def test_study_fields_keep_a_history(network, cycle):
    teacher = network.people["research_teacher"]
    cycle = services.study_field_update(
        cycle=cycle,
        field="research_question",
        value="Eerste versie?",
        expected_version=0,
        user=teacher,
    )
    cycle = services.study_field_update(
        cycle=cycle,
        field="research_question",
        value="Tweede versie?",
        expected_version=1,
        user=network.people["coach"],
    )
    assert cycle.research_question == "Tweede versie?"
    history = list(StudyFieldRevision.objects.filter(cycle=cycle, field="research_question"))
    assert [(r.version, r.value, r.author) for r in history] == [
        (2, "Tweede versie?", network.people["coach"]),
        (1, "Eerste versie?", teacher),
    ]


def test_a_stale_edit_is_refused_and_the_first_save_is_kept(network, cycle):
    services.study_field_update(
        cycle=cycle,
        field="findings",
        value="Lotte's text",
        expected_version=0,
        user=network.people["research_teacher"],
    )
    with pytest.raises(services.StaleEdit) as excinfo:
        services.study_field_update(
            cycle=cycle,
            field="findings",
            value="Milan's text",
            expected_version=0,
            user=network.people["student_teacher"],
        )
    assert "iemand anders" in str(excinfo.value).lower()
    cycle.refresh_from_db()
    assert cycle.findings == "Lotte's text"


def test_over_long_study_text_is_refused(network, cycle):
    with pytest.raises(ValidationError) as excinfo:
        services.study_field_update(
            cycle=cycle,
            field="lessons",
            value="x" * 10_001,
            expected_version=0,
            user=network.people["coach"],
        )
    assert "10000" in str(excinfo.value)
    cycle.refresh_from_db()
    assert cycle.lessons == ""


def test_a_log_entry_needs_text_a_reached_stage_and_no_future_date(network, cycle):
    coach = network.people["coach"]
    with pytest.raises(ValidationError) as excinfo:
        services.log_entry_create(
            cycle=cycle,
            author=coach,
            stage=CycleStage.objects.get(code="analysis"),
            occurred_on=timezone.localdate() + datetime.timedelta(days=10),
            summary="   ",
        )
    assert set(excinfo.value.message_dict) == {"summary", "stage", "occurred_on"}
    assert not LogEntry.objects.exists()


def test_a_log_entry_with_an_attachment(network, cycle):
    upload = SimpleUploadedFile("enquête resultaten.csv", b"klas;score\n5A;4\n", "text/csv")
    entry = services.log_entry_create(
        cycle=cycle,
        author=network.people["student_teacher"],
        stage=cycle.current_stage,
        occurred_on=timezone.localdate(),
        summary="Enquête afgenomen",
        perspectives=["parents", "pupils"],
        files=[upload],
    )
    attachment = entry.attachments.get()
    assert attachment.original_name == "enquête resultaten.csv"
    assert attachment.content_type == "text/csv"
    assert "enquête" not in attachment.file.name  # stored under a random name
    assert entry.perspectives == ["pupils", "parents"]  # in the network's order


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", "geen toegestaan bestandstype"),
        ("foto.png", b"GIF89a not a png", "komt niet overeen"),
        ("notities.txt", b"\x00\x01binary", "geen tekstbestand"),
    ],
)
def test_unsafe_attachments_are_refused_with_a_reason_and_nothing_is_saved(
    network, cycle, name, content, message
):
    with pytest.raises(ValidationError) as excinfo:
        services.log_entry_create(
            cycle=cycle,
            author=network.people["coach"],
            stage=cycle.current_stage,
            occurred_on=timezone.localdate(),
            summary="Met bijlage",
            files=[SimpleUploadedFile(name, content)],
        )
    assert message in str(excinfo.value)
    assert not LogEntry.objects.exists()
    assert not Attachment.objects.exists()


def test_a_60_mb_video_is_refused_saying_the_limit(network, cycle):
    video = SimpleUploadedFile("les.mp4", b"\x00" * 16, "video/mp4")
    video.size = 60 * 1024 * 1024
    with pytest.raises(ValidationError) as excinfo:
        services.log_entry_create(
            cycle=cycle,
            author=network.people["coach"],
            stage=cycle.current_stage,
            occurred_on=timezone.localdate(),
            summary="Video",
            files=[video],
        )
    text = " ".join(excinfo.value.messages).replace("\u00a0", " ")
    assert "60,0 MB" in text and "20,0 MB" in text


def test_deleting_an_entry_removes_its_files(network, cycle, django_capture_on_commit_callbacks):
    entry = services.log_entry_create(
        cycle=cycle,
        author=network.people["coach"],
        stage=cycle.current_stage,
        occurred_on=timezone.localdate(),
        summary="x",
        files=[SimpleUploadedFile("a.txt", b"hallo")],
    )
    storage_name = entry.attachments.get().file.name
    storage = entry.attachments.get().file.storage
    with django_capture_on_commit_callbacks(execute=True):
        services.log_entry_delete(entry=entry)
    assert not storage.exists(storage_name)


def test_transitions_are_kept_in_order(network, cycle):
    coach = network.people["coach"]
    services.cycle_advance_stage(cycle=cycle, user=coach, reason="a")
    services.cycle_advance_stage(cycle=cycle, user=coach, reason="b")
    kinds = list(
        StageTransition.objects.filter(cycle=cycle).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == ["start", "advance", "advance"]


def test_a_file_one_byte_over_the_limit_says_by_how_much(network, cycle):
    from django.utils import translation

    from research_cycle.uploads import MAX_ATTACHMENT_SIZE, validate_attachment

    upload = SimpleUploadedFile("enquete.csv", b"a" * (MAX_ATTACHMENT_SIZE + 1), "text/csv")
    with translation.override("nl"), pytest.raises(ValidationError) as excinfo:
        validate_attachment(upload)
    [message] = excinfo.value.messages
    assert "20.971.521 bytes" in message and "20.971.520 bytes" in message
