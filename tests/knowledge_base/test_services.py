"""The review workflow: every transition, who may make it, and what is refused.

Who may make a transition is the rule the views check (``knowledge_base.*`` rules,
see README "Access layer"); the services trust their caller."""

import pytest
import rules
from django.core import mail
from django.core.exceptions import ValidationError

from knowledge_base import services
from knowledge_base.models import Study, StudyAuthor, StudyEvent, StudyFile, Theme
from research_cycle.models import Attachment, LogEntry
from research_cycle.services import cycle_start

from .publishing import StudyAuthorFactory, pdf_upload, team_study

pytestmark = pytest.mark.django_db

S = Study.Status


def may(user, perm, obj=None) -> bool:
    return rules.has_perm(f"knowledge_base.{perm}", user, obj)


def publish(study, user, **overrides):
    arguments = {"no_identifiable_people": True, "consent_for_data": True} | overrides
    return services.study_publish(study=study, user=user, **arguments)


@pytest.fixture
def cycle(network):
    cycle = cycle_start(team=network.team, user=network.people["coach"])
    cycle.dilemma = "Leerlingen lezen weinig."
    cycle.beliefs = "We denken dat keuze helpt."
    cycle.research_question = "Helpt vrije boekkeuze?"
    cycle.hypotheses = "Meer keuze, meer plezier."
    cycle.inspiration_sources = "Stichting Lezen."
    cycle.data_collection_plan = "Vragenlijst en observaties."
    cycle.perspectives = ["pupils", "parents"]
    cycle.findings = "Leesplezier steeg."
    cycle.action_taken = "Nieuwe klasbib."
    cycle.measured_effect = "Van 48% naar 71%."
    cycle.lessons = "Keuze is niet genoeg."
    cycle.save()
    return cycle


# --- Drafts -----------------------------------------------------------------------


def test_a_coach_makes_a_draft_prefilled_from_the_cycle(network, cycle):
    study = services.study_create_from_cycle(cycle=cycle, user=network.people["coach"])

    assert study.status == S.DRAFT and study.slug is None
    assert study.team == network.team and study.cycle == cycle
    assert study.title == "Leesmotivatie"
    assert (study.school, study.school_year, study.city) == (
        network.school,
        network.school_year,
        network.school.city,
    )
    assert study.dilemma == "Leerlingen lezen weinig.\n\nWe denken dat keuze helpt."
    assert study.research_question == "Helpt vrije boekkeuze?\n\nMeer keuze, meer plezier."
    assert study.inspiration == "Stichting Lezen."
    assert study.methods == "Vragenlijst en observaties."
    assert study.perspectives == ["pupils", "parents"]
    assert study.action_and_effect == "Nieuwe klasbib.\n\nVan 48% naar 71%."
    assert study.lessons == "Keuze is niet genoeg."
    # The team's researchers are its authors, none of them agreed yet; the
    # bridge-builder is the reviewer, not an author.
    authors = {a.user: a.consent for a in study.authors.all()}
    assert authors == {
        network.people["coach"]: StudyAuthor.Consent.PENDING,
        network.people["research_teacher"]: StudyAuthor.Consent.PENDING,
        network.people["student_teacher"]: StudyAuthor.Consent.PENDING,
    }
    assert list(study.events.values_list("from_status", "to_status")) == [("", S.DRAFT)]


@pytest.mark.parametrize(
    "persona",
    ["research_teacher", "student_teacher", "bridge_builder", "school_leader", "outsider"],
)
def test_only_coaches_and_admins_make_a_draft_from_the_cycle(network, cycle, persona):
    assert not may(network.people[persona], "start_study", cycle.team)
    assert may(network.people["coach"], "start_study", cycle.team)
    assert may(network.people["network_admin"], "start_study", cycle.team)


def test_an_admin_enters_an_earlier_study_by_hand(network):
    study = services.study_create(
        user=network.people["network_admin"],
        school=network.other_school,
        school_year=network.school_year,
        title="Huiswerkbeleid",
        summary="Minder huiswerk.",
        themes=Theme.objects.filter(slug="feedback"),
    )
    assert study.team is None and study.cycle is None and study.status == S.DRAFT
    assert study.city == network.other_school.city
    assert [t.slug for t in study.themes.all()] == ["feedback"]


def test_a_coach_cannot_enter_a_study_by_hand(network):
    assert not may(network.people["coach"], "enter_study_by_hand")
    assert may(network.people["network_admin"], "enter_study_by_hand")


