"""Search-as-you-type: a few studies for what is typed so far (the last word may be
unfinished), for the htmx list under the search box. Without JavaScript the
form simply searches when sent.

PostgreSQL: the finished words as Dutch or English words and the last one as a
prefix (``leesmo`` finds ``leesmotivatie``), ranked like the library (RUM where
there is one, else the newest matches). SQLite: the last word in the title.
"""

import re

from django.db import connections

from ..models import Study
from ..selectors import LibraryCard, library_cards

LIMIT = 5
_WORDS = re.compile(r"\w+")

# Finished words as Dutch or English words, the last one as a prefix; ranked
# through the RUM index, or else newest first.
_MATCH = """
    SELECT e.study_id FROM knowledge_base_search_entry e
    WHERE e.search_vector @@ (to_tsquery('pg_catalog.dutch', %(terms)s)
                              || to_tsquery('pg_catalog.english', %(terms)s))
"""
_RUM = (
    _MATCH
    + """
    ORDER BY e.search_vector <=> (to_tsquery('pg_catalog.dutch', %(terms)s)
                                  || to_tsquery('pg_catalog.english', %(terms)s))
    LIMIT %(limit)s"""
)
_NEWEST = _MATCH + "ORDER BY e.published_at DESC LIMIT %(limit)s"


def suggestions(q: str) -> list[LibraryCard]:
    """Up to ``LIMIT`` published studies for the text typed so far."""
    words = _WORDS.findall(q.lower())[:8]
    if not words or len("".join(words)) < 3:
        return []
    connection = connections[Study.objects.db]
    if connection.vendor != "postgresql":
        found = Study.objects.published().filter(title__icontains=words[-1])
        return library_cards(
            list(found.order_by("-published_at").values_list("pk", flat=True)[:LIMIT])
        )
    terms = " & ".join([*words[:-1], f"{words[-1]}:*"])  # \w+ only: no operators
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('knowledge_base_search_entry_vector_rum') IS NOT NULL")
        query = _RUM if cursor.fetchone()[0] else _NEWEST
        cursor.execute(query, {"terms": terms, "limit": LIMIT})
        ids = [row[0] for row in cursor.fetchall()]
    return library_cards(ids)
