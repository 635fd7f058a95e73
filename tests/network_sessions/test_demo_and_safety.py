import pytest
from django.urls import reverse

from network_sessions import demo
from network_sessions.models import NetworkSession, Participation
from partnership.demo import seed_foundation

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_kind_past_and_upcoming_and_is_idempotent(client):
    network = seed_foundation()
    demo.seed(network)
    demo.seed(network)
    sessions = NetworkSession.objects.all()
    assert sessions.count() == 7
    assert set(sessions.values_list("kind", flat=True)) == set(NetworkSession.Kind.values)
    past = [s for s in sessions if s.has_started]
    assert past and len(past) < 7
    assert Participation.objects.filter(attended=True, session__in=past).exists()
    assert Participation.objects.filter(session__in=past).filter(attended__isnull=True).count() == 0

    client.force_login(network.people["coach"])
    html = client.get(reverse("dashboard")).content.decode()
    first = html.index('data-testid="dashboard-session"')
    assert "Lerend netwerk: data verzamelen bij leerlingen" in html[first : first + 1200]


def test_the_agenda_is_markdown_without_scripts_or_javascript_links(client, plan, network):
    session = plan(
        agenda="- **Welkom**\n- <script>alert(1)</script>\n- [klik](javascript:alert(2))",
        materials='<img src=x onerror="alert(3)"> [Artikel](https://example.org/artikel)',
    )
    client.force_login(network.people["coach"])
    html = client.get(reverse("network_sessions:detail", args=[session.pk])).content.decode()
    assert "<strong>Welkom</strong>" in html
    assert "<script>alert(1)" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
    assert 'href="https://example.org/artikel"' in html
