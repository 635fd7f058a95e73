"""Read-only JSON API of the public library, described by an OpenAPI 3.1 document.

Plain JsonResponse views (no DRF). Same search and facets as ``/studies/``
(``q``, ``theme``, ``level``, ``year``, ``perspective``, ``city``, ``sort``), paginated
with absolute ``next``/``previous`` links. Published studies only.

The API keeps to its own description: a query the document does not allow
(``sort=AAA``, ``page=0``, a 201-character ``q``) is a 400, and any method but GET
and HEAD a 405 with ``Allow``, both as RFC 9457 problem documents
(``application/problem+json``). Problem texts are English, like the OpenAPI
document: they are read by developers, not shown to visitors.
"""

import re
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from config.absolute_urls import absolute_url, base_url
from config.pagination import MAX_PAGE

from .forms import MAX_VALUES, StudySearchForm
from .public import named_authors, named_authors_of, public_studies
from .search import count_cap, search_studies
from .selectors import LibraryCard

API_PAGE_SIZE = 20
CORS = {"Access-Control-Allow-Origin": "*"}
ALLOWED_METHODS = ("GET", "HEAD")
PROBLEM_JSON = "application/problem+json"

# The query parameters of listStudies: validated here and described by the OpenAPI
# document from the same values, so the two cannot disagree.
MAX_QUERY_LENGTH = 200
MAX_VALUE_LENGTH = 100
SORTS = ("relevance", "newest", "oldest", "title", "date")
LIST_PARAMETERS = {
    "theme": "Theme slug; repeat for several (OR).",
    "level": "School level (primary, secondary); repeat for several (OR).",
    "year": "School year such as 2025-2026; repeat for several (OR).",
    "perspective": "Perspective involved (pupils, parents, ...); repeatable.",
    "city": "City; repeat for several (OR).",
}
NO_NUL = "^[^\\x00]*$"  # PostgreSQL text cannot hold a NUL character


