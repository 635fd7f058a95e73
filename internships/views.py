"""Thin views over the services and selectors: outsiders get 404, people who may
see but not act get 403, anonymous visitors the login page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from access.shortcuts import has_perm, object_for, require
from accounts.models import User
from config.page_cache import per_session
from placements.models import Placement

from . import selectors, services
from .forms import ConfirmHoursForm, EvaluationForm, LogEntryForm, ResponseForm, TrainingForm
from .models import EvaluatorRole, LogEntry, Moment
from .permissions import OPEN_STATES, Internships, internship_access, register_scope

INTERNSHIP = Internships(
    Placement.objects.select_related(
        "student", "school", "period", "mentor", "bridge_builder", "school_year"
    )
)


def _me(request: HttpRequest) -> User:
    """The signed-in person (every view here is behind ``login_required``)."""
    assert isinstance(request.user, User)
    return request.user


def _internship(request: HttpRequest, pk: int, perm: str | None = None) -> Placement:
    return object_for(request.user, INTERNSHIP, perm=perm, pk=pk)


def _apply(form, error: ValidationError) -> None:
    """Put a service's messages on the form: on their field, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@per_session
@login_required
def internship_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "internships/list.html",
        {
            "internships": selectors.internship_list(_me(request)),
            "can_read_register": has_perm("internships.read_mentor_register", request.user, None),
        },
    )


def _detail_context(request: HttpRequest, placement: Placement, **extra: object) -> dict:
    access = internship_access(request.user, placement)
    log = selectors.log_for(placement)
    return {
        "placement": placement,
        "access": access,
        "log": log,
        "log_open": placement.state in OPEN_STATES,
        "moments": selectors.moments_for(_me(request), placement, access),
        "confirm_form": ConfirmHoursForm(placement=placement) if access.is_mentor else None,
        "unconfirmed": [e for e in log.entries if not e.is_confirmed],
        **extra,
    }


@login_required
def internship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _internship(request, pk)
    return render(request, "internships/detail.html", _detail_context(request, placement))


