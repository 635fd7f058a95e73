"""The library's search index: a narrow table of published studies.

Replaces the search vector stored on the (wide) study rows by
``knowledge_base_search_entry`` (model ``SearchEntry``), PostgreSQL only: one row
per *published* study with its weighted Dutch search vector and the facet values
(theme ids as an array, level, city, school year, perspectives). A search and its
facet counts read this one table: no join with the themes, no status filter, and
unpublished studies simply are not in it.

Triggers keep it current in the same transaction as the change:
- on ``knowledge_base_study`` (row level): a published study gets its row (the
  vector recomputed when a searched text changed), any other study loses it;
- on ``knowledge_base_study_themes`` (statement level, with transition tables, so a
  bulk insert of themes is one UPDATE): the theme ids of the studies concerned;
- TRUNCATE of either table empties the index or its theme ids.
The "library version" triggers of 0003_search still key the caches.

On SQLite nothing is created: the library falls back to a LIKE search there.
"""

import importlib

from django.contrib.postgres.fields import ArrayField
import django.contrib.postgres.search
from django.db import migrations, models
import django.db.models.deletion

# Weights: A = title, B = summary and research question, C = findings and lessons.
VECTOR = """
    setweight(to_tsvector('pg_catalog.dutch', coalesce({s}.title, '')), 'A')
    || setweight(to_tsvector('pg_catalog.dutch', coalesce({s}.summary, '')), 'B')
    || setweight(to_tsvector('pg_catalog.dutch', coalesce({s}.research_question, '')), 'B')
    || setweight(to_tsvector('pg_catalog.dutch', coalesce({s}.findings, '')), 'C')
    || setweight(to_tsvector('pg_catalog.dutch', coalesce({s}.lessons, '')), 'C')
"""
THEME_IDS = """coalesce((
    SELECT array_agg(st.theme_id ORDER BY st.theme_id)
    FROM knowledge_base_study_themes st WHERE st.study_id = {s}.id), '{{}}')"""
PERSPECTIVES = """ARRAY(SELECT jsonb_array_elements_text(
    CASE WHEN jsonb_typeof({s}.perspectives) = 'array' THEN {s}.perspectives ELSE '[]' END))"""
COLUMNS = "study_id, published_at, school_level, city, school_year_id, theme_ids, perspectives, search_vector"


def _values(s: str) -> str:
    return (
        f"{s}.id, {s}.published_at, {s}.school_level, {s}.city, {s}.school_year_id, "
        f"{THEME_IDS.format(s=s)}, {PERSPECTIVES.format(s=s)}, {VECTOR.format(s=s)}"
    )


