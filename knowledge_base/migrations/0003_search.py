"""Full-text search for the public library.

Adds ``Study.search_vector`` and, on PostgreSQL only:
- a trigger that fills it on every INSERT/UPDATE (Dutch configuration, weighted
  fields). A trigger rather than a save() hook, so bulk_create, queryset.update()
  and raw SQL can never leave a stale vector;
- its GIN index, and partial btree indexes for the facet filters;
- storage settings that keep the heap rows short (texts to TOAST, vector inline);
- a one-row "library version" bumped by statement triggers, which keys the facet
  cache (knowledge_base/search.py).
On SQLite the column exists but stays empty; the library falls back to a simple
LIKE search there. See docs/library.md.
"""

import django.contrib.postgres.search
from django.db import migrations

# Weights: A = title, B = summary and research question, C = findings and lessons.
CREATE = """
CREATE OR REPLACE FUNCTION knowledge_base_study_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('pg_catalog.dutch', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('pg_catalog.dutch', coalesce(NEW.summary, '')), 'B')
        || setweight(to_tsvector('pg_catalog.dutch', coalesce(NEW.research_question, '')), 'B')
        || setweight(to_tsvector('pg_catalog.dutch', coalesce(NEW.findings, '')), 'C')
        || setweight(to_tsvector('pg_catalog.dutch', coalesce(NEW.lessons, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS knowledge_base_study_search_vector_update ON knowledge_base_study;
CREATE TRIGGER knowledge_base_study_search_vector_update
    BEFORE INSERT OR UPDATE OF title, summary, research_question, findings, lessons, search_vector
    ON knowledge_base_study
    FOR EACH ROW EXECUTE FUNCTION knowledge_base_study_search_vector();

-- fastupdate off: studies are written rarely and searched often, so entries go
-- straight into the index instead of a pending list every search must also scan.
CREATE INDEX IF NOT EXISTS knowledge_base_study_search_gin
    ON knowledge_base_study USING gin (search_vector) WITH (fastupdate = off);

-- Facet filters on published studies, newest first (the library's default order).
CREATE INDEX IF NOT EXISTS knowledge_base_study_pub_city
    ON knowledge_base_study (city, published_at DESC) WHERE status = 'published';
CREATE INDEX IF NOT EXISTS knowledge_base_study_pub_level
    ON knowledge_base_study (school_level, published_at DESC) WHERE status = 'published';
CREATE INDEX IF NOT EXISTS knowledge_base_study_pub_year
    ON knowledge_base_study (school_year_id, published_at DESC) WHERE status = 'published';

-- Keep the heap narrow: the long texts move to TOAST (the facet query reads only
-- short columns), but the vector stays in the row (STORAGE MAIN): matching and
-- ranking read it for every candidate, and a TOAST fetch per row is ~10x slower.
ALTER TABLE knowledge_base_study SET (toast_tuple_target = 128);
ALTER TABLE knowledge_base_study ALTER COLUMN search_vector SET STORAGE MAIN;

-- A version number that changes whenever anything a search shows may change
-- (statement-level, transactional): cached facet counts are keyed on it.
CREATE TABLE IF NOT EXISTS knowledge_base_library_version (
    id smallint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO knowledge_base_library_version VALUES (1, 1) ON CONFLICT DO NOTHING;
CREATE OR REPLACE FUNCTION knowledge_base_library_version_bump() RETURNS trigger AS $$
BEGIN
    UPDATE knowledge_base_library_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS knowledge_base_library_version_study ON knowledge_base_study;
CREATE TRIGGER knowledge_base_library_version_study
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON knowledge_base_study
    FOR EACH STATEMENT EXECUTE FUNCTION knowledge_base_library_version_bump();
DROP TRIGGER IF EXISTS knowledge_base_library_version_themes ON knowledge_base_study_themes;
CREATE TRIGGER knowledge_base_library_version_themes
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON knowledge_base_study_themes
    FOR EACH STATEMENT EXECUTE FUNCTION knowledge_base_library_version_bump();
DROP TRIGGER IF EXISTS knowledge_base_library_version_theme ON knowledge_base_theme;
CREATE TRIGGER knowledge_base_library_version_theme
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON knowledge_base_theme
    FOR EACH STATEMENT EXECUTE FUNCTION knowledge_base_library_version_bump();
DROP TRIGGER IF EXISTS knowledge_base_library_version_year ON partnership_schoolyear;
CREATE TRIGGER knowledge_base_library_version_year
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partnership_schoolyear
    FOR EACH STATEMENT EXECUTE FUNCTION knowledge_base_library_version_bump();

-- Fill the vector of rows that already exist (the trigger fires on this UPDATE).
UPDATE knowledge_base_study SET search_vector = NULL;
"""

DROP = """
DROP TRIGGER IF EXISTS knowledge_base_library_version_study ON knowledge_base_study;
DROP TRIGGER IF EXISTS knowledge_base_library_version_themes ON knowledge_base_study_themes;
DROP TRIGGER IF EXISTS knowledge_base_library_version_theme ON knowledge_base_theme;
DROP TRIGGER IF EXISTS knowledge_base_library_version_year ON partnership_schoolyear;
DROP FUNCTION IF EXISTS knowledge_base_library_version_bump();
DROP TABLE IF EXISTS knowledge_base_library_version;
ALTER TABLE knowledge_base_study RESET (toast_tuple_target);
DROP INDEX IF EXISTS knowledge_base_study_search_gin;
DROP INDEX IF EXISTS knowledge_base_study_pub_city;
DROP INDEX IF EXISTS knowledge_base_study_pub_level;
DROP INDEX IF EXISTS knowledge_base_study_pub_year;
DROP TRIGGER IF EXISTS knowledge_base_study_search_vector_update ON knowledge_base_study;
DROP FUNCTION IF EXISTS knowledge_base_study_search_vector();
"""


def create_postgres_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_postgres_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge_base", "0002_author_language_and_themes"),
        ("partnership", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="study",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_postgres_search, drop_postgres_search, elidable=False),
    ]
