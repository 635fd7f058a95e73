"""Issue 15: a library that finds what people type, and relevance that is real at
any size (PostgreSQL: ranking every match, typos, languages, highlighting, feed)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from knowledge_base.generator import generate_studies
from knowledge_base.models import Study
from knowledge_base.search import SearchParams, search_studies
from knowledge_base.search.pg_heads import heads_are_fresh, refresh_heads
from knowledge_base.search.spelling import refresh_vocabulary, suggestion

from .conftest import make_study

pytestmark = pytest.mark.django_db

URL = reverse("knowledge_base:study_list")
FEED = reverse("knowledge_base:study_feed")


def titles(response) -> list[str]:
    return [s.title for s in response.context["page_obj"].object_list]


def exact_top(
    words: str, limit: int, offset: int = 0, level: str = "", city: str = ""
) -> list[int]:
    """Every match ranked by ts_rank_cd, ties newest first: what a page must show
    (of the studies of that school level or city only, when given)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT study_id FROM knowledge_base_search_entry
               WHERE search_vector @@ (websearch_to_tsquery('dutch', %s)
                                       || websearch_to_tsquery('english', %s))
                 AND (%s = '' OR school_level = %s) AND (%s = '' OR city = %s)
               ORDER BY ts_rank_cd(search_vector, websearch_to_tsquery('dutch', %s)
                                   || websearch_to_tsquery('english', %s)) DESC,
                        published_at DESC, study_id DESC
               LIMIT %s OFFSET %s""",
            [words, words, level, level, city, city, words, words, limit, offset],
        )
        return [row[0] for row in cursor.fetchall()]


def page_ids(words: str, page: int = 1, level: str = "", city: str = "") -> list[int]:
    params = SearchParams(q=words, levels=[level] if level else [], cities=[city] if city else [])
    result = search_studies(params, page_number=page)
    return [card.pk for card in result.page.object_list]


# The page query that reads a precomputed head (search/pg_heads.py).
FROM_HEAD = "knowledge_base_search_head_row"


def searched_sql(
    words: str, page: int = 1, level: str = "", city: str = ""
) -> tuple[list[int], str]:
    """The page's ids and every SQL statement the search sent."""
    with CaptureQueriesContext(connection) as queries:
        ids = page_ids(words, page, level, city)
    return ids, "\n".join(q["sql"] for q in queries)


def build_heads() -> None:
    """The vocabulary (which chooses the common words), then their heads."""
    refresh_vocabulary()
    assert refresh_heads() > 0


def make_heads_stale() -> None:
    with connection.cursor() as cursor:  # as any change to the library would
        cursor.execute("UPDATE knowledge_base_library_version SET version = version + 1")


def has_rum() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('knowledge_base_search_entry_vector_rum')")
        return cursor.fetchone()[0] is not None


@pytest.mark.postgres
def test_the_top_20_are_the_top_20_of_ranking_every_match(settings):
    """Relevance is real at any size: page 1 and 2 of a common, a medium and a
    rare word are those of ranking EVERY match exactly by ts_rank_cd, through the
    RUM index where the extension is there and through the GIN index without."""
    settings.LIBRARY_FACET_CACHE_SECONDS = 0
    generate_studies(count=700, seed=15)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_base_search_entry")
    words = ["leerlingen", "school onderzoek", "werkvorm", "feedback -ouders", "lezen OR rekenen"]
    build_heads()
    # The heads of the common words first (pg_heads.py), with and without a filter.
    for word in ("leerlingen", "school", "onderzoek"):
        for level in ("", "primary"):
            expected = exact_top(word, 40, level=level)
            assert len(expected) == 40, (word, level)
            for page in (1, 2):
                ids, queries = searched_sql(word, page, level)
                assert ids == expected[(page - 1) * 20 : page * 20], (word, level, page)
                assert FROM_HEAD in queries, (word, level, page)
    make_heads_stale()
    settings.LIBRARY_EXACT_RANK_LIMIT = 0  # these through RUM (where it is) as well
    paths = ["rum", "gin"] if has_rum() else ["gin"]
    for path in paths:
        if path == "gin" and has_rum():
            with connection.cursor() as cursor:  # the test's transaction only
                cursor.execute("DROP INDEX knowledge_base_search_entry_vector_rum")
        for word in words:
            expected = exact_top(word, 40)
            assert len(expected) > 20 or word == "werkvorm", word
            ids, queries = searched_sql(word)
            assert ids == expected[:20], (path, word)
            assert FROM_HEAD not in queries  # stale heads are never read
            assert page_ids(word, 2) == expected[20:40], (path, word)


