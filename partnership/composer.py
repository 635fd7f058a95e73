"""The learning-community composer's proposal: groups of at most four schools that
have something to learn together. Pure functions over plain data (``SchoolFacts``,
read by ``community_selectors.composer_facts``), so the rule is tested without a
database.

Two schools fit when they share themes (their research teams' and published
studies' themes weigh most), words of their learning questions and research
themes, their level, and lie close to each other (``cities.py``). Groups grow
greedily: the two groups whose schools fit best on average merge, as long as the
merged group has at most four schools and its schools fit at all (average > 0).
"""

import re
from dataclasses import dataclass, field
from itertools import combinations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .cities import distance_km
from .models import MAX_SCHOOLS_PER_LEARNING_COMMUNITY

THEME_WEIGHT = 3.0
WORD_WEIGHT = 1.0
MAX_WORDS_COUNTED = 3
LEVEL_WEIGHT = 3.0
#: (at most km, score): near schools meet easily, far ones less so.
DISTANCE_SCORES = ((5.0, 2.0), (12.0, 1.0), (25.0, 0.0))
FAR_SCORE = -2.0
#: Words too common in learning questions to say two schools share a question.
COMMON_WORDS = frozenset(
    [
        "hoe",
        "onze",
        "leerlingen",
        "leerling",
        "leraren",
        "leerkrachten",
        "school",
        "scholen",
        "kunnen",
        "willen",
        "wij",
        "welke",
        "waarom",
        "zodat",
        "meer",
        "beter",
        "samen",
        "rond",
        "tussen",
        "binnen",
        "onderwijs",
        "klassen",
        "klas",
        "team",
        "teams",
    ]
)


@dataclass
class SchoolFacts:
    pk: int
    name: str
    level: str
    city: str
    themes: dict[int, str] = field(default_factory=dict)  # theme id → name
    words: set[str] = field(default_factory=set)


@dataclass
class ProposedGroup:
    schools: list[SchoolFacts]
    reasons: list[str] = field(default_factory=list)


def words_of(text: str) -> set[str]:
    """The telling words of a learning question or research theme."""
    return {w for w in re.findall(r"\w{5,}", text.lower()) if w not in COMMON_WORDS}


def fit(a: SchoolFacts, b: SchoolFacts) -> float:
    """How well two schools would learn together (higher is better)."""
    score = THEME_WEIGHT * len(a.themes.keys() & b.themes.keys())
    score += WORD_WEIGHT * min(MAX_WORDS_COUNTED, len(a.words & b.words))
    if a.level == b.level:
        score += LEVEL_WEIGHT
    distance = distance_km(a.city, b.city)
    if distance is not None:
        score += next((s for limit, s in DISTANCE_SCORES if distance <= limit), FAR_SCORE)
    return score


def _average_fit(group: list[SchoolFacts], other: list[SchoolFacts]) -> float:
    pairs = [(a, b) for a in group for b in other]
    return sum(fit(a, b) for a, b in pairs) / len(pairs)


def compose(schools: list[SchoolFacts]) -> list[ProposedGroup]:
    """Groups of at most four schools, each with the reasons it was proposed;
    schools that fit nobody stay alone (a group of one)."""
    _drop_common_words(schools)
    groups = [[school] for school in sorted(schools, key=lambda s: s.name)]
    while True:
        best: tuple[float, int, int] | None = None
        for i, j in combinations(range(len(groups)), 2):
            if len(groups[i]) + len(groups[j]) > MAX_SCHOOLS_PER_LEARNING_COMMUNITY:
                continue
            score = _average_fit(groups[i], groups[j])
            if score > 0 and (best is None or score > best[0]):
                best = (score, i, j)
        if best is None:
            break
        _score, i, j = best
        groups[i] = groups[i] + groups.pop(j)
    groups.sort(key=lambda g: (-len(g), g[0].name))
    return [ProposedGroup(schools=g, reasons=reasons_for(g)) for g in groups]


def _drop_common_words(schools: list[SchoolFacts]) -> None:
    """Words that most schools' questions hold (a network-wide question) tell no
    two schools apart: leave them out."""
    counts: dict[str, int] = {}
    for school in schools:
        for word in school.words:
            counts[word] = counts.get(word, 0) + 1
    common = {word for word, count in counts.items() if count > len(schools) / 2}
    for school in schools:
        school.words -= common


def reasons_for(group: list[SchoolFacts]) -> list[str]:
    """Why these schools were put together, in the reader's language."""
    if len(group) < 2:
        return [_("No other school fits this one well; place it by hand.")]
    reasons = []
    shared = _shared_by_two(
        [set(s.themes) for s in group], names={k: v for s in group for k, v in s.themes.items()}
    )
    if shared:
        reasons.append(_("Shared themes: %(themes)s.") % {"themes": ", ".join(shared)})
    words = _shared_by_two([s.words for s in group])
    if words:
        reasons.append(
            _("Their learning questions and themes share: %(words)s.")
            % {"words": ", ".join(words[:5])}
        )
    levels = {s.level for s in group}
    if len(levels) == 1:
        reasons.append(_("All at the same level."))
    distances = [distance_km(a.city, b.city) for a, b in combinations(group, 2)]
    known = [d for d in distances if d is not None]
    if known and len(known) == len(distances):
        farthest = round(max(known))
        reasons.append(
            ngettext(
                "At most %(km)d kilometre apart.", "At most %(km)d kilometres apart.", farthest
            )
            % {"km": farthest}
        )
    else:
        reasons.append(_("The distance between some of these cities is not known."))
    return reasons


def _shared_by_two(sets: list[set], names: dict | None = None) -> list[str]:
    """The values that at least two of the sets hold (their names, sorted)."""
    seen: dict[object, int] = {}
    for values in sets:
        for value in values:
            seen[value] = seen.get(value, 0) + 1
    shared = [value for value, count in seen.items() if count >= 2]
    labels = [str(names[v]) if names else str(v) for v in shared]
    return sorted(labels)
