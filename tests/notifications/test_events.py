"""One test per event kind: who is notified, and who is not."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from knowledge_base import services as study_services
from knowledge_base.models import Study
from network_sessions.services import session_cancel, session_update
from notifications.models import Notification
from research_cycle.models import Comment, TeamMembership
from research_cycle.services import comment_add, log_entry_create
from tests.knowledge_base.publishing import StudyAuthorFactory, team_study
from tests.network_sessions.conftest import brussels

from .conftest import kinds_of

pytestmark = pytest.mark.django_db


def test_a_comment_tells_the_entry_author_and_the_team_not_the_commenter_or_outsiders(
    network, entry
):
    people = network.people
    comment_add(entry=entry, author=people["coach"], body="Mooi begin!")
    assert kinds_of(people["research_teacher"]) == ["comment_on_my_entry"]
    assert kinds_of(people["student_teacher"]) == ["comment_in_my_team"]
    assert kinds_of(people["bridge_builder"]) == ["comment_in_my_team"]
    assert kinds_of(people["coach"]) == []
    assert kinds_of(people["outsider"]) == []
    assert kinds_of(people["school_leader"]) == []  # sees the team, is not in it
    note = people["research_teacher"].notifications.get()
    with translation.override("en"):
        assert note.title == "Sara Peeters commented on your log entry of " + date_format(
            entry.occurred_on, "j F Y"
        )
    assert note.body == "Mooi begin!"
    assert note.url == reverse("research_cycle:team_workspace", args=[network.team.pk]) + (
        f"#entry-{entry.pk}"
    )


def test_someone_who_left_the_team_yesterday_is_not_told(network, entry):
    TeamMembership.objects.filter(user=network.people["student_teacher"]).delete()
    comment_add(entry=entry, author=network.people["coach"], body="Verder zo")
    assert kinds_of(network.people["student_teacher"]) == []


def test_the_author_of_an_entry_who_left_the_team_hears_nothing_of_it(network, entry):
    TeamMembership.objects.filter(user=network.people["research_teacher"]).delete()
    comment_add(entry=entry, author=network.people["coach"], body="Nog vragen?")
    assert kinds_of(network.people["research_teacher"]) == []


def test_a_mention_in_a_comment_tells_the_member_once(network, entry):
    people = network.people
    comment_add(entry=entry, author=people["coach"], body="@milan-de-smet kan jij dit bekijken?")
    assert kinds_of(people["student_teacher"]) == ["mention"]
    assert kinds_of(people["research_teacher"]) == ["comment_on_my_entry"]
    title = people["student_teacher"].notifications.get().title
    assert title == "Sara Peeters heeft je vermeld in het onderzoeksteam “Leesmotivatie”"


def test_a_member_picked_in_the_form_is_mentioned(network, entry):
    people = network.people
    comment_add(
        entry=entry, author=people["coach"], body="Zie hierboven", mention=people["bridge_builder"]
    )
    assert kinds_of(people["bridge_builder"]) == ["mention"]


def test_mentioning_someone_outside_the_team_saves_nothing(network, entry):
    with pytest.raises(ValidationError) as error:
        comment_add(entry=entry, author=network.people["coach"], body="@tom-vermeulen kijk eens")
    assert error.value.message_dict["body"] == [
        "Je kunt alleen leden van dit team vermelden, niet: @tom-vermeulen."
    ]
    assert not Comment.objects.exists()
    assert not Notification.objects.exists()


def test_picking_an_outsider_saves_nothing(network, entry):
    with pytest.raises(ValidationError):
        comment_add(
            entry=entry,
            author=network.people["coach"],
            body="Hoi",
            mention=network.people["outsider"],
        )
    assert not Comment.objects.exists()


def test_an_email_address_is_no_mention(network, entry):
    comment_add(entry=entry, author=network.people["coach"], body="Mail naar jan@school.be")
    assert Comment.objects.count() == 1
    assert not Notification.objects.filter(kind="mention").exists()


def test_a_mention_in_a_log_entry_tells_that_member(network, entry):
    people = network.people
    log_entry_create(
        cycle=entry.cycle,
        author=people["coach"],
        stage=entry.stage,
        occurred_on=entry.occurred_on,
        summary="Overleg met @lotte-janssens",
    )
    assert kinds_of(people["research_teacher"]) == ["mention"]
    assert kinds_of(people["student_teacher"]) == []


def test_a_log_entry_mentioning_an_outsider_is_refused(network, entry):
    with pytest.raises(ValidationError) as error:
        log_entry_create(
            cycle=entry.cycle,
            author=network.people["coach"],
            stage=entry.stage,
            occurred_on=entry.occurred_on,
            summary="Overleg met @tom-vermeulen",
        )
    assert "summary" in error.value.message_dict
    assert entry.cycle.log_entries.count() == 1


# --- Studies -------------------------------------------------------------------------


def test_a_submitted_study_tells_the_reviewer_not_the_outsider(network):
    study = team_study(network, title="Peerfeedback")
    study_services.study_submit(study=study, user=network.people["coach"])
    assert kinds_of(network.people["bridge_builder"]) == ["study_submitted"]
    assert kinds_of(network.people["outsider"]) == []


def test_a_study_sent_back_tells_the_coach_with_the_reviewers_comment(network):
    study = team_study(network, status=Study.Status.SUBMITTED, title="Peerfeedback")
    study_services.study_request_changes(
        study=study, user=network.people["bridge_builder"], comment="Geen klasnamen a.u.b."
    )
    [note] = network.people["coach"].notifications.all()
    assert note.kind == "study_changes_requested"
    assert note.body == "Geen klasnamen a.u.b."
    assert note.url == study.get_manage_url()
    assert kinds_of(network.people["research_teacher"]) == []  # the coaches are told
    assert kinds_of(network.people["outsider"]) == []


def test_published_and_withdrawn_tell_the_coach(network):
    study = team_study(network, status=Study.Status.SUBMITTED, title="Peerfeedback")
    reviewer = network.people["bridge_builder"]
    study_services.study_publish(
        study=study, user=reviewer, no_identifiable_people=True, consent_for_data=True
    )
    study_services.study_withdraw(study=study, user=reviewer, note="Op vraag van de school")
    assert kinds_of(network.people["coach"]) == ["study_published", "study_withdrawn"]
    assert kinds_of(network.people["outsider"]) == []


def test_being_asked_to_consent_as_an_author(network):
    study = team_study(network, status=Study.Status.SUBMITTED, title="Peerfeedback")
    author = StudyAuthorFactory(
        study=study, user=network.people["research_teacher"], name="Lotte", email="rt@school.test"
    )
    stranger = StudyAuthorFactory(study=study, user=None, name="Jane", email="jane@uni.test")
    study_services.study_author_request_consent(author=author, user=network.people["coach"])
    study_services.study_author_request_consent(author=stranger, user=network.people["coach"])
    [note] = network.people["research_teacher"].notifications.all()
    assert note.kind == "author_consent"
    author.refresh_from_db()
    assert note.url == reverse("knowledge_base:author_consent", args=[author.consent_token])
    assert Notification.objects.count() == 1


# --- Sessions ------------------------------------------------------------------------


@pytest.fixture
def school_session(plan, network):
    with time_machine.travel(brussels(2025, 11, 1, 9, 0), tick=False):
        yield plan(audience_roles=[], audience_schools=[network.school])


def test_invited_at_planning_time(network, school_session):
    assert kinds_of(network.people["coach"]) == ["session_invited"]
    assert kinds_of(network.people["mentor"]) == ["session_invited"]
    assert kinds_of(network.people["bridge_builder"]) == []  # the organiser
    assert kinds_of(network.people["outsider"]) == []  # another school


def test_a_changed_and_a_cancelled_session_tell_the_invitees(network, school_session):
    session = session_update(
        session=school_session,
        starts_at=brussels(2025, 11, 21, 14, 0),
        ends_at=brussels(2025, 11, 21, 16, 0),
    )
    session_cancel(session=session, reason="Ziekte")
    assert kinds_of(network.people["coach"]) == [
        "session_cancelled",
        "session_changed",
        "session_invited",
    ]
    assert kinds_of(network.people["outsider"]) == []
