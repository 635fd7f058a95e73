"""Issue 15: every match ranked, each study searched in its own language, typos
tolerated. PostgreSQL only (SQLite keeps its ``LIKE`` fallback).

- A RUM index on the stored vectors (extension ``rum``, Debian's
  ``postgresql-15-rum``), which returns matches in order of relevance from the
  index alone (search/pg_order.py). Created only where the extension is there
  and loads; otherwise the GIN index stays the only one and every match is
  ranked from the table (slower for very common words, never wrong): the
  migration never fails for want of it.
- ``knowledge_base_search_vector`` reads a study's texts with the configuration
  of its language (``english`` for English studies, else ``dutch``); theme names
  in both. The index is rebuilt as in 0005.
- ``knowledge_base_search_word``: the vocabulary of the published studies (words
  as written, lower case, with the number of studies holding them) with a
  trigram index (``pg_trgm``), for "Did you mean …?". Refilled by
  ``knowledge_base_refresh_vocabulary()`` (Celery beat, nightly, and here).
"""

import importlib

from django.db import migrations

previous = importlib.import_module("knowledge_base.migrations.0005_search_context")
ENTRY = "knowledge_base_search_entry"
RUM_INDEX = "knowledge_base_search_entry_vector_rum"

VECTOR_FUNCTION = """
CREATE OR REPLACE FUNCTION knowledge_base_search_config(language text)
RETURNS regconfig LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN language = 'en' THEN 'pg_catalog.english'::regconfig
                ELSE 'pg_catalog.dutch'::regconfig END
$$;
CREATE OR REPLACE FUNCTION knowledge_base_search_vector(s knowledge_base_study)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector(knowledge_base_search_config(s.language),
                                 coalesce(s.title, '')), 'A')
        || setweight(to_tsvector(knowledge_base_search_config(s.language),
                                 coalesce(s.summary, '')), 'B')
        || setweight(to_tsvector(knowledge_base_search_config(s.language),
                                 coalesce(s.research_question, '')), 'B')
        || setweight(to_tsvector(knowledge_base_search_config(s.language),
                                 coalesce(s.findings, '')), 'C')
        || setweight(to_tsvector(knowledge_base_search_config(s.language),
                                 coalesce(s.lessons, '')), 'C')
        || setweight(coalesce((
            SELECT to_tsvector('pg_catalog.dutch', string_agg(t.name_nl, ' ' ORDER BY t.id))
                || to_tsvector('pg_catalog.english', string_agg(t.name_en, ' ' ORDER BY t.id))
            FROM knowledge_base_study_themes st
            JOIN knowledge_base_theme t ON t.id = st.theme_id
            WHERE st.study_id = s.id), ''), 'B')
        || setweight(to_tsvector('pg_catalog.dutch', coalesce(s.city, '') || ' ' || coalesce((
            SELECT sc.name FROM schools_school sc WHERE sc.id = s.school_id), '')), 'D')
$$;
"""

VOCABULARY = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE knowledge_base_search_word (
    word text PRIMARY KEY,
    documents integer NOT NULL
);
CREATE INDEX knowledge_base_search_word_trgm
    ON knowledge_base_search_word USING gin (word gin_trgm_ops);
CREATE FUNCTION knowledge_base_refresh_vocabulary() RETURNS void LANGUAGE sql AS $$
    TRUNCATE knowledge_base_search_word;
    INSERT INTO knowledge_base_search_word (word, documents)
    SELECT word, ndoc FROM ts_stat($q$
        SELECT to_tsvector('pg_catalog.simple', concat_ws(' ', s.title, s.summary,
            s.research_question, s.findings, s.lessons, s.city, sc.name, (
                SELECT string_agg(t.name_nl || ' ' || t.name_en, ' ')
                FROM knowledge_base_study_themes st
                JOIN knowledge_base_theme t ON t.id = st.theme_id
                WHERE st.study_id = s.id)))
        FROM knowledge_base_study s LEFT JOIN schools_school sc ON sc.id = s.school_id
        WHERE s.status = 'published' AND s.published_at IS NOT NULL
    $q$) WHERE length(word) BETWEEN 3 AND 40 AND word !~ '[0-9]';
    ANALYZE knowledge_base_search_word;
$$;
SELECT knowledge_base_refresh_vocabulary();
"""

DROP_VOCABULARY = """
DROP FUNCTION IF EXISTS knowledge_base_refresh_vocabulary();
DROP TABLE IF EXISTS knowledge_base_search_word;
"""

RUM = f"""
CREATE EXTENSION IF NOT EXISTS rum;
CREATE INDEX {RUM_INDEX} ON {ENTRY} USING rum (search_vector rum_tsvector_ops);
"""


def _sync(*, language: bool) -> str:
    """The study trigger of 0005, also refreshing the vector when the language
    changes (``language``)."""
    columns = (*previous.TEXTS, "city", "school_id") + (("language",) if language else ())
    return previous.SYNC.format(
        searched_new=previous._searched("NEW", columns),
        searched_old=previous._searched("OLD", columns),
        perspectives=previous.previous.PERSPECTIVES.format(s="NEW"),
        columns=previous.previous.COLUMNS,
        values=previous._values("NEW", context=True),
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(VECTOR_FUNCTION + _sync(language=True))
    schema_editor.execute(previous.REBUILD.format(values=previous._values("s", context=True)))
    schema_editor.execute(VOCABULARY)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone() is None:
            return
        # The extension may be installed but not load (e.g. built for another minor
        # version than the running server): a savepoint keeps the migration alive.
        cursor.execute("SAVEPOINT rum")
        try:
            cursor.execute(RUM)
        except Exception:  # noqa: BLE001 - any failure leaves the GIN index alone
            cursor.execute("ROLLBACK TO SAVEPOINT rum")
        else:
            cursor.execute("RELEASE SAVEPOINT rum")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX};" + DROP_VOCABULARY)
    schema_editor.execute(previous.VECTOR_FUNCTION + _sync(language=False))
    schema_editor.execute("DROP FUNCTION IF EXISTS knowledge_base_search_config(text);")
    schema_editor.execute(previous.REBUILD.format(values=previous._values("s", context=True)))


class Migration(migrations.Migration):
    atomic = True
    dependencies = [("knowledge_base", "0005_search_context")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