@pytest.mark.parametrize("persona", ["coach", "research_teacher", "student_teacher"])
def test_the_team_edits_its_draft(network, persona):
    study = team_study(network)
    services.study_update(study=study, user=network.people[persona], title="Nieuwe titel")
    study.refresh_from_db()
    assert study.title == "Nieuwe titel"


@pytest.mark.parametrize("persona", ["bridge_builder", "school_leader", "process_facilitator"])
def test_people_who_only_look_cannot_edit(network, persona):
    study = team_study(network)
    assert not may(network.people[persona], "edit_study", study)


@pytest.mark.parametrize("status", [S.SUBMITTED, S.PUBLISHED, S.WITHDRAWN])
def test_a_study_in_review_or_public_cannot_be_edited(network, status):
    study = team_study(network, status=status)
    with pytest.raises(ValidationError):
        services.study_update(study=study, user=network.people["coach"], title="Anders")
    study.refresh_from_db()
    assert study.title != "Anders"


def test_an_invalid_edit_saves_nothing(network):
    study = team_study(network, title="Oud")
    with pytest.raises(ValidationError) as error:
        services.study_update(
            study=study, user=network.people["coach"], title="", summary="Nieuw", themes=[]
        )
    assert "title" in error.value.message_dict
    study.refresh_from_db()
    assert (study.title, study.summary) == ("Oud", "Leerkrachten gaven feedback die vooruit kijkt.")
    assert study.themes.exists()


# --- Submit, request changes, resubmit ------------------------------------------------


def test_the_coach_submits_and_resubmits(network):
    coach, reviewer = network.people["coach"], network.people["bridge_builder"]
    study = team_study(network)

    services.study_submit(study=study, user=coach)
    services.study_request_changes(study=study, user=reviewer, comment="Anonimiseer de school.")
    study.refresh_from_db()
    assert study.status == S.CHANGES_REQUESTED
    services.study_update(study=study, user=coach, summary="Beter.")
    services.study_submit(study=study, user=coach)

    study.refresh_from_db()
    assert study.status == S.SUBMITTED
    trail = list(study.events.order_by("pk").values_list("from_status", "to_status", "comment"))
    assert trail == [
        (S.DRAFT, S.SUBMITTED, ""),
        (S.SUBMITTED, S.CHANGES_REQUESTED, "Anonimiseer de school."),
        (S.CHANGES_REQUESTED, S.SUBMITTED, ""),
    ]


@pytest.mark.parametrize(
    "persona", ["research_teacher", "student_teacher", "bridge_builder", "school_leader"]
)
def test_only_the_coach_submits(network, persona):
    study = team_study(network)
    assert not may(network.people[persona], "author_study", study)
    assert may(network.people["coach"], "author_study", study)


@pytest.mark.parametrize("status", [S.SUBMITTED, S.PUBLISHED, S.WITHDRAWN])
def test_only_drafts_and_changed_studies_can_be_submitted(network, status):
    study = team_study(network, status=status)
    with pytest.raises(ValidationError):
        services.study_submit(study=study, user=network.people["coach"])


def test_a_study_without_themes_cannot_be_submitted(network):
    study = team_study(network, themes=[])
    with pytest.raises(ValidationError) as error:
        services.study_submit(study=study, user=network.people["coach"])
    assert "themes" in error.value.message_dict


def test_changes_need_a_comment(network):
    study = team_study(network, status=S.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        services.study_request_changes(
            study=study, user=network.people["bridge_builder"], comment="   "
        )
    assert "comment" in error.value.message_dict
    study.refresh_from_db()
    assert study.status == S.SUBMITTED


@pytest.mark.parametrize("persona", ["coach", "research_teacher", "school_leader"])
def test_only_reviewers_request_changes(network, persona):
    study = team_study(network, status=S.SUBMITTED)
    assert not may(network.people[persona], "review_study", study)
    assert may(network.people["bridge_builder"], "review_study", study)


def test_a_draft_cannot_be_sent_back(network):
    study = team_study(network)
    with pytest.raises(ValidationError):
        services.study_request_changes(
            study=study, user=network.people["bridge_builder"], comment="x"
        )


# --- Publish: privacy checklist and author consent ----------------------------------------


@pytest.mark.parametrize("persona", ["bridge_builder", "network_admin"])
def test_a_reviewer_publishes_with_a_stable_address(network, persona):
    study = team_study(network, status=S.SUBMITTED, title="Feedback die vooruit kijkt")
    StudyAuthorFactory(study=study, consent=StudyAuthor.Consent.AGREED)

    publish(study, network.people[persona], comment="Mooi werk.")

    study.refresh_from_db()
    assert study.status == S.PUBLISHED
    assert study.slug == "feedback-die-vooruit-kijkt-2025"
    assert study.published_at is not None
    assert study.privacy_confirmed_by == network.people[persona]
    assert Study.objects.published().filter(pk=study.pk).exists()
    event = study.events.first()
    assert (event.to_status, event.comment) == (S.PUBLISHED, "Mooi werk.")


def test_two_studies_with_the_same_title_get_different_addresses(network):
    reviewer = network.people["bridge_builder"]
    first = team_study(network, status=S.SUBMITTED, title="Feedback")
    second = team_study(network, status=S.SUBMITTED, title="Feedback")
    publish(first, reviewer)
    publish(second, reviewer)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.slug, second.slug) == ("feedback-2025", "feedback-2025-2")


