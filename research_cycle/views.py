"""The team workspace. Thin views: access through selectors and permissions,
writes through services, errors back into the form."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from access.shortcuts import has_perm, require
from accounts.models import User
from config.page_cache import per_session
from inspiration.selectors import inspiration_for
from placements.selectors import team_placements
from privacy.services import access_record

from . import services
from .forms import (
    AdvanceForm,
    CommentForm,
    LogEntryForm,
    StepBackForm,
    StudyPerspectivesForm,
    StudyTextForm,
)
from .models import (
    STUDY_FIELDS,
    Attachment,
    ChecklistItem,
    Perspective,
    PreviewStatus,
    ResearchCycle,
)
from .notifications import team_members
from .permissions import shows_study_edit, team_access
from .selectors import entry_for, field_history, team_for, workspace

STUDY_FIELD_LABELS = dict(STUDY_FIELDS)


def _open_cycle(team) -> ResearchCycle:
    cycle = team.current_cycle
    if cycle is None or cycle.is_completed:
        raise Http404
    return cycle


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _workspace_url(team, anchor: str = "") -> str:
    url = reverse("research_cycle:team_workspace", kwargs={"pk": team.pk})
    return f"{url}#{anchor}" if anchor else url


@per_session
@login_required
def team_workspace(request, pk):
    team = team_for(request.user, pk)
    try:
        cycle_number = int(request.GET["cycle"]) if "cycle" in request.GET else None
    except ValueError:
        cycle_number = None
    context = workspace(team, cycle_number=cycle_number, page=request.GET.get("page", 1))
    context["access"] = team_access(request.user, team)
    context["comment_form"] = CommentForm()
    context["perspective_labels"] = dict(Perspective.choices)
    context["team_placements"] = team_placements(team)
    if request.htmx and request.htmx.target == "timeline":
        return render(request, "research_cycle/workspace.html#timeline", context)
    context["inspiration"] = inspiration_for(team, request.user)
    context["can_send_injection"] = has_perm("inspiration.send_injection", request.user, team)
    return render(request, "research_cycle/workspace.html", context)


@login_required
@require_POST
def cycle_start(request, pk):
    team = team_for(request.user, pk, perm="research_cycle.advance_stage")
    try:
        services.cycle_start(team=team, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new research cycle has started."))
    return redirect(_workspace_url(team, "cycle"))


#: The two moves of the stage page: the form (its prefix is the button's name) and
#: the service it calls with the form's cleaned data.
#: Each move's form and the service it calls with the form's cleaned data.
STAGE_MOVES: dict[str, tuple[Callable[..., forms.Form], Callable[..., ResearchCycle]]] = {
    "advance": (AdvanceForm, services.cycle_advance_stage),
    "back": (StepBackForm, services.cycle_step_back),
}


def _moved_message(cycle: ResearchCycle, move: str) -> str:
    if cycle.is_completed:
        return _("The cycle is completed. Well done!")
    if move == "advance":
        return _("The team moved on to “%(stage)s”.") % {"stage": cycle.current_stage.name}
    return _("The team went back to “%(stage)s”.") % {"stage": cycle.current_stage.name}


@login_required
@require_http_methods(["GET", "POST"])
def stage_move(request, pk):
    """The page to move through the cycle: advance (with a reason when items are
    unchecked) or step back to an earlier stage."""
    team = team_for(request.user, pk, perm="research_cycle.advance_stage")
    cycle = _open_cycle(team)
    forms = {name: form(prefix=name, cycle=cycle) for name, (form, _do) in STAGE_MOVES.items()}
    if request.method == "POST":
        move = "advance" if "advance" in request.POST else "back"
        form_class, service = STAGE_MOVES[move]
        form = forms[move] = form_class(request.POST, prefix=move, cycle=cycle)
        if form.is_valid():
            try:
                cycle = service(cycle=cycle, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _moved_message(cycle, move))
                return redirect(_workspace_url(team, "cycle"))
    return render(
        request,
        "research_cycle/stage_move.html",
        {
            "team": team,
            "cycle": cycle,
            "unchecked": services.unchecked_items(cycle),
            "advance_form": forms["advance"],
            "back_form": forms["back"],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def checklist_toggle(request, pk, item_pk):
    team = team_for(request.user, pk, perm="research_cycle.advance_stage")
    cycle = _open_cycle(team)
    item = get_object_or_404(ChecklistItem, pk=item_pk)
    try:
        services.checklist_set(
            cycle=cycle, item=item, checked=request.POST.get("checked") == "1", user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        context = workspace(team)
        context["access"] = team_access(request.user, team)
        return render(request, "research_cycle/workspace.html#checklist", context)
    return redirect(_workspace_url(team, "checklist"))


def _study_form(field, *args, **kwargs):
    label = STUDY_FIELD_LABELS.get(field, _("Perspectives"))
    form_class = StudyPerspectivesForm if field == "perspectives" else StudyTextForm
    return form_class(*args, label=label, **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def study_field_edit(request, pk, field):
    """Edit one field of the study in place (htmx) or on its own page (no JS)."""
    if field not in STUDY_FIELD_LABELS and field != "perspectives":
        raise Http404
    team = team_for(request.user, pk, perm="research_cycle.edit_study")
    cycle = _open_cycle(team)
    status = 200
    if request.method == "POST":
        form = _study_form(field, request.POST)
        if form.is_valid():
            try:
                cycle = services.study_field_update(
                    cycle=cycle,
                    field=field,
                    value=form.cleaned_data["value"],
                    expected_version=form.cleaned_data["version"],
                    user=request.user,
                )
            except ValidationError as error:
                _apply_errors(form, ValidationError(error.message_dict.get(field, error.messages)))
                status = 400
                if isinstance(error, services.StaleEdit):
                    # Show the saved version, and let a deliberate second save count.
                    status = 409
                    cycle.refresh_from_db(fields=[field, "field_versions"])
                    form.data = form.data.copy()
                    form.data["version"] = cycle.field_version(field)
            else:
                if request.htmx:
                    return render(
                        request,
                        "research_cycle/workspace.html#study_field",
                        _study_field_context(team, cycle, field, request.user),
                    )
                messages.success(request, _("Saved."))
                return redirect(_workspace_url(team, f"study-{field}"))
        else:
            status = 400
    else:
        form = _study_form(
            field, initial={"value": getattr(cycle, field), "version": cycle.field_version(field)}
        )
    context = {
        **_study_field_context(team, cycle, field, request.user),
        "form": form,
        "current_value": getattr(cycle, field),
    }
    if request.htmx:
        return render(request, "research_cycle/study_field_form.html", context, status=status)
    return render(request, "research_cycle/study_field_page.html", context, status=status)


def _study_field_context(team, cycle, field, user):
    access = team_access(user, team)
    return {
        "team": team,
        "cycle": cycle,
        "field": field,
        "label": STUDY_FIELD_LABELS.get(field, _("Perspectives")),
        "value": getattr(cycle, field),
        "version": cycle.field_version(field),
        "access": access,
        # what ``workspace.html#study_field`` reads (as ``study_parts`` gives it)
        "editable": shows_study_edit(access, cycle, team),
        "team_pk": team.pk,
    }


@login_required
def study_field_history(request, pk, field):
    if field not in STUDY_FIELD_LABELS and field != "perspectives":
        raise Http404
    team = team_for(request.user, pk)
    cycle = team.current_cycle
    if cycle is None:
        raise Http404
    return render(
        request,
        "research_cycle/study_field_history.html",
        {
            "team": team,
            "cycle": cycle,
            "field": field,
            "label": STUDY_FIELD_LABELS.get(field, _("Perspectives")),
            "revisions": field_history(cycle, field),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request, pk):
    team = team_for(request.user, pk, perm="research_cycle.log_progress")
    cycle = _open_cycle(team)
    form = LogEntryForm(request.POST or None, request.FILES or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_entry_create(cycle=cycle, author=request.user, **_entry_fields(form))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your log entry is saved."))
            return redirect(_workspace_url(team, "timeline"))
    return render(
        request,
        "research_cycle/entry_form.html",
        {"team": team, "cycle": cycle, "form": form},
        status=400 if request.method == "POST" else 200,
    )


ENTRY_FIELDS = (
    "stage",
    "occurred_on",
    "summary",
    "decisions",
    "next_steps",
    "perspectives",
    "files",
)


def _entry_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in ENTRY_FIELDS}


def _own_entry(request, entry_pk):
    return entry_for(request.user, entry_pk, perm="research_cycle.change_entry")


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, entry_pk):
    entry = _own_entry(request, entry_pk)
    team = entry.cycle.team
    form = LogEntryForm(
        request.POST or None, request.FILES or None, cycle=entry.cycle, instance=entry
    )
    if request.method == "GET":
        form.initial["perspectives"] = entry.perspectives
    if request.method == "POST" and form.is_valid():
        try:
            services.log_entry_update(
                entry=entry,
                user=request.user,
                **_entry_fields(form),
                remove_attachments=[a.pk for a in form.cleaned_data.get("remove_attachment", ())],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your log entry is updated."))
            return redirect(_workspace_url(team, f"entry-{entry.pk}"))
    return render(
        request,
        "research_cycle/entry_form.html",
        {
            "team": team,
            "cycle": entry.cycle,
            "form": form,
            "entry": entry,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request, entry_pk):
    entry = _own_entry(request, entry_pk)
    team = entry.cycle.team
    if request.method == "POST":
        services.log_entry_delete(entry=entry)
        messages.success(request, _("The log entry is deleted."))
        return redirect(_workspace_url(team, "timeline"))
    return render(request, "research_cycle/entry_delete.html", {"team": team, "entry": entry})


@login_required
@require_POST
def comment_create(request, entry_pk):
    entry = entry_for(request.user, entry_pk)
    team = entry.cycle.team
    require(request.user, "research_cycle.comment", team)
    form = CommentForm(request.POST, members=team_members(team))
    if form.is_valid():
        picked = form.cleaned_data["mention"]
        mention = User.objects.filter(pk=picked).first() if picked else None
        try:
            if picked and mention is None:
                raise ValidationError({"mention": _("Choose a member of this team.")})
            services.comment_add(
                entry=entry, author=request.user, body=form.cleaned_data["body"], mention=mention
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your comment is posted."))
            return redirect(_workspace_url(team, f"entry-{entry.pk}"))
    return render(
        request,
        "research_cycle/comment_form.html",
        {"team": team, "entry": entry, "form": form},
        status=400,
    )


def _attachment_for(request, pk) -> Attachment:
    """The attachment if this person may see its team (else 404): one rule for the
    file, its inline view and its thumbnail."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("log_entry__cycle__team"), pk=pk
    )
    team_for(request.user, attachment.log_entry.cycle.team_id)
    return attachment


