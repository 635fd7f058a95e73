"""Issue 15: the facet columns of the search index stay in the row.

A search-index row is ~2.5 kB at realistic study lengths (the vector, kept
inline on purpose by 0004, is most of it). Rows over 2 kB are shortened by moving
their EXTENDED columns to TOAST, and the only ones left to move were the short
facet columns: every facet count, sample and page then read ``theme_ids`` and
``perspectives`` through the TOAST index (three buffer reads a row, 18,000 for
one sample of 3,000 rows). ``STORAGE MAIN`` keeps them inline; ``VACUUM FULL``
rewrites the rows already there (outside a transaction: the migration is not
atomic; the table is locked while it runs, about a minute at 100,000 studies).
PostgreSQL only.
"""

from django.db import migrations

ENTRY = "knowledge_base_search_entry"
COLUMNS = ("school_level", "city", "theme_ids", "perspectives")


def _storage(storage: str) -> str:
    changes = ", ".join(f"ALTER COLUMN {column} SET STORAGE {storage}" for column in COLUMNS)
    return f"ALTER TABLE {ENTRY} {changes};"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_storage("MAIN"))
        schema_editor.execute(f"VACUUM (FULL, ANALYZE) {ENTRY};")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_storage("EXTENDED"))


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("knowledge_base", "0008_title_order")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
