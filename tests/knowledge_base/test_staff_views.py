"""Staff pages of the review workflow: the permission matrix (persona × URL ×
method → status), bad input, and the query budget of the list."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from knowledge_base.models import Study, StudyAuthor, StudyFile
from research_cycle.services import cycle_start

from .publishing import StudyAuthorFactory, StudyFileFactory, pdf_upload, team_study

pytestmark = pytest.mark.django_db

S = Study.Status
PERSONAS = [
    "coach",
    "research_teacher",
    "student_teacher",
    "bridge_builder",
    "school_leader",
    "process_facilitator",
    "network_admin",
    "outsider",
    None,  # anonymous
]
EDITORS = {"coach", "research_teacher", "student_teacher", "network_admin"}
REVIEWERS = {"bridge_builder", "network_admin"}
AUTHORS = {"coach", "network_admin"}


def expected(persona, allowed, ok=302, forbidden=403):
    """Anonymous → login; outsiders → 404; allowed → ok; the rest may look but not act."""
    if persona is None:
        return "login"
    if persona == "outsider":
        return 404
    return ok if persona in allowed else forbidden


def check(client, method, url, want, data=None):
    response = client.get(url) if method == "get" else client.post(url, data or {})
    if want == "login":
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url
    else:
        assert response.status_code == want, (url, response.status_code)
    return response


def manage(name, study, **kwargs):
    return reverse(f"knowledge_base:{name}", kwargs={"pk": study.pk, **kwargs})


# --- The matrix -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_manage_list(login, network, persona):
    client = login(network.people.get(persona))
    want = "login" if persona is None else 200
    check(client, "get", reverse("knowledge_base:study_manage_list"), want)


@pytest.mark.parametrize("persona", PERSONAS)
def test_manage_page(login, network, persona):
    study = team_study(network)
    client = login(network.people.get(persona))
    check(client, "get", manage("study_manage", study), expected(persona, set(PERSONAS), ok=200))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_edit_page(login, network, persona, method):
    study = team_study(network)
    client = login(network.people.get(persona))
    data = {"title": "Nieuw", "summary": "Kort.", "language": "nl"}
    ok = 200 if method == "get" else 302
    check(client, method, manage("study_edit", study), expected(persona, EDITORS, ok=ok), data)


@pytest.mark.parametrize("persona", PERSONAS)
def test_submit(login, network, persona):
    study = team_study(network)
    check(
        login(network.people.get(persona)),
        "post",
        manage("study_submit", study),
        expected(persona, AUTHORS),
    )
    study.refresh_from_db()
    assert (study.status == S.SUBMITTED) == (persona in AUTHORS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_request_changes(login, network, persona):
    study = team_study(network, status=S.SUBMITTED)
    check(
        login(network.people.get(persona)),
        "post",
        manage("study_request_changes", study),
        expected(persona, REVIEWERS),
        {"comment": "Anonimiseer de namen."},
    )
    study.refresh_from_db()
    assert (study.status == S.CHANGES_REQUESTED) == (persona in REVIEWERS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_publish(login, network, persona):
    study = team_study(network, status=S.SUBMITTED)
    check(
        login(network.people.get(persona)),
        "post",
        manage("study_publish", study),
        expected(persona, REVIEWERS),
        {"no_identifiable_people": "on", "consent_for_data": "on"},
    )
    study.refresh_from_db()
    assert (study.status == S.PUBLISHED) == (persona in REVIEWERS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_withdraw(login, network, persona):
    study = team_study(network, status=S.PUBLISHED)
    check(
        login(network.people.get(persona)),
        "post",
        manage("study_withdraw", study),
        expected(persona, REVIEWERS),
        {"note": "Op vraag van de school."},
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_author_add(login, network, persona):
    study = team_study(network)
    check(
        login(network.people.get(persona)),
        "post",
        manage("study_author_add", study),
        expected(persona, EDITORS),
        {"name": "Jan Peeters", "email": "", "language": "nl"},
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_author_remove(login, network, persona):
    study = team_study(network)
    author = StudyAuthorFactory(study=study)
    url = manage("study_author_remove", study, author_pk=author.pk)
    check(login(network.people.get(persona)), "post", url, expected(persona, EDITORS))
    assert StudyAuthor.objects.filter(pk=author.pk).exists() != (persona in EDITORS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_author_request(login, network, persona):
    study = team_study(network)
    author = StudyAuthorFactory(study=study, consent=StudyAuthor.Consent.PENDING)
    url = manage("study_author_request", study, author_pk=author.pk)
    check(login(network.people.get(persona)), "post", url, expected(persona, EDITORS))


@pytest.mark.parametrize("persona", PERSONAS)
def test_author_answers_only_for_themselves(login, network, persona):
    study = team_study(network)
    author = StudyAuthorFactory(
        study=study, user=network.people["research_teacher"], consent=StudyAuthor.Consent.PENDING
    )
    url = manage("study_author_answer", study, author_pk=author.pk)
    check(
        login(network.people.get(persona)),
        "post",
        url,
        expected(persona, {"research_teacher"}),
        {"answer": "agree"},
    )
    author.refresh_from_db()
    assert (author.consent == StudyAuthor.Consent.AGREED) == (persona == "research_teacher")


@pytest.mark.parametrize("persona", PERSONAS)
def test_file_upload(login, network, persona):
    study = team_study(network)
    check(
        login(network.people.get(persona)),
        "post",
        manage("study_file_upload", study),
        expected(persona, EDITORS),
        {"kind": "poster", "file": pdf_upload("poster.pdf")},
    )
    assert StudyFile.objects.filter(study=study).exists() == (persona in EDITORS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_file_copy(login, network, persona):
    # Nothing chosen: editors see the form again (400), the rest never get that far.
    study = team_study(network)
    check(
        login(network.people.get(persona)),
        "post",
        manage("study_file_copy", study),
        expected(persona, EDITORS, ok=400),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_file_remove(login, network, persona):
    study = team_study(network)
    study_file = StudyFileFactory(study=study)
    url = manage("study_file_remove", study, file_pk=study_file.pk)
    check(login(network.people.get(persona)), "post", url, expected(persona, EDITORS))


@pytest.mark.parametrize("persona", PERSONAS)
def test_file_download_for_staff(login, network, persona):
    study = team_study(network, status=S.SUBMITTED)
    study_file = StudyFileFactory(study=study)
    url = manage("study_file_staff", study, file_pk=study_file.pk)
    check(login(network.people.get(persona)), "get", url, expected(persona, set(PERSONAS), ok=200))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_create_from_cycle(login, network, persona, method):
    cycle = cycle_start(team=network.team, user=network.people["coach"])
    url = reverse("knowledge_base:study_create_from_cycle", kwargs={"team_pk": network.team.pk})
    ok = 200 if method == "get" else 302
    check(
        login(network.people.get(persona)),
        method,
        url,
        expected(persona, AUTHORS, ok=ok),
        {"cycle": cycle.pk},
    )
    assert Study.objects.filter(cycle=cycle).exists() == (method == "post" and persona in AUTHORS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_enter_by_hand(login, network, persona):
    want = "login" if persona is None else (200 if persona == "network_admin" else 403)
    check(
        login(network.people.get(persona)),
        "get",
        reverse("knowledge_base:study_create_by_hand"),
        want,
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_pages_of_a_hand_entered_study_are_for_admins(login, network, persona):
    study = team_study(network, team=None)
    want = "login" if persona is None else (200 if persona == "network_admin" else 404)
    check(login(network.people.get(persona)), "get", manage("study_manage", study), want)


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_consent_link_works_without_login_and_only_with_the_token(client, network, method):
    author = StudyAuthorFactory(
        study=team_study(network), consent=StudyAuthor.Consent.PENDING, consent_token="t" * 43
    )
    url = reverse("knowledge_base:author_consent", kwargs={"token": "t" * 43})
    response = client.get(url) if method == "get" else client.post(url, {"answer": "agree"})
    assert response.status_code == (200 if method == "get" else 302)
    wrong = reverse("knowledge_base:author_consent", kwargs={"token": "x" * 43})
    assert client.get(wrong).status_code == 404
    author.refresh_from_db()
    assert (author.consent == StudyAuthor.Consent.AGREED) == (method == "post")


def test_an_empty_token_opens_nothing(client, network):
    StudyAuthorFactory(study=team_study(network), consent_token="")
    response = client.get("/studies/consent/%20/")
    assert response.status_code == 404


# --- Flows and bad input ------------------------------------------------------------------


def test_the_coach_edits_the_draft_and_sees_it_saved(login, network):
    study = team_study(network)
    client = login(network.people["coach"])
    response = client.post(
        manage("study_edit", study),
        {
            "title": "Feedback die vooruit kijkt",
            "summary": "Eén tip per tekst.",
            "language": "nl",
            "perspectives": ["pupils"],
            "themes": [t.pk for t in study.themes.all()],
        },
        follow=True,
    )
    assert "De studie is bewaard." in response.content.decode()
    study.refresh_from_db()
    assert (study.title, study.perspectives) == ("Feedback die vooruit kijkt", ["pupils"])


def test_an_edit_without_title_keeps_what_was_typed(login, network):
    study = team_study(network, title="Oude titel")
    client = login(network.people["coach"])
    response = client.post(
        manage("study_edit", study),
        {"title": "", "summary": "Mijn nieuwe samenvatting", "language": "nl"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dit veld is verplicht." in html
    assert "Mijn nieuwe samenvatting" in html
    study.refresh_from_db()
    assert study.title == "Oude titel"


def test_an_overlong_field_is_refused_with_a_message(login, network):
    study = team_study(network)
    client = login(network.people["coach"])
    response = client.post(
        manage("study_edit", study),
        {"title": "T", "summary": "S", "language": "nl", "findings": "x" * 10_001},
    )
    assert "niet meer dan 10000 tekens" in response.content.decode()
    study.refresh_from_db()
    assert study.findings != "x" * 10_001


def test_publishing_without_the_privacy_checklist_says_why(login, network):
    study = team_study(network, status=S.SUBMITTED)
    client = login(network.people["bridge_builder"])
    response = client.post(manage("study_publish", study), {"consent_for_data": "on"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Bevestig dat geen enkele leerling of ouder herkenbaar is" in html
    study.refresh_from_db()
    assert study.status == S.SUBMITTED


def test_publishing_names_the_authors_who_did_not_agree(login, network):
    study = team_study(network, status=S.SUBMITTED)
    StudyAuthorFactory(study=study, name="Jan Wacht", consent=StudyAuthor.Consent.PENDING)
    client = login(network.people["bridge_builder"])
    response = client.post(
        manage("study_publish", study), {"no_identifiable_people": "on", "consent_for_data": "on"}
    )
    html = response.content.decode()
    assert "Elke auteur moet akkoord gaan om vermeld te worden" in html
    assert "Jan Wacht" in html


def test_asking_for_changes_without_a_comment(login, network):
    study = team_study(network, status=S.SUBMITTED)
    response = login(network.people["bridge_builder"]).post(
        manage("study_request_changes", study), {"comment": ""}
    )
    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.content.decode()


def test_a_fake_pdf_upload_is_refused_with_a_dutch_message(login, network):
    from django.core.files.uploadedfile import SimpleUploadedFile

    study = team_study(network)
    response = login(network.people["coach"]).post(
        manage("study_file_upload", study),
        {"kind": "report", "file": SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00nep")},
    )
    assert response.status_code == 400
    assert "De inhoud van “rapport.pdf” komt niet overeen met de extensie .pdf." in (
        response.content.decode()
    )
    assert not StudyFile.objects.exists()


def test_submitting_a_submitted_study_shows_a_message(login, network):
    study = team_study(network, status=S.SUBMITTED)
    response = login(network.people["coach"]).post(manage("study_submit", study), follow=True)
    assert "Alleen een ontwerp of een studie waarvoor aanpassingen gevraagd zijn" in (
        response.content.decode()
    )


def test_an_unknown_theme_or_cycle_is_a_field_error(login, network):
    study = team_study(network)
    client = login(network.people["coach"])
    response = client.post(
        manage("study_edit", study),
        {"title": "T", "summary": "S", "language": "nl", "themes": ["99999"]},
    )
    assert "Selecteer een geldige keuze" in response.content.decode()
    cycle_start(team=network.team, user=network.people["coach"])
    other_cycle = cycle_start(team=network.other_team, user=network.people["outsider"])
    url = reverse("knowledge_base:study_create_from_cycle", kwargs={"team_pk": network.team.pk})
    response = client.post(url, {"cycle": other_cycle.pk})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Study.objects.filter(cycle=other_cycle).exists()


def test_the_consent_request_is_mailed_from_the_manage_page(
    login, network, django_capture_on_commit_callbacks
):
    study = team_study(network)
    author = StudyAuthorFactory(study=study, consent=StudyAuthor.Consent.PENDING)
    client = login(network.people["coach"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            manage("study_author_request", study, author_pk=author.pk), follow=True
        )
    assert "De toestemmingsvraag is per e-mail verstuurd." in response.content.decode()
    assert mail.outbox[0].to == [author.email]


def test_the_whole_review_through_the_pages(login, network):
    """Draft → submitted → changes requested → resubmitted → published → withdrawn."""
    coach, reviewer = network.people["coach"], network.people["bridge_builder"]
    study = team_study(network, title="Peerfeedback")
    StudyAuthorFactory(study=study, user=coach, name="Sara Peeters", email=coach.email,
                       consent=StudyAuthor.Consent.PENDING)  # fmt: skip

    client = login(coach)
    client.post(manage("study_submit", study))
    client = login(reviewer)
    client.post(manage("study_request_changes", study), {"comment": "Geen klasnamen."})
    client = login(coach)
    client.post(manage("study_author_answer", study, author_pk=study.authors.get().pk),
                {"answer": "agree"})  # fmt: skip
    client.post(manage("study_submit", study))
    client = login(reviewer)
    response = client.post(
        manage("study_publish", study),
        {"no_identifiable_people": "on", "consent_for_data": "on"},
        follow=True,
    )
    assert "De studie is gepubliceerd." in response.content.decode()
    study.refresh_from_db()
    assert client.get(study.get_absolute_url()).status_code == 200

    client.post(manage("study_withdraw", study), {"note": "Herwerkt."})
    assert client.get(study.get_absolute_url()).status_code == 410
    trail = list(study.events.order_by("pk").values_list("to_status", flat=True))
    assert trail == [S.SUBMITTED, S.CHANGES_REQUESTED, S.SUBMITTED, S.PUBLISHED, S.WITHDRAWN]


def test_manage_list_query_budget(login, network, django_assert_max_num_queries):
    for index in range(30):
        study = team_study(network, title=f"Studie {index}")
        StudyAuthorFactory.create_batch(2, study=study)
    client = login(network.people["bridge_builder"])
    # Issue 17, fourteenth session: the page's lists read with kept SQL; the budget
    # (was 9) is what it reads, 6: the session, the person, their scope, the inbox
    # badge, the studies and those waiting for review (the bridge-builder coaches
    # no team: nothing to ask).
    with django_assert_max_num_queries(6):
        response = client.get(reverse("knowledge_base:study_manage_list"))
    assert response.content.decode().count("status-badge status-draft") == 30


def test_manage_page_query_budget(login, network, django_assert_max_num_queries):
    study = team_study(network)
    for _ in range(15):
        StudyAuthorFactory(study=study)
        StudyFileFactory(study=study)
    client = login(network.people["coach"])
    # 12: eleven for the page (the attached questionnaire results read once), one
    # for the header's inbox badge (issue 14).
    with django_assert_max_num_queries(12):
        response = client.get(manage("study_manage", study))
    assert response.content.decode().count('data-testid="author-row"') == 15


def test_the_manage_list_shows_only_what_the_person_may_see(login, network):
    team_study(network, title="Studie van het eigen team")
    team_study(network, title="Met de hand ingevoerd", team=None)
    html = login(network.people["outsider"]).get(reverse("knowledge_base:study_manage_list"))
    assert "Studie van het eigen team" not in html.content.decode()
    html = login(network.people["coach"]).get(reverse("knowledge_base:study_manage_list"))
    assert "Studie van het eigen team" in html.content.decode()
    assert "Met de hand ingevoerd" not in html.content.decode()


@pytest.mark.parametrize(
    "persona, sees_the_teams, sees_the_hand_entered",
    [
        ("network_admin", True, True),
        ("bridge_builder", True, False),
        ("school_leader", True, False),
        ("process_facilitator", True, False),
        ("coach", True, False),
        ("research_teacher", True, False),
        ("outsider", False, False),
    ],
)
def test_the_manage_list_shows_each_person_the_studies_of_the_teams_they_can_see(
    login, network, persona, sees_the_teams, sees_the_hand_entered
):
    team_study(network, title="Studie van het eigen team")
    team_study(network, title="Met de hand ingevoerd", team=None)
    team_study(network, title="Studie van een ander team", team=network.other_team)
    html = login(network.people[persona]).get(reverse("knowledge_base:study_manage_list"))
    html = html.content.decode()
    assert ("Studie van het eigen team" in html) == sees_the_teams
    assert ("Met de hand ingevoerd" in html) == sees_the_hand_entered
    # the outsider coaches the other team
    assert ("Studie van een ander team" in html) == (persona in {"network_admin", "outsider"})


def test_the_manage_list_offers_a_draft_only_for_the_teams_i_coach_with_a_cycle(login, network):
    client = login(network.people["coach"])
    html = client.get(reverse("knowledge_base:study_manage_list")).content.decode()
    draft_url = reverse(
        "knowledge_base:study_create_from_cycle", kwargs={"team_pk": network.team.pk}
    )
    assert draft_url not in html  # no cycle yet
    cycle_start(team=network.team, user=network.people["coach"])
    html = client.get(reverse("knowledge_base:study_manage_list")).content.decode()
    assert draft_url in html and network.team.theme in html
    html = login(network.people["bridge_builder"]).get(reverse("knowledge_base:study_manage_list"))
    assert draft_url not in html.content.decode()  # not the team's coach


def test_the_manage_list_shows_every_study_waiting_for_review_the_dashboard_ten(login, network):
    for index in range(12):
        team_study(network, status=S.SUBMITTED, title=f"Ingediend {index:02}")
    client = login(network.people["bridge_builder"])
    html = client.get(reverse("knowledge_base:study_manage_list")).content.decode()
    waiting = html.split('data-testid="awaiting-review"')[1].split("</ul>")[0]
    assert waiting.count("<li>") == 12
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert sum(f"Ingediend {index:02}" in dashboard for index in range(12)) == 10


@pytest.mark.parametrize(
    "persona, sees",
    [
        ("bridge_builder", True),
        ("network_admin", True),
        ("coach", False),
        ("school_leader", False),
        ("process_facilitator", False),
        ("outsider", False),
    ],
)
def test_the_dashboard_lists_studies_waiting_for_my_review(login, network, persona, sees):
    team_study(network, status=S.SUBMITTED, title="Wacht op beoordeling")
    team_study(network, status=S.DRAFT, title="Nog een ontwerp")
    client = login(network.people[persona])
    for url in [reverse("dashboard"), reverse("knowledge_base:study_manage_list")]:
        html = client.get(url).content.decode()
        assert ('data-testid="awaiting-review"' in html) == sees, url
        assert "Nog een ontwerp" not in html.split('data-testid="awaiting-review"')[-1][:500]
    if sees:
        assert (
            "Studies die op jouw beoordeling wachten"
            in client.get(reverse("dashboard")).content.decode()
        )


# --- Reading the study as it will be published ------------------------------------------

FULL_TEXT = {
    "dilemma": "Leerlingen lezen de **feedback** niet.",
    "research_question": "Helpt één tip per tekst?",
    "inspiration": "Hattie en Timperley over *feed forward*.",
    "methods": "- Vragenlijst\n- Klasobservaties",
    "findings": "Twee derde paste de tip toe.",
    "action_and_effect": "Elke leerkracht geeft nu één tip.",
    "lessons": "Begin klein.",
}


def sections_html(content: bytes) -> list[str]:
    """The study's sections as rendered: heading text and body markup."""
    from lxml import html

    page = html.fromstring(content)
    return [
        html.tostring(section, encoding="unicode", with_tail=False)
        for section in page.xpath('//section[starts-with(@aria-labelledby, "section-")]')
    ]


