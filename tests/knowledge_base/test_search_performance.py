"""Search performance guards: the stored vector's GIN index is used, and a search
costs the same fixed number of queries whatever the number of studies."""

import datetime
import re

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from knowledge_base.generator import generate_studies
from knowledge_base.models import SearchEntry, Study
from knowledge_base.search import SearchParams, pg_page, search_studies
from knowledge_base.search.pg_query import PgSearch
from knowledge_base.search.spelling import refresh_vocabulary

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
        cursor.execute("SELECT gin_clean_pending_list('knowledge_base_search_entry_vector_gin')")
    with CaptureQueriesContext(connection) as queries:
        result = search_studies(params)
    assert result.total >= 1
    for card in result.page.object_list:
        assert card.school_level == "primary" and card.city == city
        assert "Rekenangst" in Study.objects.get(pk=card.pk).lessons
    text_queries = [
        q["sql"]
        for q in queries.captured_queries
        if "@@" in q["sql"] and not q["sql"].startswith("EXPLAIN")
    ]
    assert text_queries, "the search must match the stored vector"
    for sql in text_queries:
        # The stored column of the search index, never a vector computed per query.
        assert "e.search_vector @@" in sql
        assert "FROM knowledge_base_search_entry e" in sql
        assert "to_tsvector" not in sql
    with connection.cursor() as cursor:
        # A tiny table would be scanned sequentially; forbid that to see the planner
        # *can* use the index (SET LOCAL lasts for the test's transaction only).
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in text_queries:
            cursor.execute(f"EXPLAIN {sql}".replace("%s", "%%s"), [])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            # GIN, or RUM where the extension is there (migration 0006).
            assert re.search(r"knowledge_base_search_entry_vector_(gin|rum)", plan), plan


@pytest.mark.postgres
def test_trigger_fills_the_vector_with_weights(library):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM knowledge_base_search_entry WHERE study_id = %s",
            [library.published[0].pk],
        )
        vector = cursor.fetchone()[0]
    assert "'leesmotivatie':1A" in vector  # title: weight A, Dutch stem
    assert "'boekenkr':15B" in vector  # summary: weight B
    assert "'vrijwill':26C" in vector  # findings: weight C
    # After the texts: theme names in both languages (B), city and school name (D).
    # Theme names: the Dutch one read as Dutch, the English one as English.
    assert "'read':28B" in vector and "'motiv':29B" in vector
    assert "'anderlecht':30 " in vector and "'regenbog':33" in vector  # D: no letter


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
def test_a_library_no_bigger_than_the_sample_is_counted_exactly(client, library, settings):
    url = reverse("knowledge_base:study_list")
    exact = client.get(url).context["result"]
    settings.LIBRARY_FACET_EXACT_LIMIT = 1  # "many" matches ...
    settings.LIBRARY_FACET_CACHE_SECONDS = 0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_base_search_entry")
    result = client.get(url).context["result"]  # ... but the sample would be everything
    assert not result.facet_counts_sampled and not result.counts_are_estimates
    assert result.total == 3
    assert result.facets == exact.facets


def _matching(word: str) -> int:
    query = SearchQuery(word, config="dutch", search_type="websearch")
    return SearchEntry.objects.filter(search_vector=query).count()


@pytest.mark.postgres
def test_very_broad_searches_estimate_facets_from_a_sample(client, settings, db):
    generate_studies(count=400, seed=11)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_base_search_entry")
    url = reverse("knowledge_base:study_list")
    settings.LIBRARY_FACET_CACHE_SECONDS = 0
    settings.LIBRARY_FACET_SAMPLE_ROWS = 150  # about 40 % of the index's pages
    settings.LIBRARY_FACET_EXACT_LIMIT = 50
    settings.LIBRARY_COUNT_CAP = 100

    # A word in nearly every study: counts from the sample, and the page says so.
    response = client.get(url, {"q": "leerlingen"})
    result = response.context["result"]
    assert result.facet_counts_sampled and result.counts_are_estimates
    matches = _matching("leerlingen")
    assert matches > 300
    assert 0.6 * matches <= result.total <= 1.4 * matches
    assert sum(f.count for f in result.facets["level"]) == pytest.approx(result.total, rel=0.1)
    html = response.content.decode()
    assert f"Ongeveer {result.total} onderzoeken gevonden" in html
    assert "schattingen" in html
    assert len(result.page.object_list) == 20

    # A rare word: the sample finds few matches, so they are counted exactly.
    few = list(Study.objects.published().order_by("pk").values_list("pk", flat=True)[:3])
    Study.objects.filter(pk__in=few).update(lessons="Rekenangst verdwijnt niet vanzelf.")
    result = client.get(url, {"q": "rekenangst"}).context["result"]
    assert not result.facet_counts_sampled and not result.counts_are_estimates
    assert result.total == 3
    assert {s.pk for s in result.page.object_list} == set(few)

    # Many matches but a small total (a common word in one city): the facets stay
    # estimates, the total is recounted exactly.
    city = Study.objects.published().values_list("city", flat=True).first()
    response = client.get(url, {"q": "leerlingen", "city": city, "level": "primary"})
    result = response.context["result"]
    exact = (
        SearchEntry.objects.filter(city=city, school_level="primary")
        .filter(search_vector=SearchQuery("leerlingen", config="dutch"))
        .count()
    )
    assert result.facet_counts_sampled and not result.counts_are_estimates
    assert result.total == exact
    assert f"{exact} onderzoeken gevonden" in response.content.decode()
    # The ticked city and level count exactly those results too, not the sample's
    # estimate beside the exact total.
    for name, value in (("city", city), ("level", "primary")):
        ticked = [f for f in result.facets[name] if f.selected]
        assert [(f.value, f.count) for f in ticked] == [(value, exact)], name


