"""Feeds, sitemap and API: they parse, validate against their schema, page with
next links, stay within a query budget, and never show anything unpublished."""

import feedparser
import jsonschema
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from lxml import etree

from knowledge_base.models import Study

from .conftest import make_study

pytestmark = pytest.mark.django_db

SECRET = "geheimwoord"
OAI_NS = {"oai": "http://www.openarchives.org/OAI/2.0/"}


def api_validator(client, component: str):
    document = client.get(reverse("knowledge_base:api_openapi")).json()
    schema = {"$ref": f"#/components/schemas/{component}", "components": document["components"]}
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_nothing_unpublished_leaks_anywhere(client, library):
    unpublished_slugs = {s.slug for s in library.unpublished if s.slug}
    assert unpublished_slugs == {"ingetrokken-studie"}

    def check(text: str, where: str):
        assert SECRET not in text.lower(), where
        assert "Geheimstad" not in text, where
        assert "ingetrokken-studie" not in text, where
        assert "Geheime Auteur" not in text, where

    # Search results and facet counts: "feedback" would count 2 and perspective
    # "experts" would appear if an unpublished study were counted.
    response = client.get(reverse("knowledge_base:study_list"), {"q": "leesmotivatie"})
    check(response.content.decode(), "search")
    response = client.get(reverse("knowledge_base:study_list"))
    facets = response.context["result"].facets
    assert {f.value: f.count for f in facets["theme"]}["feedback"] == 1
    assert "experts" not in {f.value for f in facets["perspective"]}
    assert response.context["result"].total == 3
    check(response.content.decode(), "list")
    for params in [{"q": SECRET}, {"city": "Geheimstad"}, {"perspective": "experts"}]:
        response = client.get(reverse("knowledge_base:study_list"), params)
        assert response.context["result"].total == 0, params

    check(client.get(reverse("knowledge_base:study_feed")).content.decode(), "feed")
    index = client.get("/sitemap.xml").content.decode()
    check(client.get("/sitemap-studies.xml").content.decode(), "sitemap")
    assert "sitemap-studies.xml" in index

    api = client.get(reverse("knowledge_base:api_study_list"), {"q": "leesmotivatie"})
    check(api.content.decode(), "api list")
    assert client.get(reverse("knowledge_base:api_study_list"), {"q": SECRET}).json()["count"] == 0
    for study in library.unpublished:
        if study.slug:
            assert client.get(f"/api/studies/{study.slug}/").status_code == 404
            page = client.get(f"/studies/{study.slug}/")
            # A withdrawn study keeps its address: 410 Gone with a short note, no content.
            assert page.status_code == (410 if study.status == "withdrawn" else 404)
            body = page.content.decode()
            assert SECRET not in body.lower() and "Geheime Auteur" not in body
    check(client.get(f"/api/studies/{library.published[0].slug}/").content.decode(), "detail")

    for verb in ["ListRecords", "ListIdentifiers"]:
        xml = client.get("/oai", {"verb": verb, "metadataPrefix": "oai_dc"}).content.decode()
        check(xml, verb)
        assert xml.count("<header>") == 3, verb
    for study in library.unpublished:
        response = client.get(
            "/oai",
            {"verb": "GetRecord", "metadataPrefix": "oai_dc",
             "identifier": f"oai:leerbrug:study:{study.pk}"},
        )  # fmt: skip
        check(response.content.decode(), f"GetRecord {study.status}")
        # A withdrawn study is a deleted record (a header only); the others never existed.
        expected = '<header status="deleted">' if study.status == "withdrawn" else "idDoesNotExist"
        assert expected in response.content.decode()


def test_a_withdrawn_study_disappears_from_every_surface(client, library):
    study = library.published[0]
    assert study.slug in client.get("/sitemap-studies.xml").content.decode()
    Study.objects.filter(pk=study.pk).update(status=Study.Status.WITHDRAWN)
    assert study.slug not in client.get("/sitemap-studies.xml").content.decode()
    assert study.slug not in client.get(reverse("knowledge_base:study_feed")).content.decode()
    assert client.get(f"/api/studies/{study.slug}/").status_code == 404


