"""Thin views over the services and selectors: outsiders get 404, people who may
see but not act get 403, anonymous visitors the login page."""

from typing import Any, cast

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseFormSet, Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from access.shortcuts import object_for, require
from accounts.models import User
from config.page_cache import per_session
from partnership.models import SchoolYear
from research_cycle.models import ResearchTeam

from . import selectors, services
from .forms import (
    CancelForm,
    CapacityForm,
    LineFormSet,
    PlaceByHandForm,
    PlaceForm,
    PlacementEditForm,
    PreferencesForm,
)
from .models import HostingOffer, Placement, PlacementPeriod, PlacementRequest
from .permissions import CapacitySchools
from .roles import bridge_builders_of, teachers_of


def _me(request: HttpRequest) -> User:
    """The signed-in person (every view here is behind ``login_required``)."""
    return cast(User, request.user)


def _posted(request: HttpRequest) -> Any:
    """The posted data, or None on GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def _apply_errors(form: Form, error: ValidationError) -> None:
    """Put a service's messages on the fields they name (else on the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _period(request: HttpRequest, pk: int, perm: str | None = None) -> PlacementPeriod:
    return object_for(
        request.user,
        PlacementPeriod.objects.select_related("institution", "school_year"),
        perm=perm,
        pk=pk,
    )


def _placement(request: HttpRequest, pk: int, perm: str | None = None) -> Placement:
    return object_for(
        request.user,
        Placement.objects.select_related(
            "student",
            "school",
            "period__school_year",
            "institution",
            "mentor",
            "bridge_builder",
            "research_team",
            "capacity",
        ),
        perm=perm,
        pk=pk,
    )


@per_session
@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "placements/home.html", {"home": selectors.home_for(_me(request))})


# --- School side --------------------------------------------------------------


@login_required
def capacity(request: HttpRequest, school_id: int) -> HttpResponse:
    """A school states once a year what it can host and who can mentor."""
    year = SchoolYear.objects.current()
    if year is None:
        raise Http404
    school = object_for(request.user, CapacitySchools(year), pk=school_id)
    require(request.user, "placements.state_capacity", school)
    institution = school.partnership.institution
    periods = PlacementPeriod.objects.filter(institution=institution, school_year=year)
    offer = (
        HostingOffer.objects.filter(school=school, institution=institution, school_year=year)
        .prefetch_related("mentors", "lines")
        .first()
    )
    initial_lines = [
        {"period": c.period_id, "level": c.level, "subject": c.subject, "places": c.places}
        for c in (offer.lines.all() if offer else [])
    ]
    data = _posted(request)
    form = CapacityForm(
        data,
        teachers=teachers_of(school, year),
        initial={
            "mentors": list(offer.mentors.all()) if offer else [],
            "note": offer.note if offer else "",
        },
    )
    formset = LineFormSet(data, initial=initial_lines, form_kwargs={"periods": periods})
    if data is not None and form.is_valid() and formset.is_valid():
        lines = [line for f in formset.forms if (line := f.line()) is not None]
        try:
            services.capacity_state(
                school=school,
                institution=institution,
                school_year=year,
                lines=lines,
                mentors=form.cleaned_data["mentors"],
                note=form.cleaned_data["note"],
                by=_me(request),
            )
        except ValidationError as error:
            _apply_formset_errors(form, formset, error)
        else:
            messages.success(request, _("Thank you: your capacity has been saved."))
            return redirect("placements:capacity", school_id=school.pk)
    return render(
        request,
        "placements/capacity.html",
        {
            "school": school,
            "institution": institution,
            "school_year": year,
            "periods": periods,
            "offer": offer,
            "form": form,
            "formset": formset,
        },
    )


def _apply_formset_errors(form: Form, formset: "BaseFormSet[Any]", error: ValidationError) -> None:
    """Line messages above the lines, the rest on the form."""
    if hasattr(error, "error_dict") and "lines" in error.error_dict:
        formset._non_form_errors = formset.error_class(  # type: ignore[attr-defined]
            [m for e in error.error_dict["lines"] for m in e.messages]
        )
        rest = {k: v for k, v in error.error_dict.items() if k != "lines"}
        if rest:
            _apply_errors(form, ValidationError(rest))
    else:
        _apply_errors(form, error)


# --- Student side -------------------------------------------------------------


