"""Search performance guards: the stored vector's GIN index is used, and a search
costs the same fixed number of queries whatever the number of studies."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from knowledge_base.generator import generate_studies
from knowledge_base.models import Study
from knowledge_base.search import SearchParams, search_studies

from .conftest import make_study

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
def test_search_plan_uses_the_gin_index_of_the_stored_vector(db):
    generate_studies(count=400, seed=7)
    primary = Study.objects.published().filter(school_level="primary")[:3]
    Study.objects.filter(pk__in=[s.pk for s in primary]).update(
        lessons="Rekenangst verdwijnt niet vanzelf."
    )
    city = primary[0].city
    params = SearchParams(q="rekenangst", levels=["primary"], cities=[city])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT gin_clean_pending_list('knowledge_base_study_search_gin')")
    with CaptureQueriesContext(connection) as queries:
        result = search_studies(params)
    assert result.total >= 1
    for study in result.page.object_list:
        assert study.school_level == "primary" and study.city == city
        assert "Rekenangst" in study.lessons
    text_queries = [q["sql"] for q in queries.captured_queries if "@@" in q["sql"]]
    assert text_queries, "the search must match the stored vector"
    for sql in text_queries:
        # The stored column, never a vector computed per query (to_tsvector).
        assert '"search_vector" @@' in sql
        assert "to_tsvector" not in sql
    with connection.cursor() as cursor:
        # A tiny table would be scanned sequentially; forbid that to see the planner
        # *can* use the index (SET LOCAL lasts for the test's transaction only).
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in text_queries:
            cursor.execute(f"EXPLAIN {sql}".replace("%s", "%%s"), [])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "knowledge_base_study_search_gin" in plan, plan


@pytest.mark.postgres
def test_trigger_fills_the_vector_with_weights(library):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM knowledge_base_study WHERE id = %s",
            [library.published[0].pk],
        )
        vector = cursor.fetchone()[0]
    assert "'leesmotivatie':1A" in vector  # title: weight A, Dutch stem
    assert "'boekenkr':15B" in vector  # summary: weight B
    assert "'vrijwill':26C" in vector  # findings: weight C


def test_a_search_costs_the_same_number_of_queries_with_more_studies(client, network, library):
    params = {"q": "leesmotivatie", "theme": "leesmotivatie", "city": "Anderlecht"}
    url = reverse("knowledge_base:study_list")
    with CaptureQueriesContext(connection) as few:
        client.get(url, params)
    for number in range(40):
        make_study(school=network.school, school_year=network.school_year,
                   themes=list(library.themes.values()),
                   title=f"Leesmotivatie {number}", perspectives=["pupils"])  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, params)
    assert len(response.context["page_obj"].object_list) == 20
    assert len(many) == len(few)


@pytest.mark.postgres
def test_cached_facet_counts_follow_every_change(client, library):
    url = reverse("knowledge_base:study_list")

    def themes():
        response = client.get(url)
        return response.context["result"].total, {
            f.value: f.count for f in response.context["result"].facets["theme"]
        }

    assert themes() == (3, {"leesmotivatie": 2, "feedback": 1, "welbevinden": 1})
    assert themes() == (3, {"leesmotivatie": 2, "feedback": 1, "welbevinden": 1})  # cached
    # A bulk update bypasses save() and signals; the statement trigger still sees it.
    Study.objects.filter(pk=library.published[1].pk).update(status=Study.Status.WITHDRAWN)
    assert themes() == (2, {"leesmotivatie": 1, "welbevinden": 1})
    library.published[2].themes.add(library.themes["feedback"])
    assert themes() == (2, {"leesmotivatie": 1, "welbevinden": 1, "feedback": 1})


@pytest.mark.postgres
def test_very_broad_searches_estimate_facets_from_a_sample(client, library, settings):
    url = reverse("knowledge_base:study_list")
    exact = client.get(url).context["result"]
    assert not exact.counts_are_estimates
    # Pretend 1 match is already "many"; sampling 100 % of the pages must then
    # reproduce the exact counts, and the page must say they are estimates.
    settings.LIBRARY_FACET_EXACT_LIMIT = 1
    settings.LIBRARY_FACET_SAMPLE_ROWS = 10**9
    settings.LIBRARY_FACET_CACHE_SECONDS = 0
    response = client.get(url)
    sampled = response.context["result"]
    assert sampled.facet_counts_sampled
    assert sampled.counts_are_estimates is False  # 3 ≤ count cap: recounted exactly
    assert sampled.total == 3
    assert sampled.facets == exact.facets
    assert "schattingen" in response.content.decode()
    settings.LIBRARY_COUNT_CAP = 2
    response = client.get(url)
    assert response.context["result"].counts_are_estimates
    assert "Ongeveer 3 onderzoeken gevonden" in response.content.decode()
    settings.LIBRARY_COUNT_CAP = 1  # the sample's 3 is over twice the cap: not recounted
    response = client.get(url)
    assert response.context["result"].counts_are_estimates
    assert response.context["result"].total == 3


@pytest.mark.postgres
def test_cached_result_pages_follow_every_change(client, library):
    """A repeated search reads its page's ids from the cache: same studies, same
    order, fresh highlights; any change to the library shows at once."""
    url = reverse("knowledge_base:study_list")
    params = {"q": "leesmotivatie"}

    def page():
        response = client.get(url, params)
        return [
            (study.title, str(study.snippet)) for study in response.context["page_obj"].object_list
        ]

    first = page()
    titles = [title for title, _ in first]
    assert titles == ["Leesmotivatie in het derde leerjaar", "Peerfeedback bij schrijfopdrachten"]
    with CaptureQueriesContext(connection) as queries:
        again = page()
    assert again == first  # same order, same snippets ...
    assert not [q for q in queries.captured_queries if "@@" in q["sql"]]  # ... no search ran
    Study.objects.filter(pk=library.published[0].pk).update(status=Study.Status.WITHDRAWN)
    assert [title for title, _ in page()] == ["Peerfeedback bij schrijfopdrachten"]
    Study.objects.filter(pk=library.published[2].pk).update(title="Leesmotivatie na de overstap")
    assert [title for title, _ in page()] == [
        "Leesmotivatie na de overstap",
        "Peerfeedback bij schrijfopdrachten",
    ]
    assert client.get(url, {**params, "sort": "date"}).status_code == 200
