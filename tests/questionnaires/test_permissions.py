"""Permission matrix: every persona × every URL and method of questionnaires.

Outsiders (other schools, the continuum people without a place in the team) get
404, anonymous visitors the login redirect, people who may look but not act
403; the public form is for anyone while it is open.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from knowledge_base.models import Study
from questionnaires import services
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS

from .conftest import add_responses

pytestmark = pytest.mark.django_db

ALL = [*PERSONAS, *CONTINUUM_PERSONAS, "anonymous"]
VIEWERS = {"coach", "research_teacher", "student_teacher", "bridge_builder", "school_leader",
           "process_facilitator", "network_admin"}  # fmt: skip
BUILDERS = {"coach", "research_teacher", "student_teacher", "bridge_builder"}
COACH = {"coach"}
STUDY_EDITORS = {"coach", "research_teacher", "student_teacher"}
REVIEWERS = {"bridge_builder", "network_admin"}


def expected(allowed: set[str], persona: str, ok: int) -> int:
    if persona == "anonymous":
        return 302
    if persona not in VIEWERS:
        return 404
    return ok if persona in allowed else 403


@pytest.fixture
def world(network, opened):
    """An opened questionnaire with answers, and a draft (consent confirmed)."""
    add_responses(opened, 5, text="Meer strips")
    draft = services.questionnaire_create(
        team=network.team, user=network.people["coach"], title="Collega's", perspective="colleagues"
    )
    question = services.question_add(questionnaire=draft, kind="open", text={"nl": "Wat helpt?"})
    services.consent_confirm(
        questionnaire=draft,
        user=network.people["coach"],
        asks_no_names=True,
        today=timezone.localdate(),
        now=timezone.now(),
    )
    study = Study.objects.create(
        title="Lezen",
        summary="Samenvatting.",
        team=network.team,
        school=network.team.school,
        school_year=network.team.school_year,
    )
    snapshot = services.results_attach_to_study(
        round_=opened, study=study, user=network.people["coach"]
    )
    return {
        "study": study.pk,
        "snapshot": snapshot.pk,
        "quote": snapshot.quotes.first().pk,
        "team": network.team.pk,
        "opened": opened.questionnaire.pk,
        "round": opened,
        "draft": draft.pk,
        "question": question.pk,
        "answer": opened.answers.exclude(text="").first().pk,
    }


w_study = object()  # stands for the world's study in a form's data


def u(name, *args):
    return reverse(f"questionnaires:{name}", args=args)


QUESTION = {"kind": "open", "required": "on", "text_nl": "Wat vind je?", "options_nl": ""}
SETTINGS = {"title": "Collega's", "perspective": "colleagues"}
ENDPOINTS = {
    "list": ("get", lambda w: u("list", w["team"]), None, VIEWERS, 200),
    "create GET": ("get", lambda w: u("create", w["team"]), None, BUILDERS, 200),
    "create POST": ("post", lambda w: u("create", w["team"]), SETTINGS, BUILDERS, 302),
    "detail": ("get", lambda w: u("detail", w["team"], w["opened"]), None, VIEWERS, 200),
    "edit GET": ("get", lambda w: u("edit", w["team"], w["draft"]), None, BUILDERS, 200),
    "edit POST": ("post", lambda w: u("edit", w["team"], w["draft"]), SETTINGS, BUILDERS, 302),
    "preview": ("get", lambda w: u("preview", w["team"], w["opened"]), None, VIEWERS, 200),
    "question new GET": (
        "get", lambda w: u("question_create", w["team"], w["draft"]), None, BUILDERS, 200),
    "question new POST": (
        "post", lambda w: u("question_create", w["team"], w["draft"]), QUESTION, BUILDERS, 302),
    "question edit GET": (
        "get", lambda w: u("question_edit", w["team"], w["draft"], w["question"]), None,
        BUILDERS, 200),
    "question edit POST": (
        "post", lambda w: u("question_edit", w["team"], w["draft"], w["question"]), QUESTION,
        BUILDERS, 302),
    "question delete": (
        "post", lambda w: u("question_delete", w["team"], w["draft"], w["question"]), {},
        BUILDERS, 302),
    "consent GET": ("get", lambda w: u("consent", w["team"], w["draft"]), None, COACH, 200),
    "consent POST": (
        "post", lambda w: u("consent", w["team"], w["draft"]), {"asks_no_names": "on"}, COACH, 302),
    "letter": ("get", lambda w: u("consent_letter", w["team"], w["opened"], "fr"), None, VIEWERS,
               200),
    "round open GET": ("get", lambda w: u("round_open", w["team"], w["draft"]), None, COACH, 200),
    "round open POST": (
        "post", lambda w: u("round_open", w["team"], w["draft"]),
        {"closes_on": "2099-01-01", "label": "voor"}, COACH, 302),
    "round close": ("post", lambda w: u("round_close", w["team"], w["opened"], 1), {}, COACH, 302),
    "qr png": ("get", lambda w: u("round_qr", w["team"], w["opened"], 1, "png"), None, VIEWERS,
               200),
    "qr svg": ("get", lambda w: u("round_qr", w["team"], w["opened"], 1, "svg"), None, VIEWERS,
               200),
    "results": ("get", lambda w: u("results", w["team"], w["opened"]), None, VIEWERS, 200),
    "results csv": ("get", lambda w: u("results_csv", w["team"], w["opened"]), None, VIEWERS, 200),
    "results xlsx": ("get", lambda w: u("results_xlsx", w["team"], w["opened"]), None, VIEWERS,
                     200),
    "export GET": ("get", lambda w: u("answers_export", w["team"], w["opened"]), None, BUILDERS,
                   200),
    "export POST": ("post", lambda w: u("answers_export", w["team"], w["opened"]), {}, BUILDERS,
                    200),
    "export POST xlsx": ("post", lambda w: u("answers_export", w["team"], w["opened"]),
                         {"format": "xlsx"}, BUILDERS, 200),
    "to log": ("post", lambda w: u("results_to_log", w["team"], w["opened"]), {}, BUILDERS, 302),
    "to study": ("post", lambda w: u("results_to_study", w["team"], w["opened"]),
                 {"round": 1, "study": w_study}, STUDY_EDITORS, 302),
    "detach": ("post", lambda w: u("results_detach", w["study"], w["snapshot"]), {},
               STUDY_EDITORS | {"network_admin"}, 302),
    "approve": ("post", lambda w: u("quote_approve", w["study"], w["quote"]),
                {"approved": "1"}, REVIEWERS, 302),
    "hide": ("post", lambda w: u("answer_hide", w["team"], w["opened"], w["answer"]),
             {"hidden": "1"}, BUILDERS, 302),
}  # fmt: skip


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_matrix(client, network, world, persona, endpoint):
    method, url, data, allowed, ok = ENDPOINTS[endpoint]
    if persona != "anonymous":
        client.force_login(network.people[persona])
    if data and data.get("study") is w_study:
        data = {**data, "study": world["study"]}
    response = getattr(client, method)(url(world), data)
    assert response.status_code == expected(allowed, persona, ok), response.content[:300]


@pytest.mark.parametrize("persona", ALL)
def test_the_public_form_is_for_anyone_while_open(client, network, world, persona):
    if persona != "anonymous":
        client.force_login(network.people[persona])
    url = u("respond", world["round"].token)
    page = client.get(url)
    assert page.status_code == 200
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.content.decode()).group(1)
    scale, single, _multiple, _open = world["round"].questionnaire.questions.all()
    answered = client.post(url, {"nonce": nonce, f"q{scale.pk}": "1", f"q{single.pk}": "1"})
    assert answered.status_code == 200
    # Respondents see only the form: never the team's pages or others' answers.
    assert "Meer strips" not in answered.content.decode()


def test_a_team_url_with_another_teams_questionnaire_is_404(client, network, world):
    client.force_login(network.people["outsider"])
    assert client.get(u("detail", network.other_team.pk, world["opened"])).status_code == 404
    client.force_login(network.people["coach"])
    assert client.get(u("detail", network.other_team.pk, world["opened"])).status_code == 404


def test_an_unknown_token_is_404(client, world):
    assert client.get("/q/not-a-real-token/").status_code == 404