@pytest.mark.postgres
def test_a_filter_that_leaves_few_of_the_matches_is_ranked_exactly(settings):
    """A common word in one city, on a page its head does not hold: ranking the
    city's few results exactly costs less than RUM ordering every match of the
    word, and is exactly right (pages 1 and 2 equal ranking every match)."""
    settings.LIBRARY_FACET_CACHE_SECONDS = 0
    settings.LIBRARY_EXACT_RANK_LIMIT = 0  # only the filter's share chooses the plan
    generate_studies(count=700, seed=15)
    make_heads_stale()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_base_search_entry")
    city = Study.objects.published().values_list("city", flat=True).order_by("city").first() or ""
    expected = exact_top("leerlingen", 40, city=city)
    assert 20 < len(expected) < 40, len(expected)  # fewer than a fifth of the matches
    for page in (1, 2):
        ids, queries = searched_sql("leerlingen", page, city=city)
        assert ids == expected[(page - 1) * 20 : page * 20], page
        assert "<=>" not in queries, page  # not through RUM
    # With -word too (the words still required): through GIN alone (@@@).
    expected = exact_top("leerlingen -werkvorm", 40, city=city)
    assert 20 < len(expected) < 40, len(expected)
    for page in (1, 2):
        ids, queries = searched_sql("leerlingen -werkvorm", page, city=city)
        assert ids == expected[(page - 1) * 20 : page * 20], page
        assert "<=>" not in queries and "@@@" in queries, page
    if has_rum():  # the whole library's matches still go through RUM
        assert "<=>" in searched_sql("leerlingen")[1]
        assert "<=>" in searched_sql("leerlingen -werkvorm")[1]


