"""The public study page (no login): the study, its files and its citations.

Everything here reads through the public-surface rule (``public.py``): nothing
unpublished is reachable, only authors who agreed are named, and a withdrawn study
answers 410 Gone with its note.
"""

from django.db.models import prefetch_related_objects
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from config.absolute_urls import absolute_url

from . import reading
from .citation import apa, bibtex, bibtex_key, citation_for, json_ld, ris
from .models import Study, StudyFile
from .public import named_authors_of, prefetch_named_authors, public_studies
from .selectors import related_studies

# --- Public pages -------------------------------------------------------------------

#: The study's sections in the order of the research cycle.
SECTIONS = [
    ("dilemma", gettext_lazy("Dilemma")),
    ("research_question", gettext_lazy("Research question")),
    ("inspiration", gettext_lazy("Literature and inspiration")),
    ("methods", gettext_lazy("How the data was collected")),
    ("findings", gettext_lazy("Findings")),
    ("action_and_effect", gettext_lazy("Action and effect")),
    ("lessons", gettext_lazy("Lessons")),
]


def study_sections(study: Study) -> list[dict]:
    return [
        {"id": name.replace("_", "-"), "title": title, "text": getattr(study, name)}
        for name, title in SECTIONS
        if getattr(study, name).strip()
    ]


def as_published(study: Study, *, results: bool = True) -> dict:
    """What the public page's study partials need to show ``study`` as it will be
    published (on the review and author-consent pages): its sections, its themes and
    only the authors who agreed. Returns the template context to add. ``results``
    False leaves the questionnaire results out, for a page that reads them its own
    way (the review page shows every open answer to approve)."""
    prefetch_related_objects([study], "themes")
    prefetch_named_authors([study])
    context = {"study": study, "sections": study_sections(study)}
    if results:
        context["questionnaire_results"] = public_results(study)
    return context


def public_results(study: Study) -> list:
    """The questionnaire results attached to the study: figures only, and the open
    answers the reviewer approved one by one."""
    from questionnaires.selectors import attached_results

    return attached_results(study.questionnaire_results.all(), public=True)


def _public_study(slug: str) -> Study:
    return get_object_or_404(
        named_authors_of(public_studies()).prefetch_related("files"), slug=slug
    )


@require_GET
def study_detail(request, slug):
    """The study as a readable page. A withdrawn study answers 410 Gone with its note."""
    study = (named_authors_of(public_studies()).prefetch_related("files").filter(slug=slug)).first()
    if study is None:
        withdrawn = get_object_or_404(
            Study.objects.filter(status=Study.Status.WITHDRAWN).only(
                "title", "withdrawal_note", "withdrawn_at", "slug"
            ),
            slug=slug,
        )
        return render(request, "knowledge_base/study_gone.html", {"study": withdrawn}, status=410)
    reading.record(request, study)
    url = absolute_url(study.get_absolute_url())
    citation = citation_for(study, url)
    return render(
        request,
        "knowledge_base/study_detail.html",
        {
            "study": study,
            "sections": study_sections(study),
            "questionnaire_results": public_results(study),
            "url": url,
            "apa": apa(citation),
            "bibtex": bibtex(citation),
            "json_ld": json_ld(study, citation),
            "related": related_studies(study),
            "views": reading.total_views(study),
        },
    )


@require_GET
def study_file(request, slug, pk):
    """Download a file of a published study; anything else is 404 for everyone."""
    study = get_object_or_404(public_studies(), slug=slug)
    study_file = get_object_or_404(StudyFile, study=study, pk=pk)
    reading.record(request, study, download=True)
    return serve_study_file(study_file)


@require_GET
def study_citation(request, slug, fmt):
    study = _public_study(slug)
    citation = citation_for(study, absolute_url(study.get_absolute_url()))
    if fmt == "ris":
        response = HttpResponse(ris(citation), content_type="application/x-research-info-systems")
    else:
        response = HttpResponse(bibtex(citation), content_type="application/x-bibtex")
    name = f"{bibtex_key(citation)}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def serve_study_file(study_file: StudyFile) -> FileResponse:
    """Stream a private study file as a download (callers check access first)."""
    response = FileResponse(
        study_file.file.open("rb"),
        as_attachment=True,
        filename=study_file.original_name,
        content_type=study_file.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