def test_atom_feed_parses_and_lists_newest_first(client, library):
    response = client.get(reverse("knowledge_base:study_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Leerbrug-kennisbank: pas gepubliceerde onderzoeken"
    assert [entry.title for entry in feed.entries] == [s.title for s in library.published]
    first = feed.entries[0]
    assert first.link.endswith(f"/studies/{library.published[0].slug}/")
    assert {tag.term for tag in first.tags} == {"Leesmotivatie"}


def test_sitemap_lists_published_studies_with_lastmod(client, library):
    xml = etree.fromstring(client.get("/sitemap-studies.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = xml.xpath("//s:url/s:loc/text()", namespaces=ns)
    assert sorted(loc.rsplit("/studies/", 1)[1] for loc in locations) == sorted(
        f"{s.slug}/" for s in library.published
    )
    assert len(xml.xpath("//s:url/s:lastmod", namespaces=ns)) == 3


def test_api_list_matches_the_openapi_schema_and_pages_with_next_links(client, network, library):
    for number in range(25):
        make_study(school=network.school, school_year=network.school_year,
                   title=f"Rekenstudie {number}", summary="Over rekenen.")  # fmt: skip
    validator = api_validator(client, "StudyPage")
    url = reverse("knowledge_base:api_study_list") + "?q=rekenen&sort=date"
    seen = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        data = response.json()
        validator.validate(data)
        seen += [study["title"] for study in data["results"]]
        url = data["next"]
        assert url is None or url.startswith(f"{settings.LEERBRUG_BASE_URL}/api/studies/?")
    assert seen == [f"Rekenstudie {n}" for n in range(25)]
    assert data["count"] == 25 and data["previous"] is not None


def test_api_detail_matches_the_schema_and_names_only_consenting_authors(client, library):
    study = library.published[0]
    response = client.get(reverse("knowledge_base:api_study_detail", args=[study.slug]))
    data = response.json()
    api_validator(client, "StudyDetail").validate(data)
    assert data["authors"] == ["Sara Peeters"]
    assert data["themes"] == [
        {"slug": "leesmotivatie", "name_nl": "Leesmotivatie", "name_en": "Reading motivation"}
    ]
    assert data["url"] == f"{settings.LEERBRUG_BASE_URL}/studies/{study.slug}/"


def test_openapi_document_is_a_valid_openapi_3_document(client, db):
    document = client.get(reverse("knowledge_base:api_openapi")).json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/api/studies/", "/api/studies/{slug}/"}
    for schema in document["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_api_and_library_accept_only_reads(client, db):
    for name in ["study_list", "api_study_list", "study_feed"]:
        assert client.post(reverse(f"knowledge_base:{name}")).status_code == 405


@pytest.mark.parametrize(
    "persona",
    [None, "coach", "student_teacher", "bridge_builder", "network_admin", "outsider"],
)
def test_permission_matrix_every_visitor_reads_the_public_library(login, network, library, persona):
    client = login(network.people[persona] if persona else None)
    slug = library.published[0].slug
    for url in [
        reverse("knowledge_base:study_list"),
        reverse("knowledge_base:study_feed"),
        f"/studies/{slug}/",
        reverse("knowledge_base:api_study_list"),
        f"/api/studies/{slug}/",
        reverse("knowledge_base:api_openapi"),
        "/oai?verb=Identify",
        "/sitemap.xml",
    ]:
        assert client.get(url).status_code == 200, (persona, url)
    for study in library.unpublished:
        if study.slug:
            expected = 410 if study.status == "withdrawn" else 404
            assert client.get(f"/studies/{study.slug}/").status_code == expected, persona


def _many_studies(network, library, count=30):
    themes = list(library.themes.values())
    for number in range(count):
        make_study(
            school=network.school if number % 2 else network.other_school,
            school_year=network.school_year if number % 3 else library.older_year,
            themes=themes[: 1 + number % 3],
            title=f"Leesstudie {number}",
            summary="Over leesmotivatie en leesplezier.",
            perspectives=["pupils", "parents"][: 1 + number % 2],
        )


LIST_BUDGET = 9


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "leesmotivatie"}, {"q": "leesmotivatie", "theme": "feedback", "level": "primary"}],
)
def test_library_query_budget(client, network, library, django_assert_max_num_queries, params):
    _many_studies(network, library)
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(reverse("knowledge_base:study_list"), params)
    # More rows on the page than queries allowed: an N+1 would break the budget.
    assert len(response.context["page_obj"].object_list) > LIST_BUDGET


def test_api_query_budget(client, network, library, django_assert_max_num_queries):
    _many_studies(network, library)
    with django_assert_max_num_queries(LIST_BUDGET):
        data = client.get(reverse("knowledge_base:api_study_list"), {"q": "leesplezier"}).json()
    assert len(data["results"]) == 20


def test_feed_and_oai_query_budgets(client, network, library, django_assert_max_num_queries):
    _many_studies(network, library)
    with django_assert_max_num_queries(4):
        client.get(reverse("knowledge_base:study_feed"))
    with django_assert_max_num_queries(6):
        response = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    # 33 published studies and the library's withdrawn one (a deleted record).
    assert response.content.decode().count("<record>") == 34


# --- The API keeps to its own description --------------------------------------------


def problem(response, status: int, client) -> dict:
    """The response is an RFC 9457 problem document that the OpenAPI document describes."""
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    data = response.json()
    api_validator(client, "Problem").validate(data)
    assert data["status"] == status and data["type"] == "about:blank"
    return data


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("sort=AAA", "sort"),
        ("sort=", "sort"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page=" + "9" * 30, "page"),
        ("q=" + "a" * 201, "q"),
        ("q=lezen&q=schrijven", "q"),
        ("q=%00", "q"),
        ("&".join(["theme=t"] * 21), "theme"),
        ("city=" + "x" * 101, "city"),
    ],
)
def test_api_refuses_a_query_outside_its_schema_with_a_problem_document(
    client, library, query, parameter
):
    response = client.get(f"{reverse('knowledge_base:api_study_list')}?{query}")
    data = problem(response, 400, client)
    assert [error["parameter"] for error in data["errors"]] == [parameter]


def test_api_accepts_every_value_its_schema_allows(client, library):
    url = reverse("knowledge_base:api_study_list")
    for query in ["sort=date", "sort=relevance", "page=1", "page=100000", "q=" + "a" * 200,
                  "&".join(["theme=t"] * 20), "city=" + "x" * 100, "q=", "onbekend=1"]:  # fmt: skip
        assert client.get(f"{url}?{query}").status_code == 200, query


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_api_answers_an_undeclared_method_with_405_and_allow_not_a_csrf_403(library, method):
    client = Client(enforce_csrf_checks=True)
    slug = library.published[0].slug
    for url in [
        reverse("knowledge_base:api_study_list"),
        reverse("knowledge_base:api_study_detail", args=[slug]),
        reverse("knowledge_base:api_openapi"),
    ]:
        response = getattr(client, method)(url)
        data = problem(response, 405, client)
        assert response["Allow"] == "GET, HEAD", url
        assert method.upper() in data["detail"]
    assert client.head(reverse("knowledge_base:api_study_list")).status_code == 200


def test_openapi_declares_the_400_and_405_problem_responses(client, db):
    paths = client.get(reverse("knowledge_base:api_openapi")).json()["paths"]
    problem_json = {"schema": {"$ref": "#/components/schemas/Problem"}}
    assert paths["/api/studies/"]["get"]["responses"]["400"]["content"] == {
        "application/problem+json": problem_json
    }
    for path in paths.values():
        not_allowed = path["get"]["responses"]["405"]
        assert not_allowed["content"] == {"application/problem+json": problem_json}
        assert "Allow" in not_allowed["headers"]
