"""Results attached to the study draft: figures as they were when attached, open
answers on the public page only when the reviewer approved each one, nothing of
an unapproved answer on any public surface, no figure under 5."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from knowledge_base import services as studies
from knowledge_base.models import Study, Theme
from questionnaires import services
from questionnaires.models import Answer, Question, ResultsSnapshot, SnapshotQuote

from .conftest import add_responses

pytestmark = pytest.mark.django_db

MARKER = "Zwijgmarker Juf Anja"


@pytest.fixture
def draft(network):
    study = Study.objects.create(
        title="Lezen in de klas",
        summary="Leerlingen lazen meer.",
        team=network.team,
        school=network.team.school,
        school_year=network.team.school_year,
    )
    study.themes.set([Theme.objects.first()])
    return study


def attach(client, network, opened, draft, person="research_teacher"):
    client.force_login(network.people[person])
    url = reverse(
        "questionnaires:results_to_study", args=[network.team.pk, opened.questionnaire.pk]
    )
    return client.post(url, {"round": opened.number, "study": draft.pk})


def approve(client, network, draft, quote, approved="1"):
    client.force_login(network.people["bridge_builder"])
    url = reverse("questionnaires:quote_approve", args=[draft.pk, quote.pk])
    return client.post(url, {"approved": approved})


def publish(draft, network):
    studies.study_publish(
        study=draft,
        user=network.people["bridge_builder"],
        no_identifiable_people=True,
        consent_for_data=True,
    )
    draft.refresh_from_db()
    return draft


def test_the_team_attaches_a_snapshot_that_later_answers_do_not_change(
    client, network, opened, draft
):
    add_responses(opened, 6, scale=1, text="Meer strips")
    response = attach(client, network, opened, draft)
    assert response.status_code == 302 and response["Location"].endswith("#questionnaire-results")
    snapshot = ResultsSnapshot.objects.get(study=draft)
    assert snapshot.responses == 6 and snapshot.quotes.count() == 6
    add_responses(opened, 10, scale=3, text="Later")
    page = client.get(draft.get_manage_url()).content.decode()
    assert page.count('data-testid="question-chart"') == 3
    assert "6 inzendingen" in page or "6 responses" in page
    assert "Later" not in page


def test_attaching_needs_five_responses_an_editable_draft_and_edit_rights(
    client, network, opened, draft
):
    add_responses(opened, 4)
    with pytest.raises(ValidationError):
        services.results_attach_to_study(round_=opened, study=draft, user=network.people["coach"])
    add_responses(opened, 1)
    assert attach(client, network, opened, draft, "bridge_builder").status_code == 403
    studies.study_submit(study=draft, user=network.people["coach"])
    assert attach(client, network, opened, draft).status_code == 302
    assert not ResultsSnapshot.objects.exists()  # a submitted study is not a draft


def test_an_open_answer_reaches_the_public_page_only_when_approved(client, network, opened, draft):
    add_responses(opened, 5, text="Meer strips")
    add_responses(opened, 1, text=MARKER)
    attach(client, network, opened, draft)
    studies.study_submit(study=draft, user=network.people["coach"])
    strips = SnapshotQuote.objects.filter(text="Meer strips").first()
    assert approve(client, network, draft, strips).status_code == 302
    # The reviewer sees every answer, and which are public.
    review = client.get(draft.get_manage_url()).content.decode()
    assert MARKER in review and review.count('data-testid="quote"') == 6
    draft = publish(draft, network)
    client.logout()
    page = client.get(draft.get_absolute_url()).content.decode()
    assert page.count("Meer strips") == 1
    assert MARKER not in page
    assert page.count('data-testid="question-chart"') == 3
    # Taking it off the public page again works after publishing.
    assert approve(client, network, draft, strips, "0").status_code == 302
    client.logout()
    assert "Meer strips" not in client.get(draft.get_absolute_url()).content.decode()


def test_an_unapproved_answer_appears_on_no_public_surface(client, network, opened, draft):
    add_responses(opened, 6, text=MARKER)
    attach(client, network, opened, draft)
    studies.study_submit(study=draft, user=network.people["coach"])
    draft = publish(draft, network)
    client.logout()
    surfaces = {
        "page": draft.get_absolute_url(),
        "list": reverse("knowledge_base:study_list"),
        "feed": reverse("knowledge_base:study_feed"),
        "api list": reverse("knowledge_base:api_study_list"),
        "api detail": reverse("knowledge_base:api_study_detail", args=[draft.slug]),
        "oai list": reverse("knowledge_base:oai") + "?verb=ListRecords&metadataPrefix=oai_dc",
        "oai record": reverse("knowledge_base:oai")
        + f"?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:leerbrug:study:{draft.pk}",
        "sitemap": "/sitemap-studies.xml",
    }
    for where, url in surfaces.items():
        response = client.get(url)
        assert response.status_code == 200, where
        assert "Zwijgmarker" not in response.content.decode(), where
    assert draft.title in client.get(surfaces["oai record"]).content.decode()
    search = client.get(reverse("knowledge_base:study_list"), {"q": "Zwijgmarker"})
    assert search.context["result"].total == 0  # the answer is not in the search index


def test_a_hidden_answer_cannot_be_approved_and_leaves_the_study(client, network, opened, draft):
    add_responses(opened, 6, text=MARKER)
    attach(client, network, opened, draft)
    studies.study_submit(study=draft, user=network.people["coach"])
    first, second = SnapshotQuote.objects.all()[:2]
    approve(client, network, draft, first)
    client.force_login(network.people["coach"])
    hide = reverse(
        "questionnaires:answer_hide",
        args=[network.team.pk, opened.questionnaire.pk, first.answer_id],
    )
    client.post(hide, {"hidden": "1"})
    assert not SnapshotQuote.objects.filter(pk=first.pk).exists()
    assert approve(client, network, draft, first).status_code == 404
    Answer.objects.filter(pk=second.answer_id).update(hidden=True)
    with pytest.raises(ValidationError):
        services.quote_set_approved(
            quote=second, user=network.people["bridge_builder"], approved=True, now=timezone.now()
        )


def test_no_figure_for_fewer_than_five_on_the_public_page(client, network, opened, draft):
    add_responses(opened, 6)
    multiple = opened.questionnaire.questions.get(kind=Question.Kind.MULTIPLE)
    keep = list(opened.responses.values_list("pk", flat=True)[:4])
    Answer.objects.filter(question=multiple).exclude(response__in=keep).delete()
    attach(client, network, opened, draft)
    studies.study_submit(study=draft, user=network.people["coach"])
    draft = publish(draft, network)
    client.logout()
    page = client.get(draft.get_absolute_url()).content.decode()
    # The multiple choice (4 answers) and the open question (none) show no figure.
    assert page.count('data-testid="suppressed"') == 2
    assert page.count('data-testid="question-chart"') == 2
    kept = ResultsSnapshot.objects.get().figures[2]
    assert kept["suppressed"] and kept["options"] == [] and kept["answered"] is None


def test_approving_belongs_to_the_review(client, network, opened, draft):
    add_responses(opened, 6, text="Meer strips")
    attach(client, network, opened, draft)
    quote = SnapshotQuote.objects.first()
    approve(client, network, draft, quote)  # still a draft: refused
    quote.refresh_from_db()
    assert not quote.is_approved
    client.force_login(network.people["coach"])
    url = reverse("questionnaires:quote_approve", args=[draft.pk, quote.pk])
    assert client.post(url, {"approved": "1"}).status_code == 403


def test_unapproved_quotes_go_with_the_answers_at_the_end_of_retention(network, opened, draft):
    from questionnaires.retention import answers_delete

    add_responses(opened, 6, text="Meer strips")
    services.results_attach_to_study(round_=opened, study=draft, user=network.people["coach"])
    studies.study_submit(study=draft, user=network.people["coach"])
    kept = SnapshotQuote.objects.first()
    services.quote_set_approved(
        quote=kept, user=network.people["bridge_builder"], approved=True, now=timezone.now()
    )
    answers_delete(questionnaire=opened.questionnaire, today=timezone.localdate())
    assert list(SnapshotQuote.objects.values_list("pk", "text")) == [(kept.pk, "Meer strips")]