@login_required
def preferences(request: HttpRequest, period_id: int) -> HttpResponse:
    """Student teachers state their choices; others who see the period (the
    coordinator, the institution's bridge-builders) see the places offered."""
    period = _period(request, period_id)
    can_state = rules.has_perm("placements.state_preferences", request.user, period)
    if request.method == "POST" and not can_state:
        raise PermissionDenied
    mine = (
        PlacementRequest.objects.filter(student=_me(request), period=period)
        .prefetch_related("preferences")
        .first()
    )
    initial: dict[str, Any] = {}
    if mine is not None:
        initial = {"wants_research_team": mine.wants_research_team, "note": mine.note}
        initial |= {f"choice_{p.rank}": p.capacity_id for p in mine.preferences.all()}
    form = PreferencesForm(_posted(request), period=period, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_state(
                student=_me(request),
                period=period,
                choices=form.choices(),
                wants_research_team=form.cleaned_data["wants_research_team"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your preferences have been saved."))
            return redirect("placements:home")
    placement = (
        Placement.objects.counting()
        .filter(student=_me(request), period=period)
        .select_related("school")
        .first()
    )
    lines = selectors.lines_with_use(period)
    return render(
        request,
        "placements/preferences.html",
        {
            "period": period,
            "form": form,
            "lines": lines,
            "placement": placement,
            "can_state": can_state,
        },
    )


# --- The coordinator ----------------------------------------------------------


@login_required
def allocation(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _period(request, period_id, "placements.allocate")
    board = selectors.allocation_board(period)
    return render(
        request,
        "placements/allocation.html",
        {"period": period, "board": board, "place_form": PlaceByHandForm(period=period)},
    )


@login_required
@require_POST
def allocation_apply(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _period(request, period_id, "placements.allocate")
    try:
        created = services.allocation_apply(period=period, by=_me(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        count = len(created)
        messages.success(
            request,
            ngettext("%(count)d placement proposed.", "%(count)d placements proposed.", count)
            % {"count": count},
        )
    return redirect("placements:allocation", period_id=period.pk)


@login_required
@require_POST
def allocation_confirm(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _period(request, period_id, "placements.allocate")
    try:
        count = services.placements_confirm_all(period=period, by=_me(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d placement confirmed; everyone concerned gets a mail.",
                "%(count)d placements confirmed; everyone concerned gets a mail.",
                count,
            )
            % {"count": count},
        )
    return redirect("placements:allocation", period_id=period.pk)


@login_required
@require_POST
def place(request: HttpRequest, period_id: int) -> HttpResponse:
    """Place by hand a student the suggestion left out (or elsewhere than suggested)."""
    period = _period(request, period_id, "placements.allocate")
    form = PlaceByHandForm(request.POST, period=period)
    if form.is_valid():
        chosen, capacity = form.cleaned_data["request"], form.cleaned_data["capacity"]
        try:
            services.placement_propose(
                student=chosen.student,
                capacity=capacity,
                by=_me(request),
                request=chosen,
                choice_rank=services.rank_of(chosen, capacity),
            )
        except ValidationError as error:
            _apply_errors(form, error)
    if form.errors:
        board = selectors.allocation_board(period)
        return render(
            request,
            "placements/allocation.html",
            {"period": period, "board": board, "place_form": form},
            status=400,
        )
    messages.success(request, _("%(student)s placed.") % {"student": chosen.student})
    return redirect("placements:allocation", period_id=period.pk)


# --- One placement ------------------------------------------------------------


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    can_manage = rules.has_perm("placements.manage_placement", request.user, placement)
    # The internship (log, hours, evaluations) of a confirmed placement, for those
    # who may follow it: the student, the mentor, the bridge-builder, coordinators.
    shows_internship = rules.has_perm("internships.view_internship", request.user, placement)
    return render(
        request,
        "placements/detail.html",
        {
            "placement": placement,
            "can_manage": can_manage,
            "shows_internship": shows_internship,
            "State": Placement.State,
        },
    )


def _edit_form(placement: Placement, data: Any = None) -> PlacementEditForm:
    year = placement.period.school_year
    return PlacementEditForm(
        data,
        teachers=teachers_of(placement.school, year),
        bridge_builders=bridge_builders_of(placement.school, year),
        teams=ResearchTeam.objects.filter(school=placement.school, school_year=year),
        initial={
            "mentor": placement.mentor_id,
            "bridge_builder": placement.bridge_builder_id,
            "research_team": placement.research_team_id,
            "team_task": placement.team_task,
        },
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Mentor teacher, bridge-builder and research team task; a proposal can also
    move to another place."""
    placement = _placement(request, pk, "placements.manage_placement")
    form = _edit_form(placement, _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_update(placement=placement, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The placement has been saved."))
            return redirect("placements:detail", pk=placement.pk)
    move_form = PlaceForm(period=placement.period, initial={"capacity": placement.capacity_id})
    return _render_edit(request, placement, form, move_form)


def _render_edit(
    request: HttpRequest, placement: Placement, form: Form, move_form: Form
) -> HttpResponse:
    return render(
        request,
        "placements/edit.html",
        {"placement": placement, "form": form, "move_form": move_form},
        status=400 if form.errors or move_form.errors else 200,
    )


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk, "placements.manage_placement")
    move_form = PlaceForm(request.POST, period=placement.period)
    if move_form.is_valid():
        try:
            services.placement_move(
                placement=placement,
                capacity=move_form.cleaned_data["capacity"],
                by=_me(request),
            )
        except ValidationError as error:
            _apply_errors(move_form, error)
        else:
            messages.success(request, _("The placement has been moved."))
            return redirect("placements:edit", pk=placement.pk)
    return _render_edit(request, placement, _edit_form(placement), move_form)


@login_required
@require_POST
def unassign(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk, "placements.manage_placement")
    period_id = placement.period_id
    try:
        services.placement_unassign(placement=placement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("placements:detail", pk=placement.pk)
    messages.success(request, _("The proposal has been taken back."))
    return redirect("placements:allocation", period_id=period_id)


#: The state changes a button asks for, by name.
TRANSITIONS = {
    "confirm": lambda placement, user: services.placement_confirm(placement=placement, by=user),
    "start": lambda placement, user: services.placement_start(placement=placement),
    "complete": lambda placement, user: services.placement_complete(placement=placement),
}


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk, "placements.manage_placement")
    change = TRANSITIONS.get(request.POST.get("to", ""))
    if change is None:
        messages.error(request, _("Choose what should happen to the placement."))
        return redirect("placements:detail", pk=placement.pk)
    try:
        change(placement, _me(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The placement has been updated."))
    return redirect("placements:detail", pk=placement.pk)


@login_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk, "placements.manage_placement")
    form = CancelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_cancel(
                placement=placement,
                reason=form.cleaned_data["reason"],
                by=_me(request),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The placement has been cancelled."))
            return redirect("placements:detail", pk=placement.pk)
    return render(
        request,
        "placements/cancel.html",
        {"placement": placement, "form": form},
        status=400 if form.errors else 200,
    )