def _problem(status: int, detail: str, **members) -> JsonResponse:
    """An RFC 9457 problem document (``about:blank``: the title is the status phrase)."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **members,
    }
    return JsonResponse(body, status=status, content_type=PROBLEM_JSON, headers=CORS)


def read_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET and HEAD only; anything else is a 405 with ``Allow``. Exempt from CSRF,
    which would otherwise answer a POST with 403: the API changes nothing, so there
    is nothing to forge."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            response = _problem(
                405, f"{request.method} is not allowed here: this API only reads (GET, HEAD)."
            )
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        return view(request, *args, **kwargs)

    return wrapped


def query_errors(query: QueryDict) -> list[dict]:
    """What in the query string breaks the OpenAPI description of listStudies, one
    entry per parameter (RFC 9457 ``errors``). Unknown parameters are ignored."""
    errors = []

    def refuse(name: str, detail: str) -> None:
        errors.append({"parameter": name, "detail": detail})

    for name, values in query.lists():
        if name in LIST_PARAMETERS:
            if len(values) > MAX_VALUES:
                refuse(name, f"Give at most {MAX_VALUES} values.")
            elif any(len(value) > MAX_VALUE_LENGTH or "\x00" in value for value in values):
                refuse(name, f"Each value has at most {MAX_VALUE_LENGTH} characters and no NUL.")
        elif name in {"q", "sort", "page"} and len(values) > 1:
            refuse(name, "Give this parameter once.")
    q = query.get("q", "")
    if len(q) > MAX_QUERY_LENGTH or "\x00" in q:
        refuse("q", f"At most {MAX_QUERY_LENGTH} characters and no NUL.")
    if "sort" in query and query["sort"] not in SORTS:
        refuse("sort", f"One of: {', '.join(SORTS)}.")
    page = query.get("page")
    if page is not None and not (re.fullmatch(r"[0-9]{1,6}", page) and 1 <= int(page) <= MAX_PAGE):
        refuse("page", f"A whole number from 1 to {MAX_PAGE}.")
    return errors


def _summary(card: LibraryCard) -> dict:
    return {
        "slug": card.slug,
        "url": absolute_url(card.get_absolute_url()),
        "api_url": absolute_url(
            reverse("knowledge_base:api_study_detail", kwargs={"slug": card.slug})
        ),
        "title": card.title,
        "summary": card.summary,
        "language": card.language,
        "school_level": card.school_level,
        "city": card.city,
        "school_year": card.school_year_name,
        "themes": [
            {"slug": t.slug, "name_nl": t.name_nl, "name_en": t.name_en} for t in card.themes
        ],
        "perspectives": list(card.perspectives),
        "published_at": card.published_at.isoformat(),
    }


def _page_link(request, number: int | None) -> str | None:
    if number is None:
        return None
    query = request.GET.copy()
    query["page"] = str(number)
    return absolute_url(f"{request.path}?{urlencode(query, doseq=True)}")


@read_only
def study_list(request):
    errors = query_errors(request.GET)
    if errors:
        return _problem(400, "The query does not match the API description.", errors=errors)
    params = StudySearchForm(request.GET).params()
    result = search_studies(
        params, page_number=request.GET.get("page") or 1, per_page=API_PAGE_SIZE
    )
    page = result.page
    return JsonResponse(
        {
            "count": result.total,
            "count_is_capped": result.total_is_capped,
            "count_is_estimate": result.counts_are_estimates,
            "facet_counts_are_estimates": result.facet_counts_sampled,
            "ranked_newest_only": result.ranked_newest_only,
            "count_cap": count_cap(),
            "page": page.number,
            "pages": page.paginator.num_pages,
            "next": _page_link(request, page.next_page_number() if page.has_next() else None),
            "previous": _page_link(
                request, page.previous_page_number() if page.has_previous() else None
            ),
            "results": [_summary(study) for study in page.object_list],
            "facets": {
                name: [{"value": f.value, "label": f.label, "count": f.count} for f in values]
                for name, values in result.facets.items()
            },
        },
        headers=CORS,
        json_dumps_params={"ensure_ascii": False},
    )


@read_only
def study_detail(request, slug):
    study = get_object_or_404(named_authors_of(public_studies()), slug=slug)
    data = _summary(LibraryCard.of(study))
    data.update(
        {
            "authors": [author.name for author in named_authors(study)],
            "dilemma": study.dilemma,
            "research_question": study.research_question,
            "inspiration": study.inspiration,
            "methods": study.methods,
            "findings": study.findings,
            "action_and_effect": study.action_and_effect,
            "lessons": study.lessons,
            "updated_at": study.updated_at.isoformat(),
        }
    )
    return JsonResponse(data, headers=CORS, json_dumps_params={"ensure_ascii": False})


def _string_list(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "style": "form",
        "explode": True,
        "schema": {
            "type": "array",
            "maxItems": MAX_VALUES,
            "items": {"type": "string", "maxLength": MAX_VALUE_LENGTH, "pattern": NO_NUL},
        },
    }


def _problem_response(description: str, *, allow: bool = False) -> dict:
    response: dict = {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if allow:
        response["headers"] = {
            "Allow": {
                "description": "The methods this resource answers.",
                "schema": {"type": "string", "const": ", ".join(ALLOWED_METHODS)},
            }
        }
    return response


def openapi_document(server_url: str) -> dict:
    """The OpenAPI 3.1 description; component schemas are plain JSON Schema, so the
    tests validate real responses against them with jsonschema."""
    nullable_url = {"type": ["string", "null"], "format": "uri"}
    theme = {
        "type": "object",
        "required": ["slug", "name_nl", "name_en"],
        "additionalProperties": False,
        "properties": {
            "slug": {"type": "string"},
            "name_nl": {"type": "string"},
            "name_en": {"type": "string"},
        },
    }
    summary_properties = {
        "slug": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "api_url": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "summary": {"type": "string"},
        "language": {"type": "string", "enum": ["nl", "en"]},
        "school_level": {"type": "string"},
        "city": {"type": "string"},
        "school_year": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{4}$"},
        "themes": {"type": "array", "items": {"$ref": "#/components/schemas/Theme"}},
        "perspectives": {"type": "array", "items": {"type": "string"}},
        "published_at": {"type": "string", "format": "date-time"},
    }
    detail_properties = {
        **summary_properties,
        "authors": {"type": "array", "items": {"type": "string"}},
        "dilemma": {"type": "string"},
        "research_question": {"type": "string"},
        "inspiration": {"type": "string"},
        "methods": {"type": "string"},
        "findings": {"type": "string"},
        "action_and_effect": {"type": "string"},
        "lessons": {"type": "string"},
        "updated_at": {"type": "string", "format": "date-time"},
    }
    facet_value = {
        "type": "object",
        "required": ["value", "label", "count"],
        "additionalProperties": False,
        "properties": {
            "value": {"type": "string"},
            "label": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
        },
    }
    parameters = [
        {
            "name": "q",
            "in": "query",
            "required": False,
            "description": "Search words (Dutch full-text search of the texts, themes, "
            'school and city; "quotes" for a phrase, -word to exclude, or between '
            "alternatives).",
            "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": NO_NUL},
        },
        *[_string_list(name, description) for name, description in LIST_PARAMETERS.items()],
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "description": "relevance (with q; else newest), newest, oldest, title; date = newest.",
            "schema": {"type": "string", "enum": list(SORTS), "default": "relevance"},
        },
        {
            "name": "page",
            "in": "query",
            "required": False,
            "description": "Page number; past the last page, the last page is returned.",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        },
    ]
    not_allowed = _problem_response("Only GET and HEAD are allowed.", allow=True)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Leerbrug knowledge base API",
            "version": "1.0.0",
            "description": "Read-only access to the published studies of the partnership "
            "network. Unpublished studies are never returned.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/studies/": {
                "get": {
                    "operationId": "listStudies",
                    "summary": "Search published studies",
                    "parameters": parameters,
                    "responses": {
                        "200": {
                            "description": "One page of studies with facet counts.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/StudyPage"}
                                }
                            },
                        },
                        "400": _problem_response(
                            "A parameter is outside this description; `errors` says which."
                        ),
                        "405": not_allowed,
                    },
                }
            },
            "/api/studies/{slug}/": {
                "get": {
                    "operationId": "getStudy",
                    "summary": "One published study",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The study.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/StudyDetail"}
                                }
                            },
                        },
                        "404": {"description": "No published study has this slug."},
                        "405": not_allowed,
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Problem": {
                    "type": "object",
                    "description": "An RFC 9457 problem document.",
                    "required": ["type", "title", "status", "detail"],
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                        "errors": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["parameter", "detail"],
                                "properties": {
                                    "parameter": {"type": "string"},
                                    "detail": {"type": "string"},
                                },
                            },
                        },
                    },
                },
                "Theme": theme,
                "FacetValue": facet_value,
                "StudySummary": {
                    "type": "object",
                    "required": list(summary_properties),
                    "additionalProperties": False,
                    "properties": summary_properties,
                },
                "StudyDetail": {
                    "type": "object",
                    "required": list(detail_properties),
                    "additionalProperties": False,
                    "properties": detail_properties,
                },
                "StudyPage": {
                    "type": "object",
                    "required": [
                        "count",
                        "count_is_capped",
                        "count_is_estimate",
                        "facet_counts_are_estimates",
                        "ranked_newest_only",
                        "count_cap",
                        "page",
                        "pages",
                        "next",
                        "previous",
                        "results",
                        "facets",
                    ],
                    "additionalProperties": False,
                    "properties": {
                        "count": {"type": "integer", "minimum": 0},
                        "count_is_capped": {
                            "type": "boolean",
                            "description": "True when more than count_cap studies match; "
                            "count then equals count_cap.",
                        },
                        "count_is_estimate": {
                            "type": "boolean",
                            "description": "True when so many studies match that count is "
                            "an estimate from a sample (rounded).",
                        },
                        "facet_counts_are_estimates": {"type": "boolean"},
                        "ranked_newest_only": {
                            "type": "boolean",
                            "description": "Always false since every match is ranked "
                            "(kept for older clients).",
                        },
                        "count_cap": {"type": "integer"},
                        "page": {"type": "integer", "minimum": 1},
                        "pages": {"type": "integer", "minimum": 1},
                        "next": nullable_url,
                        "previous": nullable_url,
                        "results": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/StudySummary"},
                        },
                        "facets": {
                            "type": "object",
                            "required": ["theme", "level", "year", "perspective", "city"],
                            "additionalProperties": False,
                            "properties": {
                                name: {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/FacetValue"},
                                }
                                for name in ["theme", "level", "year", "perspective", "city"]
                            },
                        },
                    },
                },
            }
        },
    }


@read_only
def openapi(request):
    return JsonResponse(openapi_document(base_url()), headers=CORS)
