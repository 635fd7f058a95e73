"""Staff pages of the review workflow, and the consent link for authors.

Staff views fetch through ``access.shortcuts.object_for`` (the model's
``visible_to(user)``: outsiders get 404) with the rule of the action (people who
may only look get 403). Writes go through ``services``, which trust that check.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.shortcuts import object_for, require
from config.page_cache import per_session
from privacy.services import access_record
from questionnaires.selectors import attached_results
from research_cycle.models import ResearchTeam

from . import reading, selectors, services
from .models import Study, StudyAuthor, StudyFile
from .public import may_be_named
from .review_forms import (
    AttachmentChoiceForm,
    AuthorForm,
    ConsentForm,
    CreateFromCycleForm,
    FileUploadForm,
    HandEnteredStudyForm,
    PublishForm,
    RequestChangesForm,
    StudyForm,
    WithdrawForm,
)
from .study_views import as_published, serve_study_file


@require_http_methods(["GET", "POST"])
def author_consent(request, token):
    """The personal link from the consent email: no login needed, the token is the key."""
    author = get_object_or_404(
        StudyAuthor.objects.select_related("study__school", "study__school_year"),
        consent_token=token,
    )
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.study_author_answer(author=author, agreed=form.agreed)
        if form.agreed:
            messages.success(request, _("Thank you: you agreed to be named as an author."))
        else:
            messages.success(request, _("Thank you: you will not be named as an author."))
        return redirect("knowledge_base:author_consent", token=token)
    return render(
        request,
        "knowledge_base/author_consent.html",
        {"author": author, **as_published(author.study)},
    )


# --- Staff pages ----------------------------------------------------------------------


def _staff_study(request, pk, perm: str | None = None) -> Study:
    return object_for(
        request.user,
        Study.objects.select_related("team", "school", "school_year", "cycle"),
        perm=perm,
        pk=pk,
    )


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@per_session
@login_required
@require_GET
def study_manage_list(request):
    """The studies this person may see, in every status, and where a new one starts."""
    return render(
        request,
        "knowledge_base/manage_list.html",
        {
            "studies": selectors.manageable_studies(request.user),
            "coached_teams": selectors.coached_teams_in_cycle(request.user),
            "awaiting_review": selectors.studies_awaiting_review(request.user, limit=None),
            "can_enter_by_hand": rules.has_perm("knowledge_base.enter_study_by_hand", request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_create_from_cycle(request, team_pk):
    team = object_for(
        request.user,
        ResearchTeam.objects.select_related("school", "school_year"),
        perm="knowledge_base.start_study",
        pk=team_pk,
    )
    form = CreateFromCycleForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        study = services.study_create_from_cycle(
            cycle=form.cleaned_data["cycle"], user=request.user
        )
        messages.success(request, _("The draft is ready. Check and complete it."))
        return redirect("knowledge_base:study_edit", pk=study.pk)
    return render(request, "knowledge_base/create_from_cycle.html", {"team": team, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def study_create_by_hand(request):
    require(request.user, "knowledge_base.enter_study_by_hand")
    form = HandEnteredStudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            study = services.study_create(
                user=request.user,
                school=form.cleaned_data["school"],
                school_year=form.cleaned_data["school_year"],
                themes=form.cleaned_data["themes"],
                **form.content(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The study is saved as a draft."))
            return redirect(study.get_manage_url())
    return render(request, "knowledge_base/study_form.html", {"form": form, "study": None})


@login_required
@require_http_methods(["GET", "POST"])
def study_edit(request, pk):
    study = _staff_study(request, pk, "knowledge_base.edit_study")
    if not study.is_editable:
        messages.error(request, _("This study is under review or public and cannot be changed."))
        return redirect(study.get_manage_url())
    form = StudyForm(request.POST or None, instance=study)
    if request.method == "POST" and form.is_valid():
        try:
            services.study_update(
                study=study, user=request.user, themes=form.cleaned_data["themes"], **form.content()
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The study is saved."))
            return redirect(study.get_manage_url())
    return render(request, "knowledge_base/study_form.html", {"form": form, "study": study})


def _render_manage(request, study, status=200, **forms):
    user = request.user
    authors = list(study.authors.select_related("user"))
    defaults = {
        "author_form": AuthorForm(),
        "upload_form": FileUploadForm(),
        "attachment_form": AttachmentChoiceForm(queryset=services.team_attachments(study)),
        "changes_form": RequestChangesForm(),
        "publish_form": PublishForm(),
        "withdraw_form": WithdrawForm(),
    }
    defaults.update(forms)
    return render(
        request,
        "knowledge_base/manage_detail.html",
        {
            **as_published(study, results=False),
            "authors": authors,
            "waiting_authors": [author for author in authors if not may_be_named(author)],
            "files": list(study.files.all()),
            "events": list(study.events.select_related("user")),
            "can_edit": rules.has_perm("knowledge_base.edit_study", user, study)
            and study.is_editable,
            "can_submit": rules.has_perm("knowledge_base.author_study", user, study)
            and study.is_editable,
            "can_review": rules.has_perm("knowledge_base.review_study", user, study),
            "reading": reading.daily_counts(study) if study.published_at else None,
            # Every open answer with whether it is public, for the reviewer to approve.
            "questionnaire_results": attached_results(
                study.questionnaire_results.all(), public=False
            ),
            "review": True,
            **defaults,
        },
        status=status,
    )


@login_required
@require_GET
def study_manage(request, pk):
    return _render_manage(request, _staff_study(request, pk))


def _post_action(request, pk, perm, form_class, form_name, action, success):
    """Shared shape of the review and file actions: fetch, check, validate, call the
    service, and on refusal show the page again with the message at the form."""
    study = _staff_study(request, pk, perm)
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is None or form.is_valid():
        try:
            action(study, form.cleaned_data if form else {})
        except ValidationError as error:
            if form is None:
                for message in error.messages:
                    messages.error(request, message)
                return redirect(study.get_manage_url())
            _apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(study.get_manage_url())
    return _render_manage(request, study, status=400, **{form_name: form})


@login_required
@require_POST
def study_submit(request, pk):
    return _post_action(
        request,
        pk,
        "knowledge_base.author_study",
        None,
        "",
        lambda study, data: services.study_submit(study=study, user=request.user),
        _("The study is submitted for review."),
    )


@login_required
@require_POST
def study_request_changes(request, pk):
    return _post_action(
        request,
        pk,
        "knowledge_base.review_study",
        RequestChangesForm,
        "changes_form",
        lambda study, data: services.study_request_changes(
            study=study, user=request.user, comment=data["comment"]
        ),
        _("The team is asked for changes."),
    )


@login_required
@require_POST
def study_publish(request, pk):
    return _post_action(
        request,
        pk,
        "knowledge_base.review_study",
        PublishForm,
        "publish_form",
        lambda study, data: services.study_publish(study=study, user=request.user, **data),
        _("The study is published."),
    )


@login_required
@require_POST
def study_withdraw(request, pk):
    return _post_action(
        request,
        pk,
        "knowledge_base.review_study",
        WithdrawForm,
        "withdraw_form",
        lambda study, data: services.study_withdraw(
            study=study, user=request.user, note=data["note"]
        ),
        _("The study is withdrawn. Its address now says so."),
    )


@login_required
@require_POST
def study_author_add(request, pk):
    return _post_action(
        request,
        pk,
        "knowledge_base.edit_study",
        AuthorForm,
        "author_form",
        lambda study, data: services.study_author_add(study=study, user=request.user, **data),
        _("The author is added. Ask them for consent."),
    )


def _author(study, author_pk) -> StudyAuthor:
    return get_object_or_404(StudyAuthor, study=study, pk=author_pk)


@login_required
@require_http_methods(["GET", "POST"])
def study_author_remove(request, pk, author_pk):
    """Asks first (GET shows who goes); the confirming POST removes. No JavaScript."""
    if request.method == "GET":
        study = _staff_study(request, pk, "knowledge_base.edit_study")
        author = _author(study, author_pk)
        return render(
            request, "knowledge_base/author_remove.html", {"study": study, "author": author}
        )
    return _post_action(
        request,
        pk,
        "knowledge_base.edit_study",
        None,
        "",
        lambda study, data: services.study_author_remove(
            author=_author(study, author_pk), user=request.user
        ),
        _("The author is removed."),
    )


@login_required
@require_POST
def study_author_request(request, pk, author_pk):
    return _post_action(
        request,
        pk,
        "knowledge_base.edit_study",
        None,
        "",
        lambda study, data: services.study_author_request_consent(
            author=_author(study, author_pk), user=request.user
        ),
        _("The consent request is sent by email."),
    )


@login_required
@require_POST
def study_author_answer(request, pk, author_pk):
    """In the app, an author answers for themselves (nobody else can)."""
    study = _staff_study(request, pk)
    author = _author(study, author_pk)
    require(request.user, "knowledge_base.answer_as_author", author)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether you agree."))
    else:
        services.study_author_answer(author=author, agreed=form.agreed)
        messages.success(request, _("Your answer is saved."))
    return redirect(study.get_manage_url())


@login_required
@require_POST
def study_file_upload(request, pk):
    return _post_action(
        request,
        pk,
        "knowledge_base.edit_study",
        FileUploadForm,
        "upload_form",
        lambda study, data: services.study_file_add(
            study=study, user=request.user, upload=data["file"], kind=data["kind"]
        ),
        _("The file is added."),
    )


@login_required
@require_POST
def study_file_copy(request, pk):
    study = _staff_study(request, pk, "knowledge_base.edit_study")
    form = AttachmentChoiceForm(request.POST, queryset=services.team_attachments(study))
    if form.is_valid():
        try:
            services.study_attachments_copy(
                study=study, user=request.user, attachments=form.cleaned_data["attachments"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The files are added to the study."))
            return redirect(study.get_manage_url())
    return _render_manage(request, study, status=400, attachment_form=form)


@login_required
@require_POST
def study_file_remove(request, pk, file_pk):
    return _post_action(
        request,
        pk,
        "knowledge_base.edit_study",
        None,
        "",
        lambda study, data: services.study_file_delete(
            study_file=get_object_or_404(StudyFile, study=study, pk=file_pk), user=request.user
        ),
        _("The file is removed."),
    )


@login_required
@require_GET
def study_file_staff(request, pk, file_pk):
    """Files of a study in any status, for the people who may see the study."""
    study = _staff_study(request, pk)
    study_file = get_object_or_404(StudyFile, study=study, pk=file_pk)
    access_record(
        user=request.user,
        kind="study_file",
        what=f"{study.title}: {study_file.original_name}",
        path=request.path,
        team=study.team,
    )
    return serve_study_file(study_file)
