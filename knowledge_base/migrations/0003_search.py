"""Full-text search for the public library.

Adds ``Study.search_vector`` and, on PostgreSQL only, a trigger that fills it on
every INSERT/UPDATE (Dutch configuration, weighted fields) and a GIN index.
A trigger rather than a save() hook so that bulk_create, queryset.update() and
raw SQL can never leave a stale vector. On SQLite the column exists but stays
empty; the library falls back to a simple LIKE search there.
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

CREATE INDEX IF NOT EXISTS knowledge_base_study_search_gin
    ON knowledge_base_study USING gin (search_vector);

-- Fill the vector of rows that already exist (the trigger fires on this UPDATE).
UPDATE knowledge_base_study SET search_vector = NULL;
"""

DROP = """
DROP INDEX IF EXISTS knowledge_base_study_search_gin;
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
        ("knowledge_base", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="study",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_postgres_search, drop_postgres_search, elidable=False),
    ]