CREATE = f"""
-- The vector now lives in the index table only.
DROP TRIGGER IF EXISTS knowledge_base_study_search_vector_update ON knowledge_base_study;
DROP FUNCTION IF EXISTS knowledge_base_study_search_vector();
DROP INDEX IF EXISTS knowledge_base_study_search_gin;

CREATE TABLE knowledge_base_search_entry (
    study_id bigint PRIMARY KEY,
    published_at timestamptz NOT NULL,
    school_level varchar(20) NOT NULL,
    city varchar(100) NOT NULL,
    school_year_id bigint,
    theme_ids bigint[] NOT NULL,
    perspectives text[] NOT NULL,
    search_vector tsvector NOT NULL  -- last: the short columns are read without walking it
);
-- Matching and ranking read the vector of every candidate: keep it in the row.
ALTER TABLE knowledge_base_search_entry ALTER COLUMN search_vector SET STORAGE MAIN;
-- fastupdate off: studies are written rarely and searched often, so entries go
-- straight into the index instead of a pending list every search must also scan.
CREATE INDEX knowledge_base_search_entry_vector_gin
    ON knowledge_base_search_entry USING gin (search_vector) WITH (fastupdate = off);
CREATE INDEX knowledge_base_search_entry_themes_gin
    ON knowledge_base_search_entry USING gin (theme_ids) WITH (fastupdate = off);
CREATE INDEX knowledge_base_search_entry_newest
    ON knowledge_base_search_entry (published_at DESC, study_id DESC);
CREATE INDEX knowledge_base_search_entry_level
    ON knowledge_base_search_entry (school_level, published_at DESC);
CREATE INDEX knowledge_base_search_entry_city
    ON knowledge_base_search_entry (city, published_at DESC);
CREATE INDEX knowledge_base_search_entry_year
    ON knowledge_base_search_entry (school_year_id, published_at DESC);

CREATE FUNCTION knowledge_base_search_entry_sync() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM knowledge_base_search_entry WHERE study_id = OLD.id;
        RETURN NULL;
    END IF;
    IF NEW.status <> 'published' OR NEW.published_at IS NULL THEN
        DELETE FROM knowledge_base_search_entry WHERE study_id = NEW.id;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status = 'published' AND OLD.published_at IS NOT NULL
        AND OLD.id = NEW.id
        AND (NEW.title, NEW.summary, NEW.research_question, NEW.findings, NEW.lessons)
            IS NOT DISTINCT FROM
            (OLD.title, OLD.summary, OLD.research_question, OLD.findings, OLD.lessons)
    THEN
        -- No searched text changed: keep the vector, refresh the short columns.
        UPDATE knowledge_base_search_entry SET
            published_at = NEW.published_at, school_level = NEW.school_level,
            city = NEW.city, school_year_id = NEW.school_year_id,
            perspectives = {PERSPECTIVES.format(s="NEW")}
        WHERE study_id = NEW.id
            AND (published_at, school_level, city, school_year_id, perspectives)
                IS DISTINCT FROM (NEW.published_at, NEW.school_level, NEW.city,
                                  NEW.school_year_id, {PERSPECTIVES.format(s="NEW")});
        IF FOUND OR EXISTS (SELECT 1 FROM knowledge_base_search_entry WHERE study_id = NEW.id)
        THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN
        DELETE FROM knowledge_base_search_entry WHERE study_id = OLD.id;
    END IF;
    INSERT INTO knowledge_base_search_entry ({COLUMNS})
        VALUES ({_values("NEW")})
    ON CONFLICT (study_id) DO UPDATE SET
        published_at = EXCLUDED.published_at, school_level = EXCLUDED.school_level,
        city = EXCLUDED.city, school_year_id = EXCLUDED.school_year_id,
        theme_ids = EXCLUDED.theme_ids, perspectives = EXCLUDED.perspectives,
        search_vector = EXCLUDED.search_vector;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER knowledge_base_search_entry_sync
    AFTER INSERT OR UPDATE OR DELETE ON knowledge_base_study
    FOR EACH ROW EXECUTE FUNCTION knowledge_base_search_entry_sync();

-- DELETE, not TRUNCATE: a TRUNCATE of both tables in one statement (as Django's
-- flush does) must not truncate the index table again from inside.
CREATE FUNCTION knowledge_base_search_entry_truncate() RETURNS trigger AS $$
BEGIN
    DELETE FROM knowledge_base_search_entry;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER knowledge_base_search_entry_truncate
    AFTER TRUNCATE ON knowledge_base_study
    FOR EACH STATEMENT EXECUTE FUNCTION knowledge_base_search_entry_truncate();

-- Themes: one UPDATE per statement for every study it touched.
CREATE FUNCTION knowledge_base_search_entry_themes() RETURNS trigger AS $$
BEGIN
    UPDATE knowledge_base_search_entry e SET theme_ids = {THEME_IDS.format(s="s")}
    FROM knowledge_base_study s
    WHERE s.id = e.study_id AND e.study_id IN (SELECT study_id FROM changed);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER knowledge_base_search_entry_themes_insert
    AFTER INSERT ON knowledge_base_study_themes REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION knowledge_base_search_entry_themes();
CREATE TRIGGER knowledge_base_search_entry_themes_delete
    AFTER DELETE ON knowledge_base_study_themes REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION knowledge_base_search_entry_themes();
CREATE TRIGGER knowledge_base_search_entry_themes_update_new
    AFTER UPDATE ON knowledge_base_study_themes REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION knowledge_base_search_entry_themes();
CREATE TRIGGER knowledge_base_search_entry_themes_update_old
    AFTER UPDATE ON knowledge_base_study_themes REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION knowledge_base_search_entry_themes();

CREATE FUNCTION knowledge_base_search_entry_themes_truncate() RETURNS trigger AS $$
BEGIN
    UPDATE knowledge_base_search_entry SET theme_ids = '{{}}' WHERE theme_ids <> '{{}}';
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER knowledge_base_search_entry_themes_truncate
    AFTER TRUNCATE ON knowledge_base_study_themes
    FOR EACH STATEMENT EXECUTE FUNCTION knowledge_base_search_entry_themes_truncate();

-- The studies published so far.
INSERT INTO knowledge_base_search_entry ({COLUMNS})
    SELECT {_values("s")} FROM knowledge_base_study s
    WHERE s.status = 'published' AND s.published_at IS NOT NULL;
ANALYZE knowledge_base_search_entry;
"""

