"""Issue 15: the library sorted by title without sorting every match.

An index on the published studies in title order (``lower(title), title, id``,
the order of the title sort, search/pg_order.py): a search whose words are in a
large share of the library walks it and stops after a page. PostgreSQL only.
"""

from django.db import migrations

INDEX = "knowledge_base_study_published_title"
CREATE = f"""
CREATE INDEX IF NOT EXISTS {INDEX} ON knowledge_base_study (lower(title), title, id)
    WHERE status = 'published' AND published_at IS NOT NULL;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX};")


class Migration(migrations.Migration):
    dependencies = [("knowledge_base", "0007_study_read_count")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