def test_the_reviewer_reads_every_section_and_file_before_the_privacy_checklist(login, network):
    study = team_study(network, status=S.SUBMITTED, perspectives=["pupils"], **FULL_TEXT)
    StudyAuthorFactory(study=study, name="Sara Akkoord")
    StudyAuthorFactory(study=study, name="Piet Wacht", consent=StudyAuthor.Consent.PENDING)
    poster = StudyFileFactory(study=study, kind=StudyFile.Kind.POSTER, original_name="poster.pdf")
    report = StudyFileFactory(study=study, original_name="rapport.pdf")
    client = login(network.people["bridge_builder"])
    response = client.get(manage("study_manage", study))
    text = response.content.decode()
    preview = text[text.index('data-testid="study-preview"') :]
    # Every section, rendered from Markdown as on the public page, before the checklist.
    for name in FULL_TEXT:
        assert f'id="section-{name.replace("_", "-")}"' in preview
    assert "<strong>feedback</strong>" in preview and "<li>Klasobservaties</li>" in preview
    assert "Leerlingen" in preview[: preview.index("Privacychecklist")]
    assert "Sara Akkoord" in preview[: preview.index("</header>")]
    assert "Piet Wacht" not in preview[: preview.index("</header>")]
    for study_file in [poster, report]:
        download = client.get(manage("study_file_staff", study, file_pk=study_file.pk))
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF")
        assert study_file.original_name in preview

    # Published, the public page shows the very same sections.
    StudyAuthor.objects.filter(study=study).update(consent=StudyAuthor.Consent.AGREED)
    client.post(
        manage("study_publish", study), {"no_identifiable_people": "on", "consent_for_data": "on"}
    )
    study.refresh_from_db()
    assert study.status == S.PUBLISHED
    public = client.get(study.get_absolute_url()).content

    def normalised(sections):
        return [re.sub(r"</?h\d", "<h", section) for section in sections]

    assert len(sections_html(response.content)) == 7
    assert normalised(sections_html(response.content)) == normalised(sections_html(public))


