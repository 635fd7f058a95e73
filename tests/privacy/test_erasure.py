"""Erasure: refused with the reason for the last admin and a running team's only
coach; otherwise the person is gone from every surface, their team history reads
"Teamlid N" (stable within a team), and a crash mid-way leaves nothing half done."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from knowledge_base.models import StudyAuthor
from network_sessions.models import Delivery
from network_sessions.services import session_create
from privacy import services
from privacy.models import DataExport, ErasureRequest, TeamPseudonym
from privacy.retention import privacy_scan
from research_cycle.models import Comment, LogEntry, TeamMembership
from tests import factories
from tests.knowledge_base.conftest import make_study
from tests.knowledge_base.test_public_rule import AUTHOR_SURFACES, STUDY_SURFACES

from .helpers import diary_entry

pytestmark = pytest.mark.django_db

NAME = "Sara Peeters"


@pytest.fixture
def second_coach(network):
    """Another coach, so the team's coach may be erased."""
    person = factories.UserFactory(email="coach2@school.test", full_name="Nora Coach")
    factories.TeamMembershipFactory(team=network.team, user=person, role="coach")
    return person


def _erase(person) -> ErasureRequest:
    request = services.erasure_request(user=person)
    return services.erasure_confirm(request=request, by=None)


def test_the_last_admin_is_refused_with_the_reason(network):
    admin = network.people["network_admin"]
    with translation.override("en"):
        done = _erase(admin)
    assert done.state == ErasureRequest.State.REQUESTED
    assert "last network admin" in done.refusal
    admin.refresh_from_db()
    assert admin.full_name == "Beheer Der" and admin.is_active


def test_the_only_coach_of_a_running_team_is_refused_until_another_coach_is_set(
    network,
):
    coach = network.people["coach"]
    with translation.override("en"):
        done = _erase(coach)
    assert done.state == ErasureRequest.State.REQUESTED
    assert "Leesmotivatie" in done.refusal and "another coach" in done.refusal
    person = factories.UserFactory(full_name="Nieuwe Coach")
    factories.TeamMembershipFactory(team=network.team, user=person, role="coach")
    done = services.erasure_confirm(request=done, by=None)
    assert done.state == ErasureRequest.State.ERASED and done.refusal == ""


def test_the_person_sees_why_their_erasure_waits(client, network):
    coach = network.people["coach"]
    _erase(coach)
    client.force_login(coach)
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert "Leesmotivatie" in page


def test_the_account_keeps_nothing_personal(client, network, second_coach):
    coach = network.people["coach"]
    _erase(coach)
    coach.refresh_from_db()
    assert coach.full_name == "" and coach.email.endswith("@erased.invalid")
    assert not coach.is_active and not coach.has_usable_password()
    assert not client.login(email="coach@school.test", password="x")


def test_team_history_reads_a_pseudonym_stable_within_the_team(client, network, second_coach):
    coach, teacher = network.people["coach"], network.people["research_teacher"]
    coach_entry = diary_entry(network, coach, summary="Eerste interview")
    teacher_entry = diary_entry(network, teacher, summary="Tweede interview")
    _erase(coach)
    _erase(teacher)
    # Pseudonyms per team, numbered in the order people were erased.
    labels = dict(
        TeamPseudonym.objects.filter(team=network.team).values_list("erasure__user", "number")
    )
    assert labels == {coach.pk: 1, teacher.pk: 2}
    coach_entry.refresh_from_db()
    teacher_entry.refresh_from_db()
    assert coach_entry.author.full_name == "Teamlid 1"
    assert Comment.objects.get(log_entry=coach_entry).author == coach_entry.author  # same stand-in
    assert teacher_entry.author.full_name == "Teamlid 2"
    assert TeamMembership.objects.filter(team=network.team, user=coach_entry.author).exists()
    # The shared work stays readable to the team.
    client.force_login(second_coach)
    page = client.get(reverse("research_cycle:team_workspace", args=[network.team.pk]))
    text = page.content.decode()
    assert "Eerste interview" in text and "Teamlid 1" in text and "Teamlid 2" in text
    assert NAME not in text and "Lotte Janssens" not in text


def test_in_another_team_the_person_has_another_stand_in(network, second_coach):
    teacher = network.people["research_teacher"]
    diary_entry(network, teacher)
    factories.TeamMembershipFactory(team=network.other_team, user=teacher, role="research_teacher")
    _erase(teacher)
    stand_ins = TeamPseudonym.objects.filter(erasure__user=teacher)
    assert stand_ins.count() == 2
    assert len({p.stand_in_id for p in stand_ins}) == 2
    assert not TeamMembership.objects.filter(user=teacher).exists()


