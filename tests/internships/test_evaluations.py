"""Evaluation moments through the pages: nobody reads another's evaluation before
both are in; then the student, the evaluators, the coordinator and admins do, and
the student is mailed exactly once."""

import pytest
from django.core import mail

from internships import mail as internship_mail
from internships.models import EvaluatorRole, InternshipMail, Moment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

MENTOR_SUMMARY = "Bereidt grondig voor; volgende stap: differentiëren."
SUPERVISOR_SUMMARY = "Sterke reflecties in het logboek."


def post_evaluation(client, network, internship, rubric, role, *, action="submit", rank=3):
    person = "mentor" if role == EvaluatorRole.MENTOR else "bridge_builder"
    client.force_login(network.people[person])
    data = {f"criterion_{c.pk}": c.levels.get(rank=rank).pk for c in rubric.criteria.all()} | {
        "summary": MENTOR_SUMMARY if role == EvaluatorRole.MENTOR else SUPERVISOR_SUMMARY,
        "action": action,
    }
    return client.post(f"/internships/{internship.pk}/evaluations/mid_term/{role}/", data)


def page_of(client, network, internship, persona) -> str:
    client.force_login(network.people[persona])
    response = client.get(f"/internships/{internship.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_nobody_reads_an_evaluation_before_both_are_in(
    client, network, internship, rubric, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_evaluation(client, network, internship, rubric, EvaluatorRole.MENTOR)
    assert response.status_code == 302
    assert mail.outbox == []
    # The mentor reads their own; the student, the bridge-builder and the
    # coordinator see only that it is in.
    assert MENTOR_SUMMARY in page_of(client, network, internship, "mentor")
    for persona in ["student_teacher", "bridge_builder", "placement_coordinator", "network_admin"]:
        html = page_of(client, network, internship, persona)
        assert MENTOR_SUMMARY not in html, persona
        assert "Zelfstandig" not in html, persona
    assert "zodra beide" in page_of(client, network, internship, "student_teacher")


def test_the_student_reads_both_once_the_second_is_in_and_is_mailed_once(
    client, network, internship, rubric, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_evaluation(client, network, internship, rubric, EvaluatorRole.MENTOR)
        post_evaluation(client, network, internship, rubric, EvaluatorRole.BRIDGE_BUILDER)
    html = page_of(client, network, internship, "student_teacher")
    assert MENTOR_SUMMARY in html and SUPERVISOR_SUMMARY in html
    assert html.count("Zelfstandig") == 10  # five criteria, two evaluations
    assert 'name="body"' in html  # the response form

    (message,) = mail.outbox
    assert message.to == [network.people["student_teacher"].email]
    assert message.subject == "Je tussentijdse evaluatie staat klaar"
    assert f"/internships/{internship.pk}/" in message.body

    # Scans, redelivered tasks and repeated sends do not mail again.
    row = InternshipMail.objects.get()
    assert internship_mail.internship_mail_scan() == 0
    assert internship_mail.internship_mail_send(mail_id=row.pk) is False
    assert len(mail.outbox) == 1

    # The student responds; the mentor reads the response.
    client.force_login(network.people["student_teacher"])
    response = client.post(
        f"/internships/{internship.pk}/evaluations/mid_term/response/",
        {"body": "Dank voor de tips, ik probeer het met groepjes."},
    )
    assert response.status_code == 302
    assert "ik probeer het met groepjes" in page_of(client, network, internship, "mentor")


def test_a_draft_stays_with_its_author_and_mails_nobody(
    client, network, internship, rubric, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_evaluation(client, network, internship, rubric, EvaluatorRole.MENTOR)
        post_evaluation(
            client, network, internship, rubric, EvaluatorRole.BRIDGE_BUILDER, action="draft"
        )
    assert mail.outbox == [] and not InternshipMail.objects.exists()
    assert SUPERVISOR_SUMMARY in page_of(client, network, internship, "bridge_builder")
    assert SUPERVISOR_SUMMARY not in page_of(client, network, internship, "mentor")
    # The draft is picked up again where it was left.
    client.force_login(network.people["bridge_builder"])
    form = client.get(f"/internships/{internship.pk}/evaluations/mid_term/bridge_builder/")
    assert SUPERVISOR_SUMMARY in form.content.decode()


def test_a_mail_for_a_student_who_left_is_skipped(network, internship, rubric):
    """The owed row outlives a change of student: the send checks again."""
    from internships import services
    from tests import factories

    levels = {c.pk: c.levels.get(rank=2) for c in rubric.criteria.all()}
    for role, person in [
        (EvaluatorRole.MENTOR, "mentor"),
        (EvaluatorRole.BRIDGE_BUILDER, "bridge_builder"),
    ]:
        services.evaluation_save(
            placement=internship,
            moment=Moment.MID_TERM,
            evaluator_role=role,
            author=network.people[person],
            levels=levels,
            summary="",
            submit=True,
        )
    row = InternshipMail.objects.get()
    internship.student = factories.UserFactory()
    internship.save()
    assert internship_mail.internship_mail_send(mail_id=row.pk) is False
    row.refresh_from_db()
    assert row.skipped_at is not None and mail.outbox == []


def test_a_level_of_another_criterion_is_refused_with_a_field_message(
    client, network, internship, rubric
):
    first, second = list(rubric.criteria.all())[:2]
    client.force_login(network.people["mentor"])
    data = {f"criterion_{c.pk}": c.levels.get(rank=2).pk for c in rubric.criteria.all()}
    data[f"criterion_{first.pk}"] = second.levels.get(rank=4).pk
    data |= {"summary": "Bewaard wat ik typte", "action": "submit"}
    response = client.post(f"/internships/{internship.pk}/evaluations/mid_term/mentor/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Selecteer een geldige keuze" in html
    assert "Bewaard wat ik typte" in html
    assert not internship.evaluations.exists()


def test_a_submitted_evaluation_cannot_be_opened_again(client, network, internship, rubric):
    post_evaluation(client, network, internship, rubric, EvaluatorRole.MENTOR)
    response = client.get(f"/internships/{internship.pk}/evaluations/mid_term/mentor/")
    assert response.status_code == 302
    response = post_evaluation(client, network, internship, rubric, EvaluatorRole.MENTOR, rank=1)
    assert internship.evaluations.get().scores.filter(level__rank=1).count() == 0


def test_unknown_moments_and_roles_are_not_found(client, network, internship):
    client.force_login(network.people["mentor"])
    assert client.get(f"/internships/{internship.pk}/evaluations/eind/mentor/").status_code == 404
    assert client.get(f"/internships/{internship.pk}/evaluations/final/coach/").status_code == 404
