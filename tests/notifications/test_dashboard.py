"""The "Waiting for you" panel at the top of the dashboard."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from knowledge_base import services as study_services
from knowledge_base.models import Study
from tests.knowledge_base.publishing import StudyAuthorFactory, team_study
from tests.monitoring.conftest import invite, make_round

pytestmark = pytest.mark.django_db


def dashboard(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("dashboard")).content.decode()


def test_a_study_sent_back_waits_at_the_top_of_the_coachs_dashboard(client, network):
    study = team_study(network, status=Study.Status.SUBMITTED, title="Peerfeedback")
    study_services.study_request_changes(
        study=study, user=network.people["bridge_builder"], comment="Geen klasnamen"
    )
    html = dashboard(client, network.people["coach"])
    assert 'data-testid="waiting-sent-back"' in html
    assert "Breng de gevraagde wijzigingen aan in “Peerfeedback”" in html
    assert html.index("Wacht op jou") < html.index("Mijn rollen")
    # Not for the research teacher (the coach leads the team) nor the outsider.
    assert "waiting-sent-back" not in dashboard(client, network.people["research_teacher"])
    assert "waiting-sent-back" not in dashboard(client, network.people["outsider"])


def test_consent_to_give_waits_for_the_author(client, network):
    study = team_study(network, status=Study.Status.SUBMITTED, title="Peerfeedback")
    author = StudyAuthorFactory(
        study=study, user=network.people["research_teacher"], name="Lotte", consent="pending"
    )
    study_services.study_author_request_consent(author=author, user=network.people["coach"])
    author.refresh_from_db()
    html = dashboard(client, network.people["research_teacher"])
    assert reverse("knowledge_base:author_consent", args=[author.consent_token]) in html
    assert "waiting-consent" not in dashboard(client, network.people["coach"])


def test_a_questionnaire_closing_soon_waits_until_it_is_filled_in(client, network, instrument):
    soon = make_round(network.school, network.school_year, instrument, closes_in=2)
    [invitation] = invite(soon, [network.people["mentor"]])
    assert 'data-testid="waiting-questionnaire"' in dashboard(client, network.people["mentor"])
    invitation.used = True
    invitation.save()
    assert "waiting-questionnaire" not in dashboard(client, network.people["mentor"])


def test_nothing_waiting_shows_no_panel(client, network):
    assert 'data-testid="waiting-panel"' not in dashboard(client, network.people["school_leader"])


def test_a_session_not_answered_yet_waits(client, network, plan):
    from network_sessions.services import session_respond
    from tests.network_sessions.conftest import brussels

    with time_machine.travel(brussels(2025, 11, 1, 9, 0), tick=False):
        session = plan(title="Lerend netwerk november")
        html = dashboard(client, network.people["coach"])
        assert 'data-testid="waiting-session"' in html
        assert "Kom je naar “Lerend netwerk november”?" in html
        session_respond(session=session, user=network.people["coach"], response="going")
        assert "waiting-session" not in dashboard(client, network.people["coach"])


def test_consent_waits_only_while_asked_and_the_study_is_not_published(client, network):
    """The studies that ask me are found from my own author rows (nineteenth session:
    not by asking every unpublished study): one answered, or one published, no
    longer waits; a study that asks someone else never shows."""
    asking = team_study(network, status=Study.Status.DRAFT, title="Leeshoeken")
    published = team_study(network, status=Study.Status.SUBMITTED, title="Kringgesprekken")
    other = team_study(network, status=Study.Status.SUBMITTED, title="Rekenhoek")
    teacher = network.people["research_teacher"]
    mine = StudyAuthorFactory(study=asking, user=teacher, name="Lotte", consent="pending")
    on_published = StudyAuthorFactory(
        study=published, user=teacher, name="Lotte", consent="pending"
    )
    theirs = StudyAuthorFactory(
        study=other, user=network.people["student_teacher"], name="Milan", consent="pending"
    )
    for author in (mine, on_published, theirs):
        study_services.study_author_request_consent(author=author, user=network.people["coach"])
    assert "Kringgesprekken" in dashboard(client, teacher)  # asked, still in review
    Study.objects.filter(pk=published.pk).update(
        status=Study.Status.PUBLISHED, slug="kringgesprekken", published_at=timezone.now()
    )
    html = dashboard(client, teacher)
    assert "Leeshoeken" in html
    assert "Kringgesprekken" not in html and "Rekenhoek" not in html
    mine.refresh_from_db()
    mine.consent = "given"
    mine.save()
    assert "Leeshoeken" not in dashboard(client, teacher)