def test_the_consent_page_shows_the_study_the_author_is_asked_to_be_named_on(client, network):
    study = team_study(network, status=S.SUBMITTED, **FULL_TEXT)
    StudyAuthorFactory(study=study, name="Sara Akkoord")
    StudyAuthorFactory(study=study, name="Jan Nee", consent=StudyAuthor.Consent.DECLINED)
    StudyAuthorFactory(study=study, consent=StudyAuthor.Consent.PENDING, consent_token="t" * 43)
    StudyFileFactory(study=study)
    response = client.get(reverse("knowledge_base:author_consent", kwargs={"token": "t" * 43}))
    assert response.status_code == 200
    text = response.content.decode()
    preview = text[text.index('data-testid="study-preview"') :]
    assert study.title in preview and study.summary in preview
    assert len(sections_html(response.content)) == 7
    assert "<strong>feedback</strong>" in preview and "Begin klein." in preview
    assert "Sara Akkoord" in preview and "Jan Nee" not in preview
    # The link opens the text, not the team's private files.
    assert "/files/" not in text


def test_the_review_labels_point_at_their_own_fields(login, network):
    from collections import Counter

    from lxml import html as lxml_html

    study = team_study(network, status=S.SUBMITTED)
    response = login(network.people["bridge_builder"]).get(manage("study_manage", study))
    page = lxml_html.fromstring(response.content)
    [label] = page.xpath('//label[normalize-space(.)="Wat moet er veranderen?*"]')
    field = page.get_element_by_id(label.get("for"))
    assert field.tag == "textarea"
    assert field.xpath("ancestor::form/@action") == [manage("study_request_changes", study)]
    ids = Counter(page.xpath("//@id"))
    assert [i for i, n in ids.items() if n > 1] == []


def test_removing_an_author_asks_first_and_works_without_javascript(login, network):
    study = team_study(network)
    author = StudyAuthorFactory(study=study, name="Jan Peeters")
    url = manage("study_author_remove", study, author_pk=author.pk)
    client = login(network.people["coach"])
    page = client.get(manage("study_manage", study)).content.decode()
    assert f'href="{url}"' in page and f'action="{url}"' not in page

    confirm = client.get(url)
    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Jan Peeters" in html and f'action="{url}"' in html
    assert StudyAuthor.objects.filter(pk=author.pk).exists()

    assert client.post(url).status_code == 302
    assert not StudyAuthor.objects.filter(pk=author.pk).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_author_removal_question_is_guarded_like_the_removal(login, network, persona):
    study = team_study(network)
    author = StudyAuthorFactory(study=study)
    url = manage("study_author_remove", study, author_pk=author.pk)
    check(login(network.people.get(persona)), "get", url, expected(persona, EDITORS, ok=200))
    assert StudyAuthor.objects.filter(pk=author.pk).exists()