@pytest.mark.postgres
def test_the_search_index_holds_exactly_the_published_studies(library, network):
    def entries():
        return {e.study_id: e for e in SearchEntry.objects.all()}

    published = {s.pk for s in library.published}
    assert set(entries()) == published  # drafts, submitted, withdrawn: not indexed
    study = library.published[0]
    feedback, welbevinden = library.themes["feedback"], library.themes["welbevinden"]

    study.themes.add(feedback, welbevinden)
    assert sorted(entries()[study.pk].theme_ids) == sorted(t.pk for t in study.themes.all())
    study.themes.remove(feedback)
    assert feedback.pk not in entries()[study.pk].theme_ids
    welbevinden.delete()
    assert welbevinden.pk not in entries()[study.pk].theme_ids

    vector = entries()[study.pk].search_vector
    Study.objects.filter(pk=study.pk).update(school_level="secondary", perspectives=["parents"])
    entry = entries()[study.pk]
    assert (entry.school_level, entry.perspectives) == ("secondary", ["parents"])
    assert entry.search_vector == vector  # nothing searched changed
    Study.objects.filter(pk=study.pk).update(city="Jette")
    entry = entries()[study.pk]
    assert entry.city == "Jette" and "jet" in entry.search_vector  # the city is searched
    Study.objects.filter(pk=study.pk).update(title="Rekenangst in de klas")
    assert "rekenangst" in entries()[study.pk].search_vector

    Study.objects.filter(pk=study.pk).update(status=Study.Status.WITHDRAWN)
    assert study.pk not in entries()
    draft = library.unpublished[0]
    assert draft.pk not in entries()
    Study.objects.filter(pk=draft.pk).update(
        status=Study.Status.PUBLISHED, slug="nu-gepubliceerd", published_at=timezone.now()
    )
    assert draft.pk in entries()
    assert sorted(entries()[draft.pk].theme_ids) == sorted(t.pk for t in draft.themes.all())
    library.published[1].delete()
    assert library.published[1].pk not in entries()


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


@pytest.mark.postgres
@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_a_date_window_never_changes_the_page(client, settings, db, monkeypatch, sort):
    """A sparse page is read from a date window the sample proposes (the newest
    results, or the oldest); the page must be exactly the one without the window."""
    with connection.cursor() as cursor:
        # Keep autovacuum off the index for the test: it writes the table's row
        # count in place, visible at once, and one that ran after the ANALYZE below
        # (counting none of this transaction's rows) made the index look tiny, so
        # every search "dense" and no window asked (seen once in CI).
        cursor.execute("LOCK TABLE knowledge_base_search_entry IN SHARE UPDATE EXCLUSIVE MODE")
    generate_studies(count=400, seed=5)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_base_search_entry")
    settings.LIBRARY_FACET_CACHE_SECONDS = 0
    settings.LIBRARY_FACET_SAMPLE_ROWS = 150
    settings.LIBRARY_FACET_EXACT_LIMIT = 10
    settings.LIBRARY_COUNT_CAP = 5  # no recount: the page query alone finds the page
    monkeypatch.setattr(pg_page, "WINDOW_SAFETY", 1)
    params = SearchParams(q="feedback", sort=sort)

    def page(number):
        with CaptureQueriesContext(connection) as queries:
            result = search_studies(params, page_number=number, per_page=2)
        sql = [q["sql"] for q in queries.captured_queries if "all_matches" in q["sql"]]
        return [card.pk for card in result.page.object_list], [
            "e.published_at >=" in q or "e.published_at <=" in q for q in sql
        ]

    first, windowed = page(1)
    second, _ = page(2)
    assert windowed[0], "the sample proposed no window"
    monkeypatch.setattr(pg_page, "WINDOW_FRACTIONS", ())
    assert page(1) == (first, [False])
    assert page(2) == (second, [False])
    assert len(first) == 2 and not set(first) & set(second)


