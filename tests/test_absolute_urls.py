"""Every absolute URL the platform hands out starts with LEERBRUG_BASE_URL: whichever
host name the request used, and never the Sites framework's ``example.com``."""

import datetime
import json
import re

import feedparser
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from lxml import etree, html

from accounts.services import user_send_invitation
from knowledge_base.services import study_submit
from network_sessions.mail import deliveries_scan
from network_sessions.services import session_cancel
from tests.knowledge_base import conftest as knowledge_base_fixtures
from tests.network_sessions import conftest as session_fixtures

BASE = "https://leerbrug.example.org"
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
OAI = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}

pytestmark = pytest.mark.django_db
library = knowledge_base_fixtures.library
plan = session_fixtures.plan


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.LEERBRUG_BASE_URL = BASE


def assert_no_other_host(text: str) -> None:
    """The requests come in on http://testserver; none of it may show."""
    assert "example.com" not in text
    assert "testserver" not in text


def test_sitemap_index_and_sections_use_the_base_url(client, library):
    index = client.get("/sitemap.xml").content
    sections = etree.fromstring(index).xpath("//s:sitemap/s:loc/text()", namespaces=SITEMAP)
    assert sorted(sections) == [f"{BASE}/sitemap-library.xml", f"{BASE}/sitemap-studies.xml"]
    studies = etree.fromstring(client.get("/sitemap-studies.xml").content)
    locations = studies.xpath("//s:url/s:loc/text()", namespaces=SITEMAP)
    assert sorted(locations) == sorted(f"{BASE}/studies/{s.slug}/" for s in library.published)
    library_map = client.get("/sitemap-library.xml").content
    assert etree.fromstring(library_map).xpath("//s:url/s:loc/text()", namespaces=SITEMAP) == [
        f"{BASE}/",
        f"{BASE}/studies/",
    ]
    assert_no_other_host(index.decode() + library_map.decode())


def test_atom_feed_links_use_the_base_url(client, library):
    response = client.get(reverse("knowledge_base:study_feed"))
    feed = feedparser.parse(response.content)
    assert feed.feed.link == f"{BASE}/studies/"
    assert {link.href for link in feed.feed.links} == {f"{BASE}/studies/", f"{BASE}/studies/feed/"}
    assert [entry.link for entry in feed.entries] == [
        f"{BASE}/studies/{s.slug}/" for s in library.published
    ]
    assert all(entry.id.startswith(BASE) for entry in feed.entries)
    assert_no_other_host(response.content.decode())


def test_oai_pmh_base_url_request_and_identifiers_use_the_base_url(client, library):
    identify = etree.fromstring(client.get("/oai", {"verb": "Identify"}).content)
    assert identify.xpath("//oai:baseURL/text()", namespaces=OAI) == [f"{BASE}/oai"]
    assert identify.xpath("//oai:request/text()", namespaces=OAI) == [f"{BASE}/oai"]
    response = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    identifiers = etree.fromstring(response.content).xpath("//dc:identifier/text()", namespaces=OAI)
    assert sorted(identifiers) == sorted(f"{BASE}/studies/{s.slug}/" for s in library.published)
    assert_no_other_host(response.content.decode())


def test_study_page_json_ld_canonical_link_and_citations_use_the_base_url(client, library):
    study = library.published[0]
    url = f"{BASE}/studies/{study.slug}/"
    page = html.fromstring(client.get(study.get_absolute_url()).content)
    (json_ld,) = page.xpath('//script[@type="application/ld+json"]/text()')
    assert json.loads(json_ld)["url"] == url
    assert page.xpath('//link[@rel="canonical"]/@href') == [url]
    assert page.xpath('//meta[@property="og:url"]/@content') == [url]
    ris = client.get(reverse("knowledge_base:study_citation_ris", args=[study.slug]))
    assert f"UR  - {url}" in ris.content.decode()
    bib = client.get(reverse("knowledge_base:study_citation_bib", args=[study.slug]))
    assert url in bib.content.decode()


def test_api_links_and_openapi_server_use_the_base_url(client, library):
    data = client.get(reverse("knowledge_base:api_study_list"), {"sort": "date"}).json()
    for result in data["results"]:
        assert result["url"] == f"{BASE}/studies/{result['slug']}/"
        assert result["api_url"] == f"{BASE}/api/studies/{result['slug']}/"
    assert len(data["results"]) == 3
    study = library.published[0]
    detail = client.get(reverse("knowledge_base:api_study_detail", args=[study.slug])).json()
    assert detail["url"] == f"{BASE}/studies/{study.slug}/"
    document = client.get(reverse("knowledge_base:api_openapi")).json()
    assert document["servers"] == [{"url": BASE}]


def test_api_next_and_previous_links_use_the_base_url(client, library, monkeypatch):
    monkeypatch.setattr("knowledge_base.api.API_PAGE_SIZE", 1)
    data = client.get(reverse("knowledge_base:api_study_list"), {"sort": "date", "page": 2}).json()
    assert data["next"] == f"{BASE}/api/studies/?sort=date&page=3"
    assert data["previous"] == f"{BASE}/api/studies/?sort=date&page=1"


def test_allauth_password_reset_mail_names_leerbrug_and_links_to_the_base_url(client, network):
    user = network.people["coach"]
    client.post(reverse("account_reset_password"), {"email": user.email})
    (message,) = mail.outbox
    assert f"{BASE}/accounts/password/reset/key/" in message.body
    assert "Leerbrug" in message.body
    assert_no_other_host(message.body)


def test_platform_mails_link_to_the_base_url(
    network,
    library,
    plan,
    django_capture_on_commit_callbacks,
):
    user_send_invitation(user=network.people["coach"])
    study = library.unpublished[0]
    study.team = network.team
    study.save()
    with django_capture_on_commit_callbacks(execute=True):
        study_submit(study=study, user=network.people["coach"])
    session = plan(starts_at=timezone.now() + datetime.timedelta(days=30))
    session_cancel(session=session, reason="De spreker is ziek.")
    deliveries_scan()
    subjects = " | ".join(message.subject for message in mail.outbox)
    assert "Welkom" in subjects and "Geannuleerd" in subjects and "beoordeling" in subjects
    for message in mail.outbox:
        body = message.body + "".join(str(content) for content, _type in message.alternatives)
        assert re.search(rf"{re.escape(BASE)}/\S+", body), message.subject
        assert_no_other_host(body)


def test_calendar_feed_address_and_ics_links_use_the_base_url(client, network, plan):
    session = plan()
    client.force_login(network.people["coach"])
    feed_url = client.get(reverse("network_sessions:calendar")).context["feed_url"]
    assert feed_url.startswith(f"{BASE}/calendar/") and feed_url.endswith(".ics")
    ics = client.get(reverse("network_sessions:ics", args=[session.pk])).content
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["URL"]) == f"{BASE}/sessions/{session.pk}/"
    assert_no_other_host(ics.decode())