def _record_access(request, attachment: Attachment) -> None:
    """Opening or downloading a team file goes in the team's access log (privacy)."""
    access_record(
        user=request.user,
        kind="attachment",
        what=attachment.original_name,
        path=request.path,
        team=attachment.log_entry.cycle.team,
    )


def _private_file(response: FileResponse) -> FileResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def attachment_download(request, pk):
    """Private evidence: only people who may see the team get the file (recorded in
    the team's access log)."""
    attachment = _attachment_for(request, pk)
    _record_access(request, attachment)
    return _private_file(
        FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
    )


#: A file opened in the browser runs nothing and loads nothing: whatever a hostile
#: PDF or image holds stays inert. (Chromium's and Firefox's PDF viewers render
#: under this; the download link stays for Safari, whose viewer does not.)
INLINE_FILE_POLICY = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"


@login_required
@require_safe
def attachment_view(request, pk):
    """A PDF or image opened in the browser, with the same check as the download."""
    attachment = _attachment_for(request, pk)
    if not attachment.can_show_inline:
        raise Http404
    _record_access(request, attachment)
    response = _private_file(
        FileResponse(
            attachment.file.open("rb"),
            as_attachment=False,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
    )
    response["Content-Security-Policy"] = INLINE_FILE_POLICY
    return response


@login_required
@require_safe
def attachment_preview(request, pk):
    """The thumbnail (a JPEG made by ``services.attachment_make_preview``)."""
    attachment = _attachment_for(request, pk)
    if attachment.preview_status != PreviewStatus.READY:
        raise Http404
    return _private_file(FileResponse(attachment.preview.open("rb"), content_type="image/jpeg"))
