"""Issue 15 (suggestions panel): how many published studies hold each *lexeme*
of the search index, beside the vocabulary of words as written.

The suggestions panel told a question's rare words from its common ones by the
vocabulary (``knowledge_base_search_word``), which counts words as written; but
a search matches the word's stem: ``meertalige`` is in no study as written
(count 0, so "rare") while its stem ``meertal`` is in 16,122 of 100,000 (as
``meertaligheid``). Such a word found and ranked the suggestions and made the
index hand over tens of thousands of matches. ``knowledge_base_search_lexeme``
holds the count the search index itself gives (``ts_stat`` over the stored
vectors), refilled with the vocabulary by ``knowledge_base_refresh_vocabulary()``
(nightly and after ``generate_studies``; here only the new table is filled).
PostgreSQL only.
"""

from django.db import migrations

VOCABULARY_WORDS = """
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
"""

# DELETE, not TRUNCATE: the panels reading the counts meanwhile see the old ones
# instead of waiting for the refill (~2 s at 100,000 studies).
LEXEMES = """
    DELETE FROM knowledge_base_search_lexeme;
    INSERT INTO knowledge_base_search_lexeme (lexeme, documents)
    SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM knowledge_base_search_entry');
    ANALYZE knowledge_base_search_lexeme;
"""

FORWARDS = f"""
CREATE TABLE knowledge_base_search_lexeme (
    lexeme text PRIMARY KEY,
    documents integer NOT NULL
);
CREATE OR REPLACE FUNCTION knowledge_base_refresh_vocabulary() RETURNS void LANGUAGE sql AS $$
{VOCABULARY_WORDS}
{LEXEMES}
$$;
{LEXEMES}
"""

BACKWARDS = f"""
CREATE OR REPLACE FUNCTION knowledge_base_refresh_vocabulary() RETURNS void LANGUAGE sql AS $$
{VOCABULARY_WORDS}
$$;
DROP TABLE IF EXISTS knowledge_base_search_lexeme;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    atomic = True
    dependencies = [("knowledge_base", "0010_search_heads")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