@pytest.fixture
def published_study(network):
    study = make_study(
        school=network.school,
        school_year=network.school_year,
        title="Zandkastelen bouwen",
        slug="zandkastelen-bouwen-2026",
    )
    StudyAuthor.objects.create(
        study=study, user=network.people["coach"], name=NAME, consent=StudyAuthor.Consent.AGREED
    )
    StudyAuthor.objects.create(study=study, name="Anna Akkoord", consent=StudyAuthor.Consent.AGREED)
    return study


@pytest.mark.parametrize("surface", AUTHOR_SURFACES)
def test_a_published_study_no_longer_names_them(
    client, network, second_coach, published_study, surface
):
    before = STUDY_SURFACES[surface](client, published_study)
    assert NAME.split()[1] in before.content.decode()  # cached pages and search warmed up too
    _erase(network.people["coach"])
    after = STUDY_SURFACES[surface](client, published_study)
    text = after.content.decode()
    assert after.status_code == 200, "the study stays"
    assert "Peeters" not in text
    assert "Akkoord" in text  # the other author is still named


@pytest.mark.parametrize(
    "surface", ["library search", "library search with words", "Atom feed", "API list"]
)
def test_search_feed_and_caches_hold_nothing_of_them(
    client, network, second_coach, published_study, surface
):
    STUDY_SURFACES[surface](client, published_study)  # fills the search caches
    _erase(network.people["coach"])
    assert "Peeters" not in STUDY_SURFACES[surface](client, published_study).content.decode()
    response = client.get(reverse("knowledge_base:study_list"), {"q": "Peeters"})
    assert "Zandkastelen" not in response.content.decode()


def test_they_are_no_longer_an_author_of_an_unpublished_study(network, second_coach):
    draft = make_study(school=network.school, school_year=network.school_year, status="draft")
    StudyAuthor.objects.create(study=draft, user=network.people["coach"], name=NAME)
    _erase(network.people["coach"])
    assert not draft.authors.exists()
    assert draft.__class__.objects.filter(pk=draft.pk).exists()


def test_no_mail_to_them_stays_queued(network, second_coach):
    coach = network.people["coach"]
    start = timezone.now() + datetime.timedelta(days=3)
    session = session_create(
        organiser=network.people["bridge_builder"],
        kind="learning_network",
        title="Lerend netwerk",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        audience_people=[coach],
    )
    Delivery.objects.create(session=session, recipient=coach, kind="update", starts_at=start)
    _erase(coach)
    assert not Delivery.objects.filter(recipient=coach).exists()
    mail.outbox.clear()
    privacy_scan()
    assert all("coach@school.test" not in m.to for m in mail.outbox)


def test_a_crash_mid_way_leaves_nothing_half_done_and_a_rerun_finishes(
    network, second_coach, monkeypatch
):
    coach = network.people["coach"]
    entry = diary_entry(network, coach)
    request = services.erasure_request(user=coach)

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(services, "_mail_models", crash)  # after the team history moved
    with pytest.raises(RuntimeError):
        services.erasure_confirm(request=request, by=None)
    request.refresh_from_db()
    coach.refresh_from_db()
    entry.refresh_from_db()
    assert request.state == ErasureRequest.State.CONFIRMED
    assert coach.full_name == NAME and entry.author == coach
    assert not TeamPseudonym.objects.exists()
    monkeypatch.undo()
    privacy_scan()  # beat's next scan resumes it
    request.refresh_from_db()
    entry.refresh_from_db()
    assert request.state == ErasureRequest.State.ERASED
    assert entry.author.full_name == "Teamlid 1"


def test_erasing_twice_changes_nothing_more(network, second_coach):
    coach = network.people["coach"]
    diary_entry(network, coach)
    done = _erase(coach)
    first = list(LogEntry.objects.values_list("author", flat=True))
    again = services.erasure_perform(request_id=done.pk)
    assert again.state == ErasureRequest.State.ERASED
    assert list(LogEntry.objects.values_list("author", flat=True)) == first
    assert TeamPseudonym.objects.count() == 1


