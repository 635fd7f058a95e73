"""The search index also finds a study by its context: its school's name, its city
and its themes' names in Dutch and English ("Molenbeek", "De Wimpel",
"Well-being"). PostgreSQL only (SQLite searches those fields directly).

- ``knowledge_base_search_vector(study)``: the one definition of a study's vector
  (weights A = title, B = summary, research question and theme names, C =
  findings and lessons, D = city and school name), used by every trigger.
- The study trigger recomputes the vector when a searched text, the city or the
  school changes; the study-theme trigger recomputes it with the theme ids.
- New statement triggers follow a renamed theme (the vectors of its studies) and a
  renamed school (the vectors of its studies, and the library version, which
  keys the caches: a theme rename already bumps it).
- Every vector is rebuilt: the index is emptied and refilled in this transaction
  (TRUNCATE + INSERT, the GIN indexes built afterwards, leaves a compact table and
  indexes; an UPDATE of every row would leave the table twice its size until
  ``VACUUM FULL``). About 1 s per 1,000 published studies on the 2-core machine;
  the index table is locked meanwhile (searches and writes to studies wait).
"""

import importlib

from django.db import migrations

previous = importlib.import_module("knowledge_base.migrations.0004_search_entry")
ENTRY = "knowledge_base_search_entry"

VECTOR_FUNCTION = """
CREATE OR REPLACE FUNCTION knowledge_base_search_vector(s knowledge_base_study)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('pg_catalog.dutch', coalesce(s.title, '')), 'A')
        || setweight(to_tsvector('pg_catalog.dutch', coalesce(s.summary, '')), 'B')
        || setweight(to_tsvector('pg_catalog.dutch', coalesce(s.research_question, '')), 'B')
        || setweight(to_tsvector('pg_catalog.dutch', coalesce(s.findings, '')), 'C')
        || setweight(to_tsvector('pg_catalog.dutch', coalesce(s.lessons, '')), 'C')
        || setweight(to_tsvector('pg_catalog.dutch', coalesce((
            SELECT string_agg(t.name_nl || ' ' || t.name_en, ' ' ORDER BY t.id)
            FROM knowledge_base_study_themes st
            JOIN knowledge_base_theme t ON t.id = st.theme_id
            WHERE st.study_id = s.id), '')), 'B')
        || setweight(to_tsvector('pg_catalog.dutch', coalesce(s.city, '') || ' ' || coalesce((
            SELECT sc.name FROM schools_school sc WHERE sc.id = s.school_id), '')), 'D')
$$;
"""

# The study row trigger of 0004, with what makes the vector stale and the vector.
SYNC = """
CREATE OR REPLACE FUNCTION knowledge_base_search_entry_sync() RETURNS trigger AS $$
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
        AND ({searched_new}) IS NOT DISTINCT FROM ({searched_old})
    THEN
        -- Nothing searched changed: keep the vector, refresh the short columns.
        UPDATE knowledge_base_search_entry SET
            published_at = NEW.published_at, school_level = NEW.school_level,
            city = NEW.city, school_year_id = NEW.school_year_id,
            perspectives = {perspectives}
        WHERE study_id = NEW.id
            AND (published_at, school_level, city, school_year_id, perspectives)
                IS DISTINCT FROM (NEW.published_at, NEW.school_level, NEW.city,
                                  NEW.school_year_id, {perspectives});
        IF FOUND OR EXISTS (SELECT 1 FROM knowledge_base_search_entry WHERE study_id = NEW.id)
        THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN
        DELETE FROM knowledge_base_search_entry WHERE study_id = OLD.id;
    END IF;
    INSERT INTO knowledge_base_search_entry ({columns}) VALUES ({values})
    ON CONFLICT (study_id) DO UPDATE SET
        published_at = EXCLUDED.published_at, school_level = EXCLUDED.school_level,
        city = EXCLUDED.city, school_year_id = EXCLUDED.school_year_id,
        theme_ids = EXCLUDED.theme_ids, perspectives = EXCLUDED.perspectives,
        search_vector = EXCLUDED.search_vector;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

THEMES = """
CREATE OR REPLACE FUNCTION knowledge_base_search_entry_themes() RETURNS trigger AS $$
BEGIN
    UPDATE knowledge_base_search_entry e SET {assignments}
    FROM knowledge_base_study s
    WHERE s.id = e.study_id AND e.study_id IN (SELECT study_id FROM changed);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