DROP = """
DROP TRIGGER IF EXISTS knowledge_base_search_entry_sync ON knowledge_base_study;
DROP TRIGGER IF EXISTS knowledge_base_search_entry_truncate ON knowledge_base_study;
DROP TRIGGER IF EXISTS knowledge_base_search_entry_themes_insert ON knowledge_base_study_themes;
DROP TRIGGER IF EXISTS knowledge_base_search_entry_themes_delete ON knowledge_base_study_themes;
DROP TRIGGER IF EXISTS knowledge_base_search_entry_themes_update_new ON knowledge_base_study_themes;
DROP TRIGGER IF EXISTS knowledge_base_search_entry_themes_update_old ON knowledge_base_study_themes;
DROP TRIGGER IF EXISTS knowledge_base_search_entry_themes_truncate ON knowledge_base_study_themes;
DROP FUNCTION IF EXISTS knowledge_base_search_entry_sync();
DROP FUNCTION IF EXISTS knowledge_base_search_entry_truncate();
DROP FUNCTION IF EXISTS knowledge_base_search_entry_themes();
DROP FUNCTION IF EXISTS knowledge_base_search_entry_themes_truncate();
DROP TABLE IF EXISTS knowledge_base_search_entry;
"""


def create_search_entry(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_search_entry(apps, schema_editor):
    """Back to 0003: the vector on the study rows, with its trigger and index."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
        search = importlib.import_module("knowledge_base.migrations.0003_search")
        schema_editor.execute(search.CREATE)


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge_base", "0003_search"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchEntry",
                    fields=[
                        (
                            "study",
                            models.OneToOneField(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                primary_key=True,
                                related_name="search_entry",
                                serialize=False,
                                to="knowledge_base.study",
                            ),
                        ),
                        ("published_at", models.DateTimeField()),
                        ("school_level", models.CharField(blank=True, max_length=20)),
                        ("city", models.CharField(blank=True, max_length=100)),
                        ("school_year_id", models.BigIntegerField(null=True)),
                        (
                            "theme_ids",
                            ArrayField(
                                base_field=models.BigIntegerField(), default=list, size=None
                            ),
                        ),
                        (
                            "perspectives",
                            ArrayField(
                                base_field=models.CharField(max_length=30), default=list, size=None
                            ),
                        ),
                        ("search_vector", django.contrib.postgres.search.SearchVectorField()),
                    ],
                    options={
                        "db_table": "knowledge_base_search_entry",
                        "default_permissions": (),
                    },
                ),
            ],
            database_operations=[
                migrations.RunPython(create_search_entry, drop_search_entry, elidable=False),
            ],
        ),
        # Dropped after the trigger that wrote it (above); on the way back it is
        # added first, then 0003's trigger fills it again.
        migrations.RemoveField(model_name="study", name="search_vector"),
    ]