@pytest.mark.postgres
def test_studies_of_equal_relevance_are_newest_first_however_many_tie(network, settings):
    """150 studies with the same text rank equally; the RUM index hands them over
    in no particular order, so only 120 of them would be ranked: results up to
    LIBRARY_EXACT_RANK_LIMIT are ranked every one, and page 1 is the 20 newest."""
    settings.LIBRARY_FACET_CACHE_SECONDS = 0
    start = timezone.now() - datetime.timedelta(days=400)
    for hour in range(150):  # each newer than the one before: RUM's order of ties is
        make_study(  # the order of insertion here, the oldest first
            school=network.school,
            school_year=network.school_year,
            title="Een werkvorm",
            summary="Over een werkvorm.",
            published_at=start + datetime.timedelta(hours=hour),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_base_search_entry")
    expected = exact_top("werkvorm", 20)
    assert page_ids("werkvorm") == expected
    newest = Study.objects.filter(title="Een werkvorm").order_by("-published_at", "-id")
    assert expected == [study.pk for study in newest[:20]]


@pytest.mark.postgres
def test_a_study_published_after_the_heads_were_built_is_not_missed(
    settings, django_capture_on_commit_callbacks
):
    """The heads were built before the study was published: they are stale, so the
    page is ranked from every match (the new study on top), and the search
    schedules the rebuild, after which the page comes from the heads again."""
    settings.LIBRARY_FACET_CACHE_SECONDS = 0
    generate_studies(count=300, seed=15)
    build_heads()
    assert FROM_HEAD in searched_sql("leerlingen")[1]
    older = Study.objects.filter(status=Study.Status.PUBLISHED).first()
    newest = make_study(
        school=older.school,
        school_year=older.school_year,
        title="Leerlingen, leerlingen, leerlingen",
        summary="Wat leerlingen van leerlingen leren.",
    )
    with django_capture_on_commit_callbacks(execute=True) as rebuilds:
        ids, queries = searched_sql("leerlingen")
    assert ids[0] == newest.pk
    assert ids == exact_top("leerlingen", 20)
    assert FROM_HEAD not in queries
    assert len(rebuilds) == 1  # the rebuild, run at once by the test's Celery
    ids, queries = searched_sql("leerlingen")
    assert ids[0] == newest.pk
    assert FROM_HEAD in queries


@pytest.mark.postgres
def test_a_burst_of_searches_on_stale_heads_schedules_one_rebuild(
    settings, django_capture_on_commit_callbacks
):
    settings.LIBRARY_FACET_CACHE_SECONDS = 0
    generate_studies(count=100, seed=15)
    build_heads()
    make_heads_stale()
    with django_capture_on_commit_callbacks() as scheduled:
        for words in ("leerlingen", "school", "leerlingen"):
            page_ids(words)
    assert len(scheduled) == 1


@pytest.mark.postgres
def test_refresh_search_heads_if_stale_rebuilds_only_stale_heads(settings):
    generate_studies(count=100, seed=15)
    refresh_vocabulary()
    out = StringIO()
    call_command("refresh_search_heads", "--if-stale", stdout=out)
    assert "Heads of" in out.getvalue()
    assert heads_are_fresh()
    call_command("refresh_search_heads", "--if-stale", stdout=out)
    assert "The heads are fresh." in out.getvalue()
    make_heads_stale()
    assert not heads_are_fresh()
    call_command("refresh_search_heads", "--if-stale", stdout=out)
    assert heads_are_fresh()


@pytest.mark.postgres
def test_a_head_without_a_whole_page_that_passes_the_filters_falls_back(settings):
    """A head of 30 studies holds page 1 of a common word, not page 2 (the 21st to
    40th); nor page 1 of a city with fewer than 20 of the 30. Those pages are
    ranked from every match, and are still exact."""
    settings.LIBRARY_FACET_CACHE_SECONDS = 0
    settings.LIBRARY_HEAD_SIZE = 30
    generate_studies(count=300, seed=15)
    build_heads()
    ids, queries = searched_sql("leerlingen")
    assert ids == exact_top("leerlingen", 20)
    assert FROM_HEAD in queries and "ts_rank_cd" not in queries
    ids, queries = searched_sql("leerlingen", 2)
    assert ids == exact_top("leerlingen", 20, offset=20)
    assert FROM_HEAD in queries and "ts_rank_cd" in queries
    head = exact_top("leerlingen", 30)
    city = Study.objects.get(pk=head[-1]).city
    in_head = len(set(head) & set(exact_top("leerlingen", 300, city=city)))
    assert in_head < 20  # a city has a few of 300 studies
    ids, queries = searched_sql("leerlingen", city=city)
    assert ids == exact_top("leerlingen", 20, city=city)
    assert FROM_HEAD in queries and "ts_rank_cd" in queries


def exact_by_title(words: str, limit: int, offset: int = 0) -> list[int]:
    """Every match sorted by title: what a page sorted by title must show."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT s.id FROM knowledge_base_search_entry e
               JOIN knowledge_base_study s ON s.id = e.study_id
               WHERE e.search_vector @@ (websearch_to_tsquery('dutch', %s)
                                         || websearch_to_tsquery('english', %s))
               ORDER BY lower(s.title), s.title, s.id LIMIT %s OFFSET %s""",
            [words, words, limit, offset],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres
def test_pages_sorted_by_title_are_those_of_sorting_every_match(settings):
    """A word in most studies walks the studies in title order and stops after the
    page; a rarer one sorts its matches. Both give the exact pages."""
    settings.LIBRARY_FACET_CACHE_SECONDS = 0
    # 600: "werkvorm" is in about 7 % of the studies, so it fills two pages.
    generate_studies(count=600, seed=15)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_base_search_entry")
    for word, shape in [("leerlingen", "EXISTS"), ("werkvorm", "LATERAL")]:
        expected = exact_by_title(word, 40)
        assert len(expected) > 20, word
        for page in (1, 2):
            with CaptureQueriesContext(connection) as queries:
                result = search_studies(SearchParams(q=word, sort="title"), page_number=page)
            found = [card.pk for card in result.page.object_list]
            assert found == expected[(page - 1) * 20 : page * 20], (word, page)
            assert any(shape in q["sql"] and "lower(s.title)" in q["sql"] for q in queries)


@pytest.mark.postgres
def test_sort_by_newest_oldest_and_title(client, library):
    newest = [s.title for s in library.published]
    assert titles(client.get(URL, {"sort": "newest"})) == newest
    assert titles(client.get(URL, {"sort": "oldest"})) == newest[::-1]
    assert titles(client.get(URL, {"sort": "title"})) == sorted(newest)
    assert titles(client.get(URL, {"q": "leerlingen", "sort": "title"})) == sorted(
        ["Leesmotivatie in het derde leerjaar", "Peerfeedback bij schrijfopdrachten"]
    )
    html = client.get(URL, {"sort": "title"}).content.decode()
    assert '<option value="title" selected>Titel (A–Z)</option>' in html


def test_sort_by_title_and_oldest_on_any_database(client, library):
    newest = [s.title for s in library.published]
    assert titles(client.get(URL, {"sort": "oldest"})) == newest[::-1]
    assert titles(client.get(URL, {"sort": "title"})) == sorted(newest)


@pytest.mark.postgres
def test_a_typo_finds_the_study_and_says_what_it_searched(client, library):
    refresh_vocabulary()
    response = client.get(URL, {"q": "boekenkringn"})
    assert titles(response) == ["Leesmotivatie in het derde leerjaar"]
    html = response.content.decode()
    assert "Niets gevonden voor “boekenkringn”" in html
    assert "<strong>boekenkringen</strong>" in html
    assert 'href="?q=boekenkringn&amp;sort=relevance"' in html
    # A word the library knows is never "corrected".
    assert suggestion("boekenkringen") is None
    # Phrases and exclusions stay as typed; only the unknown word changes.
    assert suggestion('"derde leerjaar" welbevindn -feedback') == (
        '"derde leerjaar" welbevinden -feedback'
    )


@pytest.mark.postgres
def test_a_typo_is_never_corrected_to_a_word_of_an_unpublished_study(client, library):
    refresh_vocabulary()
    assert suggestion("geheimwoordd") is None
    response = client.get(URL, {"q": "geheimwoordd"})
    assert titles(response) == [] and "Geheimwoord" not in response.content.decode()


@pytest.mark.postgres
def test_a_typed_script_is_escaped_in_the_did_you_mean(client, library):
    refresh_vocabulary()
    html = client.get(URL, {"q": "<script>x</script> boekenkringn"}).content.decode()
    assert "<script>x</script>" not in html


@pytest.mark.postgres
def test_matching_words_are_marked_in_titles_and_the_title_is_escaped(client, network, library):
    make_study(
        school=network.school,
        school_year=network.school_year,
        title="Rekenangst <img src=x onerror=alert(1)> bij kleuters",
        summary="Over rekenangst.",
    )
    html = client.get(URL, {"q": "rekenangst"}).content.decode()
    assert "<mark>Rekenangst</mark> &lt;img src=x onerror=alert(1)&gt; bij kleuters" in html
    assert "<img src=x" not in html
    html = client.get(URL, {"q": "leesmotivatie"}).content.decode()
    assert "<mark>Leesmotivatie</mark> in het derde leerjaar" in html


@pytest.mark.postgres
def test_an_english_study_is_searched_in_english(client, network, library):
    """A study's language is stored; its texts are read with that language's
    stemming, so "study" finds "studies" in an English study and not in a Dutch
    one that happens to hold the English word."""
    english = make_study(
        school=network.school,
        school_year=network.school_year,
        language=Study.Language.ENGLISH,
        title="Playground games",
        summary="Our studies of playground games during the break.",
    )
    make_study(
        school=network.school,
        school_year=network.school_year,
        title="Speelplaats",
        summary="Wij citeren hier de Engelse term studies.",
    )
    assert titles(client.get(URL, {"q": "study"})) == [english.title]


@pytest.mark.postgres
def test_theme_school_and_city_names_are_searchable_and_linked(client, network, library):
    response = client.get(URL, {"q": network.other_school.name})
    assert set(titles(response)) == {
        "Peerfeedback bij schrijfopdrachten",
        "Welbevinden na de overstap naar het secundair",
    }
    assert titles(client.get(URL, {"q": "Well-being"})) == [
        "Welbevinden na de overstap naar het secundair"
    ]
    html = client.get(URL).content.decode()
    assert 'href="?theme=leesmotivatie"' in html
    assert f'href="?city={network.school.city}"' in html
    # The school links to its public page (issue 15), not to a search for its name.
    school_page = reverse("schools:public_detail", args=[network.school.slug])
    assert f'href="{school_page}">{network.school.name}</a>' in html
    assert client.get(school_page).status_code == 200


def test_the_help_text_promises_or(client, library):
    html = client.get(URL).content.decode()
    assert "OR tussen twee woorden" in html  # websearch_to_tsquery knows only OR


@pytest.mark.postgres
def test_or_and_minus_work_as_promised(client, library):
    assert set(titles(client.get(URL, {"q": "boekenkringen OR klasklimaat"}))) == {
        "Leesmotivatie in het derde leerjaar",
        "Welbevinden na de overstap naar het secundair",
    }
    assert titles(client.get(URL, {"q": "leerlingen -peerfeedback"})) == [
        "Leesmotivatie in het derde leerjaar"
    ]


def test_an_atom_feed_per_search_and_per_theme_holds_only_published_matches(client, library):
    feed = client.get(FEED, {"theme": "feedback"}).content.decode()
    assert "Peerfeedback bij schrijfopdrachten" in feed
    assert "Leesmotivatie in het derde leerjaar" not in feed
    assert "Geheimwoord" not in feed  # an unpublished study of the theme
    feed = client.get(FEED, {"q": "klasklimaat"}).content.decode()
    assert feed.count("<entry>") == 1 and "Welbevinden na de overstap" in feed
    assert "klasklimaat" in feed  # the feed's title names the search
    html = client.get(URL, {"q": "klasklimaat"}).content.decode()
    assert f'href="{FEED}?q=klasklimaat"' in html


def test_search_as_you_type_lists_published_studies_for_an_unfinished_word(client, library):
    response = client.get(
        URL, {"q": "leesmo"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="q-suggestions"
    )
    html = response.content.decode()
    assert "Leesmotivatie in het derde leerjaar" in html and "Onderzoeken voor wat je typt" in html
    assert "<html" not in html and "Geheimwoord" not in html  # a fragment, published only
    assert "HX-Target" in response["Vary"] and "HX-Target" in client.get(URL)["Vary"]
    empty = client.get(URL, {"q": "le"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="q-suggestions")
    assert empty.content.decode().strip() == ""
    # Without JavaScript the box is a plain search form.
    assert 'hx-get="/studies/"' in client.get(URL).content.decode()


@pytest.mark.postgres
def test_a_pure_exclusion_ranks_the_studies_holding_its_words_then_the_newest(network, settings):
    """``een -oudercafé``: ``een`` is a Dutch stop word, so in Dutch the search only
    leaves out and nearly every study matches. The studies holding one of the
    query's words rank first (English ones holding "een", and one holding the
    left-out word in its English form, which the Dutch half does not leave out),
    then every other newest first: pages 1-3 equal ranking every match, the page
    that holds both kinds included, and no index orders all of them (RUM) or
    reads every entry for the exclusion."""
    settings.LIBRARY_FACET_CACHE_SECONDS = 0
    settings.LIBRARY_EXACT_RANK_LIMIT = 0  # without the plan: through RUM
    generate_studies(count=300, seed=15)
    for number in range(24):  # ranked above 0: pages 1 and 2 (4 on page 2)
        make_study(
            school=network.school,
            school_year=network.school_year,
            language="en",
            title=f"Een {'een ' * (number % 3)}study {number}",
            summary="A study of een school.",
        )
    make_study(
        school=network.school,
        school_year=network.school_year,
        language="en",
        title="The oudercafé of a school",
        summary="Parents meet in the oudercafé.",
    )
    refresh_vocabulary()  # the index's word counts choose the plan
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_base_search_entry")
    words = "een -oudercafé"
    expected = exact_top(words, 60)
    assert len(expected) == 60
    for page in (1, 2, 3):
        ids, queries = searched_sql(words, page)
        assert ids == expected[(page - 1) * 20 : page * 20], page
        assert "@@@" in queries and "<=>" not in queries, page
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM knowledge_base_search_entry WHERE study_id = ANY(%s)"
            " AND ts_rank_cd(search_vector, websearch_to_tsquery('dutch', %s)"
            " || websearch_to_tsquery('english', %s)) > 0",
            [expected[20:40], words, words],
        )
        assert 0 < cursor.fetchone()[0] < 20  # page 2 holds both kinds
    # With a filter: the walk of the date index (a school level: many) or the
    # filter's index first (a city: few).
    for level, city in (("primary", ""), ("", network.school.city)):
        expected = exact_top(words, 40, level=level, city=city)
        assert len(expected) > 20, (level, city)
        for page in (1, 2):
            ids, queries = searched_sql(words, page, level, city)
            assert ids == expected[(page - 1) * 20 : page * 20], (level, city, page)
            assert "@@@" in queries, (level, city, page)
        assert ("NOT MATERIALIZED" in queries) == bool(level), (level, city)  # page 2's walk
    # Words a study must hold go on as before.
    assert "@@@" not in searched_sql("leerlingen -oudercafé")[1]