RENAMES = """
-- A renamed theme: the vectors of its studies (found through the theme ids' GIN).
CREATE FUNCTION knowledge_base_search_entry_theme_rename() RETURNS trigger AS $$
BEGIN
    UPDATE knowledge_base_search_entry e SET search_vector = knowledge_base_search_vector(s)
    FROM knowledge_base_study s
    WHERE s.id = e.study_id AND e.theme_ids && ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.name_nl, n.name_en) IS DISTINCT FROM (o.name_nl, o.name_en));
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER knowledge_base_search_entry_theme_rename
    AFTER UPDATE ON knowledge_base_theme
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION knowledge_base_search_entry_theme_rename();

-- A renamed school: the vectors of its studies, and the library version (cached
-- results may have changed; other changes to a school show in no search).
CREATE FUNCTION knowledge_base_search_entry_school_rename() RETURNS trigger AS $$
BEGIN
    UPDATE knowledge_base_search_entry e SET search_vector = knowledge_base_search_vector(s)
    FROM knowledge_base_study s
    WHERE s.id = e.study_id AND s.school_id IN (
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.name <> o.name);
    IF FOUND THEN
        UPDATE knowledge_base_library_version SET version = version + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER knowledge_base_search_entry_school_rename
    AFTER UPDATE ON schools_school
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION knowledge_base_search_entry_school_rename();
"""

DROP_RENAMES = """
DROP TRIGGER IF EXISTS knowledge_base_search_entry_theme_rename ON knowledge_base_theme;
DROP TRIGGER IF EXISTS knowledge_base_search_entry_school_rename ON schools_school;
DROP FUNCTION IF EXISTS knowledge_base_search_entry_theme_rename();
DROP FUNCTION IF EXISTS knowledge_base_search_entry_school_rename();
"""

TEXTS = ("title", "summary", "research_question", "findings", "lessons")
THEME_IDS = previous.THEME_IDS.format(s="s")
# The GIN indexes are built after the rows (3x faster than row by row, and compact).
REBUILD = f"""
TRUNCATE knowledge_base_search_entry;
DROP INDEX knowledge_base_search_entry_vector_gin;
DROP INDEX knowledge_base_search_entry_themes_gin;
INSERT INTO knowledge_base_search_entry ({previous.COLUMNS})
    SELECT {{values}} FROM knowledge_base_study s
    WHERE s.status = 'published' AND s.published_at IS NOT NULL;
CREATE INDEX knowledge_base_search_entry_vector_gin
    ON knowledge_base_search_entry USING gin (search_vector) WITH (fastupdate = off);
CREATE INDEX knowledge_base_search_entry_themes_gin
    ON knowledge_base_search_entry USING gin (theme_ids) WITH (fastupdate = off);
ANALYZE knowledge_base_search_entry;
UPDATE knowledge_base_library_version SET version = version + 1 WHERE id = 1;
"""


def _searched(row: str, columns: tuple[str, ...]) -> str:
    return ", ".join(f"{row}.{column}" for column in columns)


def _values(s: str, *, context: bool) -> str:
    """A row of the index for study ``s``, as 0004's ``_values`` but for the vector."""
    if not context:
        return previous._values(s)
    return (
        f"{s}.id, {s}.published_at, {s}.school_level, {s}.city, {s}.school_year_id, "
        f"{previous.THEME_IDS.format(s=s)}, {previous.PERSPECTIVES.format(s=s)}, "
        f"knowledge_base_search_vector({s})"
    )


def _functions(*, context: bool) -> str:
    """The trigger functions and the rebuild with the vector of this migration
    (``context``) or of 0004 (the texts only)."""
    columns = (*TEXTS, "city", "school_id") if context else TEXTS
    assignments = f"theme_ids = {THEME_IDS}"
    if context:
        assignments += ", search_vector = knowledge_base_search_vector(s)"
    sync = SYNC.format(
        searched_new=_searched("NEW", columns),
        searched_old=_searched("OLD", columns),
        perspectives=previous.PERSPECTIVES.format(s="NEW"),
        columns=previous.COLUMNS,
        values=_values("NEW", context=context),
    )
    rebuild = REBUILD.format(values=_values("s", context=context))
    return sync + THEMES.format(assignments=assignments) + rebuild


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(VECTOR_FUNCTION + _functions(context=True) + RENAMES)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            DROP_RENAMES
            + _functions(context=False)
            + "DROP FUNCTION IF EXISTS knowledge_base_search_vector(knowledge_base_study);"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge_base", "0004_search_entry"),
        ("schools", "0002_stable_role_order"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
