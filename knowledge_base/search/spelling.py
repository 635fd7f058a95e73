"""Typos tolerated: "Did you mean …?" from the vocabulary of the published studies
(PostgreSQL: table ``knowledge_base_search_word`` with a trigram index, migration
0006, refilled nightly by ``knowledge_base.tasks.refresh_search_vocabulary``).

A word of the search that is not in the vocabulary is replaced by the most
similar word that is (``pg_trgm`` similarity ≥ ``pg_trgm.similarity_threshold``,
0.3; ties: the word in the most studies). Phrases, exclusions and ``or`` are kept
as typed. SQLite has no vocabulary: no suggestion there.
"""

import re

from django.db import connections

from ..models import Study

_WORD = re.compile(r"(?<![\w\"-])(\w{3,})(?![\w\"])")

SUGGEST = """
    SELECT w.input, (
        SELECT v.word FROM knowledge_base_search_word v
        WHERE v.word %% w.input
        ORDER BY similarity(v.word, w.input) DESC, v.documents DESC, v.word LIMIT 1)
    FROM unnest(%s::text[]) AS w(input)
    WHERE NOT EXISTS (SELECT 1 FROM knowledge_base_search_word v WHERE v.word = w.input)
"""


def suggestion(q: str) -> str | None:
    """The search text with its unknown words replaced by the nearest known ones;
    None when nothing would change (or on SQLite)."""
    connection = connections[Study.objects.db]
    words = sorted({m.lower() for m in _WORD.findall(_outside_quotes(q))} - {"or"})
    if connection.vendor != "postgresql" or not words:
        return None
    with connection.cursor() as cursor:
        cursor.execute(SUGGEST, [words])
        better = {word: found for word, found in cursor.fetchall() if found}
    if not better:
        return None

    def replace(match: re.Match) -> str:
        return better.get(match.group(1).lower(), match.group(1))

    parts = re.split(r'("[^"]*"?)', q)  # phrases stay as typed
    return "".join(p if p.startswith('"') else _WORD.sub(replace, p) for p in parts)


def _outside_quotes(q: str) -> str:
    return re.sub(r'"[^"]*"?', " ", q)


def refresh_vocabulary() -> None:
    """Refill the vocabulary from the published studies (a few seconds per 10,000)."""
    connection = connections[Study.objects.db]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT knowledge_base_refresh_vocabulary()")