@pytest.mark.postgres
def test_a_date_window_too_small_is_read_again_without_it(library):
    """The window is checked: one that holds fewer results than the page needs is
    dropped, and the page comes from all results."""
    query = PgSearch(SearchParams(q="leesmotivatie", sort="date"), "default")
    query.prelude(version=False)
    query.table_rows = 10**6  # "sparse"
    everything = pg_page.page_ids(query, 0, 20, total=2)[0]
    assert len(everything) == 2
    future = timezone.now() + datetime.timedelta(days=1)
    past = timezone.now() - datetime.timedelta(days=3650)
    with CaptureQueriesContext(connection) as queries:
        window = pg_page.page_ids(query, 0, 20, total=2, newest=[(10.0**9, future)])
    assert window[0] == everything
    assert ["e.published_at >=" in q["sql"] for q in queries.captured_queries] == [True, False]
    # A window holding as many as the page needs (here: both) is enough.
    with CaptureQueriesContext(connection) as queries:
        window = pg_page.page_ids(query, 0, 2, total=2, newest=[(10.0**9, past)])
    assert window[0] == everything
    assert ["e.published_at >=" in q["sql"] for q in queries.captured_queries] == [True]


@pytest.mark.postgres
def test_the_facet_columns_of_long_studies_stay_in_the_index_row(db):
    """A realistic study makes a search-index row over 2 kB; its short facet
    columns (themes, perspectives) must stay in the row rather than go to TOAST,
    where every facet count would read them three buffers at a time."""
    generate_studies(count=30, seed=7)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(pg_column_size(e.*)) FROM knowledge_base_search_entry e "
            "WHERE cardinality(e.perspectives) > 0"
        )
        # Long enough for PostgreSQL to shorten (it compresses rows down to about 2 kB).
        assert cursor.fetchone()[0] >= 2000
        cursor.execute(
            "SELECT pg_relation_size(reltoastrelid) FROM pg_class "
            "WHERE relname = 'knowledge_base_search_entry'"
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.postgres
def test_the_index_word_counts_spare_the_sample_and_a_stale_count_is_caught(client, settings, db):
    """A word the index's own counts (knowledge_base_search_lexeme) put under the
    exact limit is counted exactly without sampling first; a word new since those
    counts were made (counted 0) but in many studies is still found out: the
    exact count stops at the limit, and the sample is taken after all."""
    generate_studies(count=400, seed=11)
    refresh_vocabulary()  # the word counts, as every night
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_base_search_entry")
        cursor.execute(
            "SELECT word FROM knowledge_base_search_word WHERE documents BETWEEN 3 AND 15"
            " AND length(word) > 6 ORDER BY word LIMIT 1"
        )
        rare = cursor.fetchone()[0]
    url = reverse("knowledge_base:study_list")
    settings.LIBRARY_FACET_CACHE_SECONDS = 0
    settings.LIBRARY_FACET_SAMPLE_ROWS = 150
    settings.LIBRARY_FACET_EXACT_LIMIT = 50
    settings.LIBRARY_COUNT_CAP = 100

    with CaptureQueriesContext(connection) as queries:
        result = client.get(url, {"q": rare}).context["result"]
    assert not any("TABLESAMPLE" in q["sql"] for q in queries.captured_queries)
    assert not result.facet_counts_sampled and not result.counts_are_estimates
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM knowledge_base_search_entry WHERE search_vector @@"
            " (websearch_to_tsquery('dutch', %s) || websearch_to_tsquery('english', %s))",
            [rare, rare],
        )
        assert 3 <= result.total == cursor.fetchone()[0] <= 50

    many = list(Study.objects.published().order_by("pk").values_list("pk", flat=True)[:60])
    Study.objects.filter(pk__in=many).update(lessons="Rekenangst verdwijnt niet vanzelf.")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": "rekenangst"})
    sql = [q["sql"] for q in queries.captured_queries]
    assert any("TABLESAMPLE" in q for q in sql), "the stale count was not caught"
    result = response.context["result"]
    assert result.facet_counts_sampled  # estimates, as any search of that size
    assert result.total == 60 and not result.counts_are_estimates  # recounted
    assert {s.pk for s in result.page.object_list} <= set(many)
    assert len(result.page.object_list) == 20
