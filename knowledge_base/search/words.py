"""The search syntax of the library, as the help text promises it: words (all must
occur), "a phrase in quotes" (its words in that order), ``-word`` or ``-"a phrase"``
to exclude, ``or`` between two terms for either. This is PostgreSQL's
``websearch_to_tsquery`` syntax; the SQLite fallback reads it with ``parse``.

Typographic quotes („…”, “…”, «…») count as quotes: a Dutch keyboard, a phone or
a pasted text gives those, and ``websearch_to_tsquery`` knows only ``"``.
"""

import re
from dataclasses import dataclass, field

_QUOTES = str.maketrans(dict.fromkeys("“”„‟«»＂", '"'))
# A term: an optional minus, then a quoted phrase (the closing quote may be
# missing) or a run of other characters.
_TERM = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
MAX_TERMS = 10


def websearch(q: str) -> str:
    """The search text for ``websearch_to_tsquery``: typographic quotes made plain."""
    return q.translate(_QUOTES)


@dataclass
class Terms:
    """What the words ask for: each group of ``required`` is a list of alternatives
    (one must occur), every one of ``excluded`` must not. A term is a word or a
    phrase (words joined by single spaces)."""

    required: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)


def parse(q: str) -> Terms:
    """The terms of a search text, at most ``MAX_TERMS`` of them (a search box is
    no place for a hundred words)."""
    terms = Terms()
    either = False  # the previous token was "or": this term joins the last group
    for minus, phrase, word in _TERM.findall(websearch(q))[: MAX_TERMS * 2]:
        text = " ".join((word or phrase).split())
        if not any(character.isalnum() for character in text):
            continue  # a lone "-" or quote: no term, as websearch_to_tsquery reads it
        if not minus and word.lower() == "or" and terms.required:
            either = True
            continue
        if minus:
            terms.excluded.append(text)
        elif either:
            terms.required[-1].append(text)
        else:
            terms.required.append([text])
        either = False
    terms.required = terms.required[:MAX_TERMS]
    terms.excluded = terms.excluded[:MAX_TERMS]
    return terms
