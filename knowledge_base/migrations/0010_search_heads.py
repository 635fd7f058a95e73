"""Issue 15: the heads of the library's most common words, precomputed.

Ranking a word found in most of the library means scoring every one of its
matches (RUM or GIN alike: ~90,000 for ``leerlingen`` at 100,000 studies). For
each such word ``knowledge_base_search_head`` holds the search's ``tsquery`` as
text (any search that parses to the same ``tsquery`` can use it) and
``knowledge_base_search_head_row`` the first ``size`` studies of the one-word
search in the page query's exact order (``ts_rank_cd`` descending, newest first,
then id descending), with their facet columns (search/pg_heads.py).

Freshness never depends on the rebuild having run: the heads remember the
library version (migration 0003, bumped in the same transaction as every change
a search could show) they were built at, and are used only while it is still
the current version. ``knowledge_base_refresh_heads()`` rebuilds them (Celery,
debounced after a change; nightly with the vocabulary; after ``generate_studies``).
PostgreSQL only.
"""

from django.db import migrations

HEADS = """
-- One per common word: its search's tsquery as text ...
CREATE TABLE knowledge_base_search_head (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    query text NOT NULL UNIQUE
);
-- ... and its first studies in order, each with the facet columns of the search
-- index (so a filtered page walks the primary key and stops, reading no study).
CREATE TABLE knowledge_base_search_head_row (
    head_id integer NOT NULL,
    position integer NOT NULL,
    study_id bigint NOT NULL,
    school_level varchar(20) NOT NULL,
    city varchar(100) NOT NULL,
    school_year_id bigint,
    theme_ids bigint[] NOT NULL,
    perspectives text[] NOT NULL,
    PRIMARY KEY (head_id, position)
);
ALTER TABLE knowledge_base_search_head_row
    ALTER COLUMN school_level SET STORAGE MAIN, ALTER COLUMN city SET STORAGE MAIN,
    ALTER COLUMN theme_ids SET STORAGE MAIN, ALTER COLUMN perspectives SET STORAGE MAIN;
CREATE TABLE knowledge_base_search_head_version (
    id smallint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
-- Built at no version yet: never fresh until the first build.
INSERT INTO knowledge_base_search_head_version VALUES (1, -1);

CREATE FUNCTION knowledge_base_refresh_heads(min_share real, size integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    built_at bigint;
    words integer;
BEGIN
    -- One build at a time; searches keep reading the previous heads meanwhile
    -- (DELETE, not TRUNCATE, which would lock them out).
    LOCK TABLE knowledge_base_search_head_version IN EXCLUSIVE MODE;
    -- The version is read BEFORE the studies: a change committed in between makes
    -- the heads look stale (rebuilt again), never fresh with a study missing.
    SELECT version INTO built_at FROM knowledge_base_library_version WHERE id = 1;
    DELETE FROM knowledge_base_search_head_row;
    DELETE FROM knowledge_base_search_head;
    INSERT INTO knowledge_base_search_head (query)
    SELECT DISTINCT tsquery::text FROM (
        SELECT websearch_to_tsquery('pg_catalog.dutch', w.word)
            || websearch_to_tsquery('pg_catalog.english', w.word) AS tsquery
        FROM knowledge_base_search_word w
        WHERE w.documents >= greatest(1, min_share * (
            SELECT count(*) FROM knowledge_base_search_entry))
    ) parsed
    WHERE numnode(tsquery) > 0;
    INSERT INTO knowledge_base_search_head_row
    SELECT h.id, r.position, r.study_id, r.school_level, r.city, r.school_year_id,
           r.theme_ids, r.perspectives
    FROM knowledge_base_search_head h CROSS JOIN LATERAL (
        SELECT row_number() OVER (
                   ORDER BY t.rank DESC, t.published_at DESC, t.study_id DESC) AS position, t.*
        FROM (
            SELECT e.study_id, e.published_at, e.school_level, e.city, e.school_year_id,
                   e.theme_ids, e.perspectives,
                   ts_rank_cd(e.search_vector, h.query::tsquery) AS rank
            FROM knowledge_base_search_entry e
            WHERE e.search_vector @@ h.query::tsquery
            ORDER BY rank DESC, e.published_at DESC, e.study_id DESC
            LIMIT size
        ) t
    ) r
    ORDER BY h.id, r.position;
    -- e.g. a Dutch stop word that no English study holds
    DELETE FROM knowledge_base_search_head h WHERE NOT EXISTS (
        SELECT 1 FROM knowledge_base_search_head_row r WHERE r.head_id = h.id);
    SELECT count(*) INTO words FROM knowledge_base_search_head;
    UPDATE knowledge_base_search_head_version SET version = built_at WHERE id = 1;
    RETURN words;
END
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS knowledge_base_refresh_heads(real, integer);
DROP TABLE IF EXISTS knowledge_base_search_head_version;
DROP TABLE IF EXISTS knowledge_base_search_head_row;
DROP TABLE IF EXISTS knowledge_base_search_head;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(HEADS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("knowledge_base", "0009_inline_facet_columns")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
