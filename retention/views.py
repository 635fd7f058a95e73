"""Retention pages: thin views over ``selectors`` (figures), ``services`` (the
confirmation) and ``permissions`` (who sees what)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from access.roles import is_signed_in
from access.shortcuts import has_perm, object_for
from config.page_cache import per_session
from oversight.csv_export import csv_response
from partnership.models import Partnership, SchoolYear

from . import exports, selectors, services
from .charts import retention_chart
from .forms import confirmation_formset
from .models import StaffConfirmation
from .permissions import RetentionSchools, led_schools, visible_partnerships


def _current_year() -> SchoolYear:
    school_year = SchoolYear.objects.current()
    if school_year is None:
        raise Http404
    return school_year


def _partnership(request: HttpRequest, partnerships: list[Partnership]) -> Partnership | None:
    asked = request.GET.get("partnership", "")
    return next(
        (p for p in partnerships if str(p.pk) == asked), partnerships[0] if partnerships else None
    )


def _level_charts(figures: selectors.Figures) -> list[dict]:
    baselines = {b.level: b for b in figures.baselines}
    return [
        {
            "curve": curve,
            "baseline": baselines.get(curve.level),
            "chart": retention_chart(curve, baselines.get(curve.level)),
        }
        for curve in (figures.levels or [figures.total])
    ]


@per_session
@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The network's curves for institution staff and admins; the school leader's
    way to their school's figures and confirmation."""
    partnerships = list(visible_partnerships(request.user))
    schools = list(led_schools(request.user).order_by("name"))
    if not partnerships and not schools:
        raise Http404
    school_year = _current_year()
    partnership = _partnership(request, partnerships)
    figures = network_figures = None
    if partnership is not None:
        figures = selectors.network_figures(partnership=partnership, as_of=school_year)
        network_figures = _level_charts(figures)
    confirmed = set(
        StaffConfirmation.objects.filter(school__in=schools, school_year=school_year).values_list(
            "school_id", flat=True
        )
    )
    return render(
        request,
        "retention/overview.html",
        {
            "school_year": school_year,
            "partnerships": partnerships,
            "partnership": partnership,
            "figures": figures,
            "level_charts": network_figures,
            "schools": [(school, school.pk in confirmed) for school in schools],
        },
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request, list(visible_partnerships(request.user)))
    if partnership is None:
        raise Http404
    figures = selectors.network_figures(partnership=partnership, as_of=_current_year())
    return csv_response(*exports.figures_csv(figures, partnership.name))


@login_required
@require_GET
def school(request: HttpRequest, pk: int) -> HttpResponse:
    """One school's curve (the starters who began there), per cohort."""
    found = object_for(request.user, RetentionSchools(), pk=pk)
    school_year = _current_year()
    figures = selectors.school_figures(school=found, as_of=school_year)
    return render(
        request,
        "retention/school.html",
        {
            "school": found,
            "school_year": school_year,
            "figures": figures,
            "level_charts": _level_charts(figures),
            "confirmation": selectors.confirmation_for(school=found, school_year=school_year),
            "may_confirm": has_perm("retention.confirm_staff", request.user, found),
        },
    )


@login_required
@require_GET
def school_export(request: HttpRequest, pk: int) -> HttpResponse:
    found = object_for(request.user, RetentionSchools(), pk=pk)
    figures = selectors.school_figures(school=found, as_of=_current_year())
    return csv_response(*exports.figures_csv(figures, found.name))


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The school leader's yearly word on each starter and career changer: all rows
    are saved together, or none."""
    user = request.user
    found = object_for(user, RetentionSchools(), perm="retention.confirm_staff", pk=pk)
    if not is_signed_in(user):  # login_required has seen to it; this tells the type checker
        raise Http404
    school_year = _current_year()
    roster = selectors.confirmation_roster(school=found, school_year=school_year)
    formset = confirmation_formset(roster, request.POST if request.method == "POST" else None)
    if request.method == "POST" and formset.is_valid():
        try:
            services.staff_confirm(
                school=found,
                school_year=school_year,
                user=user,
                statuses=formset.statuses(),
            )
        except ValidationError as error:
            formset.refuse(error)
        else:
            messages.success(
                request,
                _("Thank you: the staff of %(school)s is confirmed for %(year)s.")
                % {"school": found.name, "year": school_year.name},
            )
            return redirect("retention:school", pk=found.pk)
    return render(
        request,
        "retention/confirm.html",
        {
            "school": found,
            "school_year": school_year,
            "formset": formset,
            "confirmation": selectors.confirmation_for(school=found, school_year=school_year),
        },
        status=400 if formset.is_bound else 200,
    )
