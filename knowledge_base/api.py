"""Read-only JSON API of the public library, described by an OpenAPI 3.1 document.

Plain JsonResponse views (no DRF). Same search and facets as ``/studies/``
(``q``, ``theme``, ``level``, ``year``, ``perspective``, ``city``, ``sort``), paginated
with absolute ``next``/``previous`` links. Published studies only.
"""

from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from .forms import StudySearchForm
from .models import StudyAuthor
from .search import count_cap, search_studies
from .selectors import LibraryCard, public_studies

API_PAGE_SIZE = 20
CORS = {"Access-Control-Allow-Origin": "*"}


def _summary(request, card: LibraryCard) -> dict:
    return {
        "slug": card.slug,
        "url": request.build_absolute_uri(card.get_absolute_url()),
        "api_url": request.build_absolute_uri(
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
    return request.build_absolute_uri(f"{request.path}?{urlencode(query, doseq=True)}")


@require_safe
def study_list(request):
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
            "results": [_summary(request, study) for study in page.object_list],
            "facets": {
                name: [{"value": f.value, "label": f.label, "count": f.count} for f in values]
                for name, values in result.facets.items()
            },
        },
        headers=CORS,
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def study_detail(request, slug):
    authors = StudyAuthor.objects.filter(consent=StudyAuthor.Consent.AGREED).order_by("order", "pk")
    study = get_object_or_404(
        public_studies().prefetch_related(Prefetch("authors", queryset=authors)), slug=slug
    )
    data = _summary(request, LibraryCard.of(study))
    data.update(
        {
            # Only authors who agreed to be named are ever published.
            "authors": [author.name for author in study.authors.all()],
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


def _string_list(description: str) -> dict:
    return {
        "name": "",
        "in": "query",
        "required": False,
        "description": description,
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": {"type": "string"}},
    }


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
            "schema": {"type": "string", "maxLength": 200},
        },
        *[
            {**_string_list(description), "name": name}
            for name, description in [
                ("theme", "Theme slug; repeat for several (OR)."),
                ("level", "School level (primary, secondary); repeat for several (OR)."),
                ("year", "School year such as 2025-2026; repeat for several (OR)."),
                ("perspective", "Perspective involved (pupils, parents, ...); repeatable."),
                ("city", "City; repeat for several (OR)."),
            ]
        ],
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": ["relevance", "date"], "default": "relevance"},
        },
        {
            "name": "page",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
    ]
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
                        }
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
                    },
                }
            },
        },
        "components": {
            "schemas": {
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
                            "description": "True when, sorted by relevance, only the newest "
                            "matches are ranked and paged; use sort=date to page through all.",
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


@require_safe
def openapi(request):
    return JsonResponse(openapi_document(request.build_absolute_uri("/").rstrip("/")), headers=CORS)
