"""Knowledge injections: who may send a team a study, a session, a document or a
link, and the team finding it in its timeline."""

import pytest
from django.urls import reverse

from inspiration.models import KnowledgeInjection
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS

from .conftest import make_session

pytestmark = pytest.mark.django_db

#: persona → status of GET and of a valid POST.
EXPECTED = {
    "coach": (403, 403),
    "research_teacher": (403, 403),
    "student_teacher": (403, 403),
    "bridge_builder": (200, 302),
    "school_leader": (403, 403),
    "process_facilitator": (200, 302),
    "network_admin": (200, 302),
    "outsider": (404, 404),
    "placement_coordinator": (404, 404),
    "mentor": (404, 404),
    "starting_teacher": (404, 404),
    "career_changer": (404, 404),
    None: (302, 302),
}


def send_url(network):
    return reverse("inspiration:injection_send", args=[network.team.pk])


def test_every_persona_is_covered():
    assert set(EXPECTED) == {*PERSONAS, *CONTINUUM_PERSONAS, None}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_permission_matrix(network, library, login, persona):
    client = login(network.people[persona] if persona else None)
    get_status, post_status = EXPECTED[persona]
    assert client.get(send_url(network)).status_code == get_status
    response = client.post(
        send_url(network),
        {"kind": "study", "study": library.on_theme.slug, "note": "Lees dit eens."},
    )
    assert response.status_code == post_status
    sent = KnowledgeInjection.objects.filter(team=network.team).count()
    assert sent == (1 if get_status == 200 else 0)  # anonymous is sent to log in


def test_the_team_finds_a_sent_study_in_its_timeline(network, library, login):
    login(network.people["bridge_builder"]).post(
        send_url(network),
        {
            "kind": "study",
            "study": f"https://leerbrug.example/studies/{library.on_theme.slug}/",
            "note": "Kijk hoe zij de leesmotivatie maten.",
        },
    )
    page = login(network.people["research_teacher"]).get(
        reverse("research_cycle:team_workspace", args=[network.team.pk])
    )
    html = page.content.decode()
    assert "Kijk hoe zij de leesmotivatie maten." in html
    assert library.on_theme.get_absolute_url() in html
    assert "An Claes" in html  # who sent it


def test_a_sent_study_and_session_show_their_changes_on_the_timeline_at_once(
    network, library, login
):
    """The injection is remembered per process under everything it shows
    (``timeline_parts``): a renamed study, a moved session or a renamed sender is a
    new rendering, never a stale one."""
    session = make_session(network, kind="knowledge", title="Kennissessie lezen")
    client = login(network.people["process_facilitator"])
    client.post(
        send_url(network),
        {"kind": "study", "study": library.on_theme.slug, "note": "Lees dit."},
    )
    client.post(send_url(network), {"kind": "session", "session": session.pk, "note": "Kom!"})
    workspace = reverse("research_cycle:team_workspace", args=[network.team.pk])
    reader = login(network.people["research_teacher"])
    study_sent, session_sent = KnowledgeInjection.objects.order_by("pk")

    def shown() -> tuple[str, str]:
        """The two injections on the timeline (the suggestions panel names the same
        study and session: only the timeline's items count here)."""
        html = reader.get(workspace).content.decode()
        items = []
        for sent in (study_sent, session_sent):
            start = html.index(f'data-testid="injection-{sent.pk}"')
            items.append(html[start : html.index("</li>", start)])
        return items[0], items[1]

    study_before, session_before = shown()
    assert library.on_theme.title in study_before
    assert "Kennissessie lezen" in session_before
    library.on_theme.title = "Leesmotivatie in het derde leerjaar, herwerkt"
    library.on_theme.save()
    assert "Leesmotivatie in het derde leerjaar, herwerkt" in shown()[0]
    session.title = "Kennissessie begrijpend lezen"
    session.save()
    assert "Kennissessie begrijpend lezen" in shown()[1]
    sender = network.people["process_facilitator"]
    sender.full_name = "Fatima Ouali-Peeters"
    sender.save()
    study_after, _session_after = shown()
    assert "Fatima Ouali-Peeters" in study_after and "Fatima Ouali-Peeters" not in study_before


def test_a_session_and_a_link_can_be_sent(network, library, login):
    session = make_session(network, kind="knowledge", title="Kennissessie lezen")
    client = login(network.people["process_facilitator"])
    client.post(send_url(network), {"kind": "session", "session": session.pk, "note": "Kom!"})
    client.post(
        send_url(network),
        {"kind": "link", "url": "https://example.org/artikel", "title": "Artikel", "note": "Lees"},
    )
    kinds = set(KnowledgeInjection.objects.values_list("kind", flat=True))
    assert kinds == {"session", "link"}
    html = client.get(reverse("research_cycle:team_workspace", args=[network.team.pk])).content
    assert b"Kennissessie lezen" in html and b"https://example.org/artikel" in html


@pytest.mark.parametrize(
    "data, field",
    [
        ({"kind": "study", "study": "geheimwoord-draft"}, "study"),
        ({"kind": "study", "study": ""}, "study"),
        ({"kind": "link", "url": ""}, "url"),
        ({"kind": "link", "url": "niet een adres met spaties"}, "url"),
        ({"kind": "session", "session": "999999999999999999999"}, "session"),
        ({"kind": "anders"}, "kind"),
    ],
)
def test_bad_input_keeps_the_note_and_writes_nothing(network, library, login, data, field):
    library.hidden[0].slug = "geheimwoord-draft"
    library.hidden[0].save()
    response = login(network.people["bridge_builder"]).post(
        send_url(network), {**data, "note": "Mijn notitie blijft staan."}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Mijn notitie blijft staan." in response.content.decode()
    assert not KnowledgeInjection.objects.exists()


def test_no_injection_without_a_cycle_going_on(network, library, login):
    library.cycle.completed_at = library.cycle.started_at
    library.cycle.save()
    response = login(network.people["bridge_builder"]).post(
        send_url(network), {"kind": "study", "study": library.on_theme.slug, "note": "Lees dit."}
    )
    assert response.status_code == 200
    assert (
        "geen onderzoekscyclus" in response.content.decode()
        or response.context["form"].non_field_errors()
    )
    assert not KnowledgeInjection.objects.exists()