def test_a_title_never_takes_a_path_of_the_list_or_feed(network):
    study = team_study(network, status=S.SUBMITTED, title="Feed")
    study.school_year.name = ""
    publish(study, network.people["network_admin"])
    study.refresh_from_db()
    assert study.slug not in services.RESERVED_SLUGS


@pytest.mark.parametrize(
    "flags, field",
    [
        ({"no_identifiable_people": False}, "no_identifiable_people"),
        ({"consent_for_data": False}, "consent_for_data"),
    ],
)
def test_publishing_needs_the_privacy_checklist(network, flags, field):
    study = team_study(network, status=S.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        publish(study, network.people["bridge_builder"], **flags)
    assert field in error.value.message_dict
    study.refresh_from_db()
    assert study.status == S.SUBMITTED and study.slug is None


@pytest.mark.parametrize("consent", [StudyAuthor.Consent.PENDING, StudyAuthor.Consent.DECLINED])
def test_publishing_needs_every_author_to_agree(network, consent):
    study = team_study(network, status=S.SUBMITTED)
    StudyAuthorFactory(study=study, consent=StudyAuthor.Consent.AGREED)
    StudyAuthorFactory(study=study, name="Jan Wacht", consent=consent)
    with pytest.raises(ValidationError) as error:
        publish(study, network.people["bridge_builder"])
    assert "Jan Wacht" in " ".join(error.value.messages)
    study.refresh_from_db()
    assert study.status == S.SUBMITTED


@pytest.mark.parametrize(
    "persona", ["coach", "research_teacher", "student_teacher", "school_leader", "outsider"]
)
def test_only_reviewers_publish(network, persona):
    study = team_study(network, status=S.SUBMITTED)
    assert not may(network.people[persona], "review_study", study)


def test_the_bridge_builder_of_another_school_cannot_publish(network):
    from schools.models import Role
    from tests.factories import RoleMembershipFactory, UserFactory

    stranger = UserFactory()
    RoleMembershipFactory(
        user=stranger,
        role=Role.BRIDGE_BUILDER,
        school=network.other_school,
        institution=network.institution,
        school_year=network.school_year,
    )
    assert not may(stranger, "review_study", team_study(network, status=S.SUBMITTED))


def test_a_study_entered_by_hand_is_reviewed_by_an_admin_only(network):
    study = team_study(network, status=S.SUBMITTED, team=None)
    assert not may(network.people["bridge_builder"], "review_study", study)
    assert may(network.people["network_admin"], "review_study", study)
    publish(study, network.people["network_admin"])


@pytest.mark.parametrize("status", [S.DRAFT, S.CHANGES_REQUESTED, S.PUBLISHED, S.WITHDRAWN])
def test_only_a_submitted_study_is_published(network, status):
    study = team_study(network, status=status)
    with pytest.raises(ValidationError):
        publish(study, network.people["network_admin"])


# --- Withdraw -----------------------------------------------------------------------


def test_withdrawing_keeps_the_address_and_the_note(network):
    study = team_study(network, status=S.PUBLISHED, slug="feedback-2024")
    services.study_withdraw(
        study=study, user=network.people["bridge_builder"], note="Op vraag van de school."
    )
    study.refresh_from_db()
    assert study.status == S.WITHDRAWN and study.slug == "feedback-2024"
    assert study.withdrawal_note == "Op vraag van de school." and study.withdrawn_at
    assert not Study.objects.published().filter(pk=study.pk).exists()


def test_withdrawing_needs_a_note(network):
    study = team_study(network, status=S.PUBLISHED)
    with pytest.raises(ValidationError) as error:
        services.study_withdraw(study=study, user=network.people["bridge_builder"], note="")
    assert "note" in error.value.message_dict


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.WITHDRAWN])
def test_only_a_published_study_is_withdrawn(network, status):
    study = team_study(network, status=status)
    with pytest.raises(ValidationError):
        services.study_withdraw(study=study, user=network.people["network_admin"], note="x")


