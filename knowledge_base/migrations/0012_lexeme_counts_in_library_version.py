"""The library version also changes when the index's word counts are refilled.

``knowledge_base_search_lexeme`` (how many published studies hold each lexeme,
refilled nightly with the vocabulary) decides which words of a search or of a
team's question count as telling; what is kept under the library version (a
search's facet counts, a team's suggested studies) may change with it. A
statement trigger, as for the other tables of the library. PostgreSQL only.
"""

from django.db import migrations

CREATE = """
DROP TRIGGER IF EXISTS knowledge_base_library_version_lexemes ON knowledge_base_search_lexeme;
CREATE TRIGGER knowledge_base_library_version_lexemes
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON knowledge_base_search_lexeme
    FOR EACH STATEMENT EXECUTE FUNCTION knowledge_base_library_version_bump();
"""

DROP = """
DROP TRIGGER IF EXISTS knowledge_base_library_version_lexemes ON knowledge_base_search_lexeme;
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("knowledge_base", "0011_search_lexemes")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