def test_their_export_files_go_after_the_commit(
    network, second_coach, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    coach = network.people["coach"]
    with django_capture_on_commit_callbacks(execute=True):
        services.export_request(user=coach)
    name = DataExport.objects.get(user=coach).file.name
    assert default_storage.exists(name)
    _erase(coach)
    assert not default_storage.exists(name)
    assert not DataExport.objects.filter(user=coach).exists()


def test_it_happens_by_itself_after_30_days_unless_held(network, second_coach):
    coach, teacher = network.people["coach"], network.people["research_teacher"]
    waiting = services.erasure_request(user=coach)
    held = services.erasure_request(user=teacher)
    services.erasure_hold(
        request=held, by=network.people["network_admin"], reason="Lopende evaluatie"
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29)):
        privacy_scan()
    waiting.refresh_from_db()
    assert waiting.state == ErasureRequest.State.REQUESTED
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        privacy_scan()
    waiting.refresh_from_db()
    held.refresh_from_db()
    assert waiting.state == ErasureRequest.State.ERASED
    assert held.state == ErasureRequest.State.HELD


def test_a_hold_needs_a_reason(network):
    from django.core.exceptions import ValidationError

    request = services.erasure_request(user=network.people["research_teacher"])
    with pytest.raises(ValidationError):
        services.erasure_hold(request=request, by=network.people["network_admin"], reason="  ")


def test_the_person_asks_on_my_data_and_must_tick_the_box(client, network):
    teacher = network.people["research_teacher"]
    client.force_login(teacher)
    response = client.post(reverse("privacy:erasure_create"), {})
    assert response.status_code == 400
    assert "Vink" in response.content.decode() or "Tick" in response.content.decode()
    assert not ErasureRequest.objects.exists()
    response = client.post(reverse("privacy:erasure_create"), {"confirm": "on"})
    assert response.status_code == 302
    request = ErasureRequest.objects.get(user=teacher)
    assert request.due_at - request.requested_at == datetime.timedelta(days=30)
    client.post(reverse("privacy:erasure_create"), {"confirm": "on"})
    assert ErasureRequest.objects.count() == 1


def test_an_admin_confirms_in_the_admin(client, network, second_coach):
    request = services.erasure_request(user=network.people["research_teacher"])
    client.force_login(network.people["network_admin"])
    response = client.post(
        reverse("admin:privacy_erasurerequest_changelist"),
        {"action": "confirm", "_selected_action": [request.pk]},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == ErasureRequest.State.ERASED
    assert request.confirmed_by == network.people["network_admin"]


def test_an_admin_holds_with_a_reason_and_releases_in_the_admin(client, network):
    request = services.erasure_request(user=network.people["research_teacher"])
    admin = network.people["network_admin"]
    client.force_login(admin)
    url = reverse("admin:privacy_erasurerequest_change", args=[request.pk])
    assert client.post(url, {"hold_reason": "Lopende evaluatie"}).status_code == 302
    request.refresh_from_db()
    assert request.state == ErasureRequest.State.HELD and request.held_by == admin
    assert client.post(url, {"hold_reason": ""}).status_code == 302
    request.refresh_from_db()
    assert request.state == ErasureRequest.State.REQUESTED and request.held_by is None


def test_erasure_signs_the_person_out_on_every_device(client, network, second_coach):
    """The devices listed on the account page go with the account: the session a
    browser holds no longer signs anyone in, and the device list is empty."""
    from allauth.usersessions.models import UserSession

    coach = network.people["coach"]
    client.force_login(coach)
    UserSession.objects.create(
        user=coach, session_key=client.session.session_key, ip="127.0.0.1", user_agent="Phone"
    )
    assert client.get(reverse("dashboard")).status_code == 200
    assert _erase(coach).state == ErasureRequest.State.ERASED
    assert not UserSession.objects.filter(user=coach).exists()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_erasure_empties_the_inbox_and_takes_the_name_from_others(network, second_coach):
    """Their own notifications go; in a colleague's inbox the comment they wrote no
    longer carries their name."""
    from notifications.models import Notification

    coach, teacher = network.people["coach"], network.people["research_teacher"]
    common = {"kind": "comment_on_my_entry", "target_id": 1, "url": "/"}
    Notification.objects.create(
        recipient=coach,
        actor=teacher,
        event_key="own",
        params={"actor": teacher.full_name},
        **common,
    )
    Notification.objects.create(
        recipient=teacher,
        actor=coach,
        event_key="theirs",
        params={"actor": coach.full_name},
        **common,
    )
    name = coach.full_name
    assert _erase(coach).state == ErasureRequest.State.ERASED
    assert not Notification.objects.filter(recipient=coach).exists()
    told = Notification.objects.get(recipient=teacher)
    assert told.actor is None and name not in str(told.params)