@pytest.mark.parametrize("persona", ["coach", "research_teacher", "school_leader"])
def test_only_reviewers_withdraw(network, persona):
    study = team_study(network, status=S.PUBLISHED)
    assert not may(network.people[persona], "review_study", study)


# --- Authors and consent ---------------------------------------------------------------


def test_consent_is_asked_by_email_in_the_authors_language(
    network, django_capture_on_commit_callbacks
):
    study = team_study(network, title="Peer feedback")
    author = services.study_author_add(
        study=study,
        user=network.people["coach"],
        name="Jane Doe",
        email="jane@uni.test",
        language="en",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.study_author_request_consent(author=author, user=network.people["coach"])

    author.refresh_from_db()
    assert len(author.consent_token) >= 40
    [message] = mail.outbox
    assert message.to == ["jane@uni.test"]
    assert message.subject == "May we name you as an author of “Peer feedback”?"
    assert f"/studies/consent/{author.consent_token}/" in message.body


def test_a_dutch_author_gets_a_dutch_request(network, django_capture_on_commit_callbacks):
    study = team_study(network, title="Peer feedback")
    author = StudyAuthorFactory(study=study, language="nl", consent=StudyAuthor.Consent.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        services.study_author_request_consent(author=author, user=network.people["coach"])
    assert "Mogen we je vermelden als auteur" in mail.outbox[0].subject


def test_an_author_linked_to_an_account_is_asked_in_their_preferred_language(network):
    person = network.people["research_teacher"]
    person.preferred_language = "en"
    person.save()
    author = services.study_author_add(
        study=team_study(network), user=network.people["coach"], name="Lotte", email=person.email
    )
    assert author.user == person and author.language == "en"


def test_an_author_without_email_cannot_be_asked(network):
    author = StudyAuthorFactory(study=team_study(network), email="")
    with pytest.raises(ValidationError) as error:
        services.study_author_request_consent(author=author, user=network.people["coach"])
    assert "email" in error.value.message_dict
    assert mail.outbox == []


def test_the_same_person_is_not_named_twice(network):
    study = team_study(network)
    coach = network.people["coach"]
    services.study_author_add(study=study, user=coach, name="Sara", email=coach.email)
    with pytest.raises(ValidationError):
        services.study_author_add(study=study, user=coach, name="Sara P.", email=coach.email)
    assert study.authors.count() == 1


def test_an_author_answers_and_may_change_their_mind(network):
    author = StudyAuthorFactory(study=team_study(network), consent=StudyAuthor.Consent.PENDING)
    services.study_author_answer(author=author, agreed=True)
    author.refresh_from_db()
    assert author.consent == StudyAuthor.Consent.AGREED and author.consented_at
    services.study_author_answer(author=author, agreed=False)
    author.refresh_from_db()
    assert author.consent == StudyAuthor.Consent.DECLINED


@pytest.mark.parametrize("persona", ["bridge_builder", "school_leader"])
def test_reviewers_do_not_change_the_author_list(network, persona):
    assert not may(network.people[persona], "edit_study", team_study(network))


# --- Files ------------------------------------------------------------------------------


def test_the_team_uploads_its_report_as_pdf(network):
    study = team_study(network)
    study_file = services.study_file_add(
        study=study, user=network.people["coach"], upload=pdf_upload("verslag.pdf"), kind="report"
    )
    assert study_file.original_name == "verslag.pdf"
    assert study_file.content_type == "application/pdf"
    assert study_file.file.name.startswith(f"private/studies/{study.pk}/")
    assert "verslag" not in study_file.file.name


def test_a_file_that_only_pretends_to_be_a_pdf_is_refused(network):
    from django.core.files.base import ContentFile

    study = team_study(network)
    with pytest.raises(ValidationError) as error:
        services.study_file_add(
            study=study,
            user=network.people["coach"],
            upload=ContentFile(b"<html>nep</html>", name="poster.pdf"),
            kind="poster",
        )
    assert "file" in error.value.message_dict
    assert not StudyFile.objects.exists()


def test_a_poster_must_be_a_pdf(network):
    from django.core.files.base import ContentFile

    with pytest.raises(ValidationError):
        services.study_file_add(
            study=team_study(network),
            user=network.people["coach"],
            upload=ContentFile(b"a,b\n1,2\n", name="data.csv"),
            kind="poster",
        )


def test_files_from_the_research_diary_are_copied(network, cycle):
    from django.core.files.base import ContentFile

    entry = LogEntry.objects.create(
        cycle=cycle,
        stage=cycle.current_stage,
        author=network.people["coach"],
        occurred_on="2025-10-01",
        summary="Vragenlijst afgenomen.",
    )
    attachment = Attachment(
        log_entry=entry, original_name="resultaten.csv", content_type="text/csv", size=8
    )
    attachment.file.save("x", ContentFile(b"a,b\n1,2\n"), save=False)
    attachment.save()
    study = team_study(network)

    [copy] = services.study_attachments_copy(
        study=study, user=network.people["coach"], attachments=[attachment]
    )
    attachment.delete()

    with copy.file.open("rb") as handle:
        assert handle.read() == b"a,b\n1,2\n"
    assert copy.original_name == "resultaten.csv"


def test_files_of_another_team_are_refused(network):
    from django.core.files.base import ContentFile

    other_cycle = cycle_start(team=network.other_team, user=network.people["outsider"])
    entry = LogEntry.objects.create(
        cycle=other_cycle,
        stage=other_cycle.current_stage,
        author=network.people["outsider"],
        occurred_on="2025-10-01",
        summary="x",
    )
    attachment = Attachment(
        log_entry=entry, original_name="a.txt", content_type="text/plain", size=1
    )
    attachment.file.save("x", ContentFile(b"a"), save=False)
    attachment.save()
    with pytest.raises(ValidationError):
        services.study_attachments_copy(
            study=team_study(network), user=network.people["coach"], attachments=[attachment]
        )
    assert not StudyFile.objects.exists()


def test_the_review_trail_names_who_did_what(network):
    study = team_study(network)
    services.study_submit(study=study, user=network.people["coach"])
    event = StudyEvent.objects.get(study=study)
    assert (event.user, event.from_status, event.to_status) == (
        network.people["coach"],
        S.DRAFT,
        S.SUBMITTED,
    )


# --- Who hears about a review step -------------------------------------------------------


def test_submitting_tells_the_schools_bridge_builder(network, django_capture_on_commit_callbacks):
    study = team_study(network, title="Peerfeedback")
    with django_capture_on_commit_callbacks(execute=True):
        services.study_submit(study=study, user=network.people["coach"])
    [message] = mail.outbox
    assert message.to == [network.people["bridge_builder"].email]
    assert message.subject == "Wacht op jouw beoordeling: “Peerfeedback”"
    assert f"/studies/manage/{study.pk}/" in message.body


def test_a_hand_entered_study_is_reviewed_by_the_admins(
    network, django_capture_on_commit_callbacks
):
    admin = network.people["network_admin"]
    admin.preferred_language = "en"
    admin.save()
    study = team_study(network, title="Huiswerk", team=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.study_submit(study=study, user=admin)
    [message] = mail.outbox
    assert message.to == [admin.email]
    assert message.subject == "Waiting for your review: “Huiswerk”"


def test_the_coaches_hear_about_changes_and_publication(
    network, django_capture_on_commit_callbacks
):
    study = team_study(network, status=S.SUBMITTED, title="Peerfeedback")
    reviewer = network.people["bridge_builder"]
    with django_capture_on_commit_callbacks(execute=True):
        services.study_request_changes(study=study, user=reviewer, comment="Geen klasnamen a.u.b.")
    [changes] = mail.outbox
    assert changes.to == [network.people["coach"].email]
    assert "Geen klasnamen a.u.b." in changes.body

    services.study_submit(study=study, user=network.people["coach"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(study, reviewer)
    # The outbox also sends the reviewer's "submitted" mail still owed from above.
    [published] = [m for m in mail.outbox if m.to == [network.people["coach"].email]]
    assert published.subject == "Gepubliceerd in de kennisbank: “Peerfeedback”"
    assert "/studies/peerfeedback-2025/" in published.body


def test_a_refused_step_sends_nothing(network, django_capture_on_commit_callbacks):
    study = team_study(network, status=S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        publish(study, network.people["bridge_builder"], consent_for_data=False)
    assert mail.outbox == []
