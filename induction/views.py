"""Thin views over the services and selectors: outsiders get 404, people who may
see but not change get 403, anonymous visitors the login page. Who is who is in
``permissions.py``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from access.roles import is_signed_in
from access.shortcuts import has_perm, object_for
from accounts.models import User
from config.page_cache import per_session
from partnership.models import SchoolYear
from schools.models import School

from . import selectors, services
from .forms import CadenceForm, CheckInForm, MentorForm
from .models import CheckIn, InductionPlan
from .permissions import OverseenSchools, Starters


def _me(request: HttpRequest) -> User:
    """The person behind a ``login_required`` view."""
    assert is_signed_in(request.user)
    return request.user


@per_session
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """/induction/: the starter's own plan, the mentor's starters and, for school
    leaders, bridge-builders and admins, the counts per school."""
    school_year = SchoolYear.objects.current()
    context: dict[str, object] = {"school_year": school_year}
    if school_year is not None:
        context |= {
            "my_plans": selectors.my_plans(_me(request), school_year),
            "mentees": selectors.mentees_of(_me(request), school_year),
            "schools": selectors.overseen_school_counts(request.user, school_year),
        }
    return render(request, "induction/overview.html", context)


@login_required
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One school's starters and their mentors this year, for those who assign them."""
    school = object_for(request.user, OverseenSchools(), pk=pk)
    school_year = SchoolYear.objects.current()
    counts = (
        selectors.school_counts(School.objects.filter(pk=school.pk), school_year)
        if school_year
        else []
    )
    return render(
        request,
        "induction/school.html",
        {
            "school": school,
            "school_year": school_year,
            "counts": counts,
            "starters": selectors.school_starters(school, school_year) if school_year else [],
        },
    )


@login_required
def assign_mentor(request: HttpRequest, pk: int) -> HttpResponse:
    starter = object_for(
        request.user,
        Starters(),
        perm="induction.assign_mentor",
        pk=pk,
    )
    form = MentorForm(request.POST or None, starter=starter)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.mentor_assign(
                starter=starter, mentor=form.cleaned_data["mentor"], assigned_by=_me(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(mentor)s now mentors %(starter)s.")
                % {"mentor": assignment.mentor, "starter": starter.user},
            )
            return redirect("induction:school", pk=starter.school_id)
    return render(
        request,
        "induction/assign_mentor.html",
        {"starter": starter, "form": form, "history": selectors.mentor_history(starter)},
    )


def _visible_plan(request: HttpRequest, pk: int, perm: str | None = None) -> InductionPlan:
    return object_for(
        request.user,
        InductionPlan.objects.select_related(
            "membership__user", "membership__school", "membership__school_year"
        ),
        perm=perm,
        pk=pk,
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan with every check-in and its notes: the starter's and the mentor's."""
    plan = _visible_plan(request, pk)
    return render(
        request,
        "induction/plan.html",
        {
            "plan": plan,
            "check_ins": list(plan.check_ins.order_by("due_on")),
            "history": selectors.mentor_history(plan.membership),
            "can_change": has_perm("induction.change_plan", request.user, plan),
            "today": timezone.localdate(),
        },
    )


@login_required
def plan_cadence(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk, "induction.change_plan")
    form = CadenceForm(request.POST or None, initial={"cadence_weeks": plan.cadence_weeks})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_set_cadence(plan=plan, cadence_weeks=form.cleaned_data["cadence_weeks"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The cadence has been saved; the check-ins to come are planned again.")
            )
            return redirect("induction:plan", pk=plan.pk)
    return render(request, "induction/cadence_form.html", {"plan": plan, "form": form})


@login_required
def check_in_record(request: HttpRequest, pk: int) -> HttpResponse:
    check_in = object_for(
        request.user,
        CheckIn.objects.select_related("plan__membership__user"),
        perm="induction.record_check_in",
        pk=pk,
    )
    initial = {
        "held": check_in.is_done,
        "held_on": check_in.held_on or timezone.localdate(),
        "notes": check_in.notes,
    }
    form = CheckInForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in_record(
                check_in=check_in,
                held_on=form.cleaned_data["held_on"],
                notes=form.cleaned_data["notes"],
                user=_me(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The check-in has been saved."))
            return redirect("induction:plan", pk=check_in.plan_id)
    return render(request, "induction/check_in_form.html", {"check_in": check_in, "form": form})