@login_required
def entry_create(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _internship(request, pk, "internships.keep_log")
    return _entry_form(request, placement, None)


@login_required
def entry_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    placement = _internship(request, pk, "internships.keep_log")
    entry = get_object_or_404(placement.log_entries, pk=entry_pk)
    return _entry_form(request, placement, entry)


def _entry_form(request: HttpRequest, placement: Placement, entry: LogEntry | None):
    if entry is not None and entry.is_confirmed:
        messages.error(request, _("Confirmed hours cannot be changed."))
        return redirect("internships:detail", pk=placement.pk)
    initial = LogEntryForm.initial_for(entry) if entry else None
    form = LogEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_entry_save(placement=placement, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The entry has been saved."))
            return redirect("internships:detail", pk=placement.pk)
    return render(
        request,
        "internships/entry_form.html",
        {"placement": placement, "entry": entry, "form": form},
    )


@login_required
def entry_delete(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    placement = _internship(request, pk, "internships.keep_log")
    entry = get_object_or_404(placement.log_entries, pk=entry_pk)
    if request.method == "POST":
        try:
            services.log_entry_delete(entry=entry)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The entry has been removed."))
        return redirect("internships:detail", pk=placement.pk)
    return render(
        request, "internships/entry_delete.html", {"placement": placement, "entry": entry}
    )


@login_required
@require_POST
def hours_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _internship(request, pk, "internships.confirm_hours")
    form = ConfirmHoursForm(request.POST, placement=placement)
    if not form.is_valid():
        return render(
            request,
            "internships/detail.html",
            _detail_context(request, placement, confirm_form=form),
            status=400,
        )
    count = services.hours_confirm(
        placement=placement, entries=form.cleaned_data["entries"], mentor=_me(request)
    )
    messages.success(
        request,
        ngettext(
            "Hours confirmed for %(count)d entry.", "Hours confirmed for %(count)d entries.", count
        )
        % {"count": count},
    )
    return redirect("internships:detail", pk=placement.pk)


def _moment(moment: str) -> str:
    if moment not in Moment.values:
        raise Http404
    return moment


@login_required
def evaluation_edit(request: HttpRequest, pk: int, moment: str, role: str) -> HttpResponse:
    if role not in EvaluatorRole.values:
        raise Http404
    moment = _moment(moment)
    placement = _internship(request, pk, f"internships.evaluate_as_{role}")
    evaluation = placement.evaluations.filter(moment=moment, evaluator_role=role).first()
    if evaluation is not None and evaluation.is_submitted:
        messages.info(request, _("This evaluation has been submitted and is final."))
        return redirect("internships:detail", pk=placement.pk)
    rubric = evaluation.rubric if evaluation else services.rubric_for(placement)
    criteria = list(rubric.criteria.prefetch_related("levels")) if rubric else []
    initial: dict[str, object] = {}
    if evaluation is not None:
        initial = {"summary": evaluation.summary} | {
            f"criterion_{s.criterion_id}": s.level_id for s in evaluation.scores.all()
        }
    form = EvaluationForm(request.POST or None, initial=initial, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.evaluation_save(
                placement=placement,
                moment=moment,
                evaluator_role=role,
                author=_me(request),
                levels=form.chosen_levels(),
                summary=form.cleaned_data["summary"],
                submit=submit,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request,
                _("The evaluation has been submitted.")
                if submit
                else _("The draft has been saved; it stays visible to you only."),
            )
            return redirect("internships:detail", pk=placement.pk)
    return render(
        request,
        "internships/evaluation_form.html",
        {
            "placement": placement,
            "form": form,
            "rubric": rubric,
            "moment_label": Moment(moment).label,
            "role_label": EvaluatorRole(role).label,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def evaluation_respond(request: HttpRequest, pk: int, moment: str) -> HttpResponse:
    moment = _moment(moment)
    placement = _internship(request, pk, "internships.respond")
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.evaluation_respond(
                placement=placement,
                moment=moment,
                student=_me(request),
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your response has been saved."))
    else:
        messages.error(request, " ".join(str(e) for e in form.errors["body"]))
    return redirect("internships:detail", pk=placement.pk)


# --- The mentor register ---------------------------------------------------------------


def _register_reader(request: HttpRequest):
    scope = register_scope(request.user)
    if not scope.can_read:
        raise Http404
    return scope


@per_session
@login_required
def mentor_register(request: HttpRequest) -> HttpResponse:
    scope = _register_reader(request)
    rows = selectors.mentor_register(_me(request), scope)
    return render(request, "internships/mentor_register.html", {"rows": rows})


def _visible_mentor(request: HttpRequest, mentor_pk: int):
    """The mentor and their register rows this person may read, else 404."""
    scope = _register_reader(request)
    mentor = get_object_or_404(User, pk=mentor_pk)
    rows = selectors.mentor_register(_me(request), scope, mentor=mentor)
    if not rows and not (scope.everyone or (scope.own and mentor.pk == request.user.pk)):
        raise Http404
    return mentor, rows


def _mentor_page(request: HttpRequest, mentor: User, rows, form: TrainingForm, status=200):
    return render(
        request,
        "internships/mentor_detail.html",
        {
            "mentor": mentor,
            "rows": rows,
            "placements": selectors.mentored_placements(mentor, rows),
            "trainings": selectors.trainings_of(mentor),
            "can_record": has_perm("internships.record_training", request.user, mentor),
            "form": form,
        },
        status=status,
    )


@login_required
def mentor_detail(request: HttpRequest, mentor_pk: int) -> HttpResponse:
    mentor, rows = _visible_mentor(request, mentor_pk)
    return _mentor_page(request, mentor, rows, TrainingForm())


@login_required
@require_POST
def training_add(request: HttpRequest, mentor_pk: int) -> HttpResponse:
    mentor, rows = _visible_mentor(request, mentor_pk)
    require(request.user, "internships.record_training", mentor)
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            services.mentor_training_add(
                mentor=mentor, recorded_by=_me(request), **form.cleaned_data
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The training has been recorded."))
            return redirect("internships:mentor_detail", mentor_pk=mentor.pk)
    return _mentor_page(request, mentor, rows, form, status=400)
