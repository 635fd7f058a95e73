"""How to cite a published study: APA 7 text, BibTeX and RIS, and the schema.org
description search engines read. Only authors who agreed are named; a study
without (agreeing) authors is cited under its school, as a group author."""

import json
import re
from dataclasses import dataclass

from django.utils.text import slugify

from .public import named_authors

# Dutch and Flemish name particles that belong to the family name ("De Smet").
PARTICLES = {
    *("de", "den", "der", "van", "vande", "vanden", "vander", "ten", "ter"),
    *("el", "le", "la", "du", "di", "da", "'t", "op"),
}


@dataclass(frozen=True)
class PersonName:
    given: str
    family: str

    @property
    def initials(self) -> str:
        return " ".join(f"{part[0]}." for part in self.given.split() if part)


def split_name(full_name: str) -> PersonName:
    parts = full_name.split()
    if len(parts) < 2:
        return PersonName(given="", family=full_name.strip())
    start = len(parts) - 1
    for index in range(1, len(parts) - 1):
        if parts[index].lower() in PARTICLES:
            start = index
            break
    return PersonName(given=" ".join(parts[:start]), family=" ".join(parts[start:]))


@dataclass(frozen=True)
class Citation:
    authors: list[str]
    title: str
    year: int
    publisher: str
    school: str
    url: str
    summary: str
    keywords: list[str]
    language: str

    @property
    def people(self) -> list[PersonName]:
        return [split_name(name) for name in self.authors]


def citation_for(study, url: str) -> Citation:
    authors = [author.name for author in named_authors(study)]
    return Citation(
        authors=authors,
        title=study.title,
        year=study.published_at.year,
        publisher=study.school.partnership.name,
        school=study.school.name,
        url=url,
        summary=study.summary,
        keywords=[theme.name for theme in study.themes.all()],
        language=study.language,
    )


def _apa_author(person: PersonName) -> str:
    return f"{person.family}, {person.initials}" if person.given else person.family


def apa(citation: Citation) -> str:
    """APA 7, e.g. ``Peeters, S., & Janssens, L. (2026). Title. Publisher. URL``."""
    names = [_apa_author(p) for p in citation.people] or [citation.school]
    if len(names) == 1:
        authors = names[0]
    elif len(names) <= 20:
        authors = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        authors = ", ".join(names[:19]) + ", … " + names[-1]
    title = citation.title.rstrip(".")
    return f"{authors} ({citation.year}). {title}. {citation.publisher}. {citation.url}"


_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_])")


def _bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: "\\" + m.group(1) if m.group(1) != "\\" else "", text)


def bibtex_key(citation: Citation) -> str:
    first = citation.people[0].family if citation.people else citation.school
    word = slugify(citation.title).split("-")[0] if slugify(citation.title) else "study"
    return f"{slugify(first).replace('-', '')}{citation.year}{word}"


def bibtex(citation: Citation) -> str:
    if citation.people:
        authors = " and ".join(
            f"{_bibtex_escape(p.family)}, {_bibtex_escape(p.given)}"
            if p.given
            else _bibtex_escape(p.family)
            for p in citation.people
        )
    else:
        authors = "{" + _bibtex_escape(citation.school) + "}"
    fields = [
        ("author", authors),
        ("title", "{" + _bibtex_escape(citation.title) + "}"),
        ("year", str(citation.year)),
        ("institution", _bibtex_escape(citation.school)),
        ("publisher", _bibtex_escape(citation.publisher)),
        ("url", citation.url),
        ("language", {"nl": "dutch", "en": "english"}.get(citation.language, citation.language)),
    ]
    if citation.keywords:
        fields.append(("keywords", _bibtex_escape(", ".join(citation.keywords))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@techreport{{{bibtex_key(citation)},\n{body}\n}}\n"


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


def ris(citation: Citation) -> str:
    """RIS (RPRT: a report), with CRLF line ends as the format asks."""
    lines = [_ris_line("TY", "RPRT")]
    if citation.people:
        lines += [
            _ris_line("AU", f"{p.family}, {p.given}" if p.given else p.family)
            for p in citation.people
        ]
    else:
        lines.append(_ris_line("AU", citation.school))
    lines += [
        _ris_line("TI", citation.title),
        _ris_line("PY", str(citation.year)),
        _ris_line("PB", citation.publisher),
        _ris_line("AB", citation.summary),
        *[_ris_line("KW", keyword) for keyword in citation.keywords],
        _ris_line("LA", citation.language),
        _ris_line("UR", citation.url),
        "ER  - ",
    ]
    return "\r\n".join(lines) + "\r\n"


def json_ld(study, citation: Citation) -> str:
    """schema.org ScholarlyArticle as JSON, safe inside a <script> data block."""
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": citation.title[:110],
        "name": citation.title,
        "abstract": citation.summary,
        "url": citation.url,
        "inLanguage": citation.language,
        "datePublished": study.published_at.date().isoformat(),
        "author": [{"@type": "Person", "name": name} for name in citation.authors]
        or [{"@type": "Organization", "name": citation.school}],
        "keywords": citation.keywords,
        "isAccessibleForFree": True,
        "publisher": {"@type": "Organization", "name": citation.publisher},
        "sourceOrganization": {
            "@type": "EducationalOrganization",
            "name": citation.school,
            "address": {"@type": "PostalAddress", "addressLocality": study.school.city},
        },
    }
    text = json.dumps(data, ensure_ascii=False)
    # The same escaping json_script uses: no "</script>" can end the block early.
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
