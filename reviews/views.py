"""Thin views of the yearly review: outsiders get 404, readers who may not act 403,
anonymous visitors the login page. The partnership is the one the reader belongs
to (``?partnership=<id>`` chooses when they may read several)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from access.shortcuts import has_perm, object_for, require
from oversight.csv_export import csv_response
from partnership.models import Partnership, SchoolYear
from privacy.services import access_record
from schools.models import School

from . import exports, selectors, services
from .forms import NeedsForm, SelfAssessmentForm
from .models import SchoolNeeds
from .pdf import render_pdf
from .permissions import NeedsPartnerships, ReviewablePartnerships, ReviewOf


def _school_year(year: str) -> SchoolYear:
    found = selectors.school_year_named(year)
    if found is None:
        raise Http404
    return found


def _partnership(request: HttpRequest, scope: ReviewablePartnerships) -> Partnership:
    """The chosen partnership, else the first one this person may see."""
    chosen = request.GET.get("partnership", "")
    if chosen.isdigit() and len(chosen) <= 9:
        return object_for(request.user, scope, pk=int(chosen))
    first = scope.visible_to(request.user).order_by("name").first()
    if first is None:
        raise Http404
    return first


def _review_of(request: HttpRequest, year: str, perm: str = "reviews.view_review") -> ReviewOf:
    school_year = _school_year(year)
    review = ReviewOf(_partnership(request, ReviewablePartnerships(school_year)), school_year)
    require(request.user, perm, review)
    return review


def _query(review: ReviewOf) -> str:
    return f"?partnership={review.partnership.pk}"


def _context(request: HttpRequest, review: ReviewOf) -> dict[str, object]:
    audience = review.audience(request.user)
    assert audience is not None  # checked by the view's permission
    data = selectors.review_for(review.partnership, review.school_year, audience)
    fills = review.needs_schools(request.user)
    return {
        "review": data,
        "school_year": review.school_year,
        "partnership": review.partnership,
        "query": _query(review),
        "years": list(SchoolYear.objects.order_by("-starts_on")),
        "partnerships": list(
            ReviewablePartnerships(review.school_year).visible_to(request.user).order_by("name")
        ),
        "can_score": has_perm("reviews.score_self_assessment", request.user, review),
        "my_schools": list(School.objects.filter(pk__in=fills).order_by("name")) if fills else [],
    }


@login_required
def review_page(request: HttpRequest, year: str) -> HttpResponse:
    review = _review_of(request, year)
    return render(request, "reviews/review.html", _context(request, review))


@login_required
def review_pdf(request: HttpRequest, year: str) -> HttpResponse:
    """The same review, laid out for paper by WeasyPrint."""
    review = _review_of(request, year)
    html = render_to_string("reviews/review_pdf.html", _context(request, review), request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    name = f"review-{review.school_year.name}.pdf"
    access_record(user=request.user, kind="yearly_review", what=name, path=request.path)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def review_csv(request: HttpRequest, year: str) -> HttpResponse:
    review = _review_of(request, year)
    audience = review.audience(request.user)
    assert audience is not None
    data = selectors.review_for(review.partnership, review.school_year, audience)
    access_record(
        user=request.user,
        kind="yearly_review",
        what=f"review-{review.school_year.name}.csv",
        path=request.path,
    )
    return csv_response(*exports.review_table(data))


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment(request: HttpRequest, year: str) -> HttpResponse:
    """The coordinators score the framework's criteria, each with a comment."""
    review = _review_of(request, year)
    require(request.user, "reviews.score_self_assessment", review)
    assessment = selectors.assessment_for(review.partnership, review.school_year)
    if assessment.framework is None:
        return render(
            request, "reviews/self_assessment.html", {"review": review, "form": None}, status=200
        )
    form = SelfAssessmentForm(request.POST or None, assessment=assessment)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.self_assessment_save(
                    partnership=review.partnership,
                    school_year=review.school_year,
                    framework=assessment.framework,
                    scores=form.score_inputs(),
                    user=request.user,  # type: ignore[arg-type]  # login_required
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The self-assessment has been saved."))
                url = reverse("reviews:review", kwargs={"year": year}) + _query(review)
                return redirect(f"{url}#self-assessment")
    return render(
        request,
        "reviews/self_assessment.html",
        {"review": review, "assessment": assessment, "form": form, "query": _query(review)},
        status=status,
    )


def _add_errors(form: NeedsForm | SelfAssessmentForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
def needs_list(request: HttpRequest, year: str) -> HttpResponse:
    """Every school's needs on one page, for the institution planning next year."""
    school_year = _school_year(year)
    review = ReviewOf(_partnership(request, NeedsPartnerships(school_year)), school_year)
    require(request.user, "reviews.view_all_needs", review)
    needs = {n.school_id: n for n in selectors.needs_for(review.partnership, school_year)}
    schools = School.objects.filter(partnership=review.partnership).order_by("name")
    rows = [
        (school, needs.get(school.pk))
        for school in schools
        if school.is_active or school.pk in needs
    ]
    summary = selectors.needs_table(list(needs.values()))
    return render(
        request,
        "reviews/needs_list.html",
        {
            "review": review,
            "school_year": school_year,
            "rows": rows,
            "said": len(needs),
            "summary": selectors.TableView(summary, selectors.table_chart(summary)),
            "query": _query(review),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def needs_edit(request: HttpRequest, year: str, school_pk: str) -> HttpResponse:
    """A school leader or coach says what the school wants next year."""
    school_year = _school_year(year)
    partnerships = NeedsPartnerships(school_year).visible_to(request.user)
    school = get_object_or_404(
        School.objects.select_related("partnership__institution").filter(
            partnership__in=partnerships
        ),
        pk=int(school_pk),
    )
    review = ReviewOf(school.partnership, school_year)
    openable = review.needs_schools(request.user)
    if openable is not None and school.pk not in openable:
        raise Http404
    require(request.user, "reviews.fill_needs", (review, school))
    needs = SchoolNeeds.objects.filter(school=school, school_year=school_year).first()
    form = NeedsForm(
        request.POST or None, instance=needs or SchoolNeeds(school=school, school_year=school_year)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.school_needs_save(
                    school=school,
                    school_year=school_year,
                    support=form.cleaned_data["support"],
                    wishes=form.cleaned_data["wishes"],
                    user=request.user,  # type: ignore[arg-type]  # login_required
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Thank you: the school's needs have been saved."))
                return redirect("reviews:needs_edit", year=year, school_pk=school.pk)
    return render(
        request,
        "reviews/needs_form.html",
        {"school": school, "school_year": school_year, "needs": needs, "form": form},
        status=status,
    )
