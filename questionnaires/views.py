"""The team's questionnaire pages and the public form. Thin views: access through
``questionnaire_for`` / ``team_for`` (outsiders 404, look-but-not-act 403),
writes through services, service errors back into the form."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.shortcuts import has_perm, object_for, require
from config.absolute_urls import absolute_url
from config.page_cache import per_session
from knowledge_base.models import Study
from privacy.services import access_record
from research_cycle.permissions import team_access
from research_cycle.selectors import team_for

from . import public, services
from .forms import (
    AnswerForm,
    AttachToStudyForm,
    ConsentForm,
    QuestionForm,
    QuestionnaireForm,
    RoundForm,
    new_nonce,
    read_nonce,
)
from .models import (
    LANGUAGES,
    Answer,
    Question,
    Questionnaire,
    ResultsSnapshot,
    Round,
    SnapshotQuote,
    retention_months,
)
from .respondent_texts import texts_in
from .selectors import (
    aggregate_rows,
    answer_rows,
    as_csv,
    as_xlsx,
    questionnaire_for,
    results,
    team_questionnaires,
)


def _add_errors(form, error: ValidationError, rename: dict[str, str] | None = None) -> None:
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.message_dict.items():
        name = rename.get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def _detail_url(questionnaire: Questionnaire, anchor: str = "") -> str:
    url = reverse("questionnaires:detail", args=[questionnaire.team_id, questionnaire.pk])
    return f"{url}#{anchor}" if anchor else url


def _round(questionnaire: Questionnaire, number: int) -> Round:
    for round_ in questionnaire.rounds.all():
        if round_.number == number:
            return round_
    raise Http404


# --- The team's side ------------------------------------------------------------


@per_session
@login_required
@require_GET
def questionnaire_list(request, pk):
    team = team_for(request.user, pk)
    return render(
        request,
        "questionnaires/list.html",
        {
            "team": team,
            "questionnaires": team_questionnaires(team),
            "access": team_access(request.user, team),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_create(request, pk):
    team = team_for(request.user, pk, perm="research_cycle.log_progress")
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = services.questionnaire_create(
                team=team, user=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The questionnaire was made. Now add its questions."))
            return redirect(_detail_url(questionnaire))
    return render(
        request,
        "questionnaires/questionnaire_form.html",
        {"team": team, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def questionnaire_detail(request, pk, qpk):
    questionnaire = questionnaire_for(request.user, pk, qpk)
    today = timezone.localdate()
    rounds = list(questionnaire.rounds.all())
    return render(
        request,
        "questionnaires/detail.html",
        {
            "team": questionnaire.team,
            "questionnaire": questionnaire,
            "questions": questionnaire.questions.all(),
            "rounds": rounds,
            "open_round": next((r for r in rounds if r.is_open_on(today)), None),
            "access": team_access(request.user, questionnaire.team),
            "languages": LANGUAGES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_edit(request, pk, qpk):
    questionnaire = questionnaire_for(request.user, pk, qpk, perm="questionnaires.build")
    form = QuestionnaireForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_update(questionnaire=questionnaire, **form.service_arguments())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(_detail_url(questionnaire))
    return render(
        request,
        "questionnaires/questionnaire_form.html",
        {"team": questionnaire.team, "questionnaire": questionnaire, "form": form},
        status=400 if request.method == "POST" else 200,
    )


QUESTION_FIELDS = {"text": "text_nl", "options": "options_nl"}


@login_required
@require_http_methods(["GET", "POST"])
def question_form(request, pk, qpk, question_pk=None):
    """Add a question (``question_pk`` None) or change one."""
    questionnaire = questionnaire_for(request.user, pk, qpk, perm="questionnaires.build")
    question = get_object_or_404(questionnaire.questions, pk=question_pk) if question_pk else None
    form = QuestionForm(request.POST or None, questionnaire=questionnaire, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            if question is None:
                services.question_add(questionnaire=questionnaire, **form.service_arguments())
            else:
                services.question_update(question=question, **form.service_arguments())
        except ValidationError as error:
            _add_errors(form, error, QUESTION_FIELDS)
        else:
            messages.success(request, _("The question was saved."))
            return redirect(_detail_url(questionnaire, "questions"))
    return render(
        request,
        "questionnaires/question_form.html",
        {
            "team": questionnaire.team,
            "questionnaire": questionnaire,
            "question": question,
            "form": form,
            "languages": LANGUAGES,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def question_delete(request, pk, qpk, question_pk):
    questionnaire = questionnaire_for(request.user, pk, qpk, perm="questionnaires.build")
    question = get_object_or_404(questionnaire.questions, pk=question_pk)
    try:
        services.question_delete(question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The question was deleted."))
    return redirect(_detail_url(questionnaire, "questions"))


@login_required
@require_http_methods(["GET", "POST"])
def consent(request, pk, qpk):
    questionnaire = questionnaire_for(request.user, pk, qpk, perm="questionnaires.open")
    form = ConsentForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_confirm(
                questionnaire=questionnaire,
                user=request.user,
                asks_no_names=form.cleaned_data["asks_no_names"],
                parents_informed_on=form.cleaned_data.get("parents_informed_on"),
                consent_letter=form.cleaned_data.get("consent_letter", ""),
                today=timezone.localdate(),
                now=timezone.now(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The consent step is confirmed."))
            return redirect(_detail_url(questionnaire, "rounds"))
    return render(
        request,
        "questionnaires/consent.html",
        {"team": questionnaire.team, "questionnaire": questionnaire, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def consent_letter(request, pk, qpk, language):
    """The template letter informing parents (Dutch or French), as a text file the
    school adapts and prints."""
    if language not in ("nl", "fr"):
        raise Http404
    questionnaire = questionnaire_for(request.user, pk, qpk)
    text = render_to_string(
        f"questionnaires/letters/parents_{language}.txt",
        {
            "questionnaire": questionnaire,
            "school": questionnaire.team.school,
            "months": retention_months(questionnaire.team.school.partnership_id),
        },
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    filename = f"{slugify(questionnaire.title)}-{language}.txt"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request, pk, qpk):
    questionnaire = questionnaire_for(request.user, pk, qpk, perm="questionnaires.open")
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_open(
                questionnaire=questionnaire, today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The questionnaire is open: share the link or the QR code.")
            )
            return redirect(_detail_url(questionnaire, "rounds"))
    return render(
        request,
        "questionnaires/round_open.html",
        {"team": questionnaire.team, "questionnaire": questionnaire, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def round_close(request, pk, qpk, number):
    questionnaire = questionnaire_for(request.user, pk, qpk, perm="questionnaires.open")
    services.round_close(round_=_round(questionnaire, number), today=timezone.localdate())
    messages.success(request, _("The round is closed."))
    return redirect(_detail_url(questionnaire, "rounds"))


def public_url(round_: Round) -> str:
    return absolute_url(reverse("questionnaires:respond", args=[round_.token]))


@login_required
@require_GET
def round_qr(request, pk, qpk, number, kind):
    """The QR code of the round's public link, to print (PNG or SVG)."""
    questionnaire = questionnaire_for(request.user, pk, qpk)
    round_ = _round(questionnaire, number)
    buffer = io.BytesIO()
    segno.make(public_url(round_), error="m").save(buffer, kind=kind, scale=10, border=4)
    content_type = {"png": "image/png", "svg": "image/svg+xml"}[kind]
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    filename = f"qr-{slugify(questionnaire.title)}-{round_.number}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _small_number(value: str) -> int | None:
    """A step or round number from the address or a form; None for anything else
    (a 5,000-digit "number" included)."""
    return int(value) if value.isdigit() and len(value) <= 4 else None


def _chosen_rounds(request, questionnaire: Questionnaire) -> list[Round]:
    """One round, or two to compare (``?round=1&round=2``); the latest by default."""
    rounds = list(questionnaire.rounds.all())
    wanted = []
    for value in request.GET.getlist("round")[:2]:
        number = _small_number(value)
        wanted += [r for r in rounds if r.number == number and r not in wanted]
    return wanted or rounds[-1:]


@login_required
@require_GET
def results_page(request, pk, qpk):
    questionnaire = questionnaire_for(request.user, pk, qpk)
    chosen = _chosen_rounds(request, questionnaire)
    access = team_access(request.user, questionnaire.team)
    summaries, figures = results(questionnaire, chosen, hidden=access.can_log)
    return render(
        request,
        "questionnaires/results.html",
        {
            "team": questionnaire.team,
            "questionnaire": questionnaire,
            "rounds": list(questionnaire.rounds.all()),
            "chosen": chosen,
            "summaries": summaries,
            "figures": figures,
            "access": access,
            "attach_form": AttachToStudyForm(
                rounds=questionnaire.rounds.all(),
                studies=_drafts_to_offer(request.user, questionnaire),
                initial={"round": chosen[0].number} if chosen else None,
            )
            if access.can_log
            else None,
        },
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _record(request, questionnaire, kind: str) -> None:
    """Downloads of a team's questionnaire data go in its access log (privacy)."""
    access_record(
        user=request.user,
        kind=kind,
        what=questionnaire.title,
        path=request.path,
        team=questionnaire.team,
    )


def _download(content: str | bytes, questionnaire: Questionnaire, what: str, kind: str):
    content_type = XLSX if kind == "xlsx" else "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    filename = f"{slugify(questionnaire.title)}-{what}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def results_csv(request, pk, qpk):
    """The aggregated figures (never an answer), suppressed groups left empty."""
    questionnaire = questionnaire_for(request.user, pk, qpk)
    _record(request, questionnaire, "questionnaire_results")
    return _download(as_csv(aggregate_rows(questionnaire)), questionnaire, "results", "csv")


@login_required
@require_GET
def results_xlsx(request, pk, qpk):
    """The same figures as the CSV, as a workbook."""
    questionnaire = questionnaire_for(request.user, pk, qpk)
    _record(request, questionnaire, "questionnaire_results")
    workbook = as_xlsx(aggregate_rows(questionnaire), sheet=_("Results"))
    return _download(workbook, questionnaire, "results", "xlsx")


@login_required
@require_POST
def results_to_log(request, pk, qpk):
    """Put the figures (as a CSV table) in the team's research diary."""
    questionnaire = questionnaire_for(request.user, pk, qpk, perm="questionnaires.build")
    try:
        services.results_attach_to_log(
            questionnaire=questionnaire, user=request.user, today=timezone.localdate()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The figures were added to the research diary."))
    return redirect(reverse("questionnaires:results", args=[pk, qpk]))


def _team_drafts(questionnaire: Questionnaire) -> QuerySet[Study]:
    """The team's studies that can still change: where results can go."""
    return Study.objects.filter(
        team_id=questionnaire.team_id,
        status__in=[Study.Status.DRAFT, Study.Status.CHANGES_REQUESTED],
    ).order_by("-created_at")


def _drafts_to_offer(user, questionnaire: Questionnaire) -> QuerySet[Study]:
    """The team's drafts, if this person may change the team's study."""
    drafts = _team_drafts(questionnaire)
    first = drafts.first()
    allowed = first is not None and has_perm("knowledge_base.edit_study", user, first)
    return drafts if allowed else drafts.none()


@login_required
@require_POST
def results_to_study(request, pk, qpk):
    """Attach a round's figures and its open answers (for the reviewer to approve
    one by one) to the team's study draft."""
    questionnaire = questionnaire_for(request.user, pk, qpk, perm="questionnaires.build")
    form = AttachToStudyForm(
        request.POST,
        rounds=questionnaire.rounds.all(),
        studies=_team_drafts(questionnaire),
    )
    url = reverse("questionnaires:results", args=[pk, qpk])
    if not form.is_valid():
        messages.error(request, _("Choose a round and one of the team's study drafts."))
        return redirect(url)
    study = form.cleaned_data["study"]
    require(request.user, "knowledge_base.edit_study", study)
    round_ = _round(questionnaire, form.cleaned_data["round"])
    try:
        services.results_attach_to_study(round_=round_, study=study, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(url)
    messages.success(request, _("The figures were added to the study draft."))
    return redirect(f"{study.get_manage_url()}#questionnaire-results")


def _study(request, study_pk, perm: str) -> Study:
    return object_for(request.user, Study.objects.all(), perm=perm, pk=study_pk)


@login_required
@require_POST
def results_detach(request, study_pk, snapshot_pk):
    study = _study(request, study_pk, "knowledge_base.edit_study")
    snapshot = get_object_or_404(ResultsSnapshot, pk=snapshot_pk, study=study)
    try:
        services.results_detach_from_study(snapshot=snapshot)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The figures were taken off the study."))
    return redirect(f"{study.get_manage_url()}#questionnaire-results")


@login_required
@require_POST
def quote_approve(request, study_pk, quote_pk):
    """The reviewer lets one open answer onto the public study page (or takes it off)."""
    study = _study(request, study_pk, "knowledge_base.review_study")
    quote = get_object_or_404(SnapshotQuote, pk=quote_pk, snapshot__study=study)
    try:
        services.quote_set_approved(
            quote=quote,
            user=request.user,
            approved=request.POST.get("approved") != "0",
            now=timezone.now(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(f"{study.get_manage_url()}#quote-{quote.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def answers_export(request, pk, qpk):
    """Every answer, one line a response: only for those who build, after a warning
    (a file leaves the platform's protection)."""
    questionnaire = questionnaire_for(request.user, pk, qpk, perm="questionnaires.build")
    if request.method == "GET":
        return render(
            request,
            "questionnaires/answers_export.html",
            {"team": questionnaire.team, "questionnaire": questionnaire},
        )
    rows = answer_rows(questionnaire)
    _record(request, questionnaire, "questionnaire_answers")
    if request.POST.get("format") == "xlsx":
        return _download(as_xlsx(rows, sheet=_("Answers")), questionnaire, "answers", "xlsx")
    return _download(as_csv(rows), questionnaire, "answers", "csv")


@login_required
@require_POST
def answer_hide(request, pk, qpk, answer_pk):
    questionnaire = questionnaire_for(request.user, pk, qpk, perm="questionnaires.build")
    answer = get_object_or_404(Answer, pk=answer_pk, question__questionnaire=questionnaire)
    services.answer_set_hidden(answer=answer, hidden=request.POST.get("hidden") != "0")
    messages.success(request, _("Saved."))
    url = reverse("questionnaires:results", args=[pk, qpk])
    return redirect(f"{url}?round={answer.round.number}#question-{answer.question_id}")


@login_required
@require_GET
def preview(request, pk, qpk):
    """The form as respondents see it (child-friendly: a step at a time), not sent."""
    questionnaire = questionnaire_for(request.user, pk, qpk)
    language = _language(request.GET.get("lang"), questionnaire)
    questions = list(questionnaire.questions.all())
    step = request.GET.get("step", "0")
    index = min(_small_number(step) or 0, max(len(questions) - 1, 0))
    context = _form_context(
        questionnaire,
        questions,
        language,
        AnswerForm(questions=questions, language=language),
        index,
    )
    context.update({"preview": True, "step": index})
    return render(request, "questionnaires/respond.html", context)


# --- The public form -----------------------------------------------------------


def _language(requested: str | None, questionnaire: Questionnaire) -> str:
    """The language asked for, else the visitor's (when the questionnaire has it), else Dutch."""
    for language in (requested, get_language()):
        if language in questionnaire.all_languages:
            return language
    return "nl"


def _form_context(questionnaire, questions, language, form, index):
    on_screen = [questions[index]] if questionnaire.child_friendly and questions else questions
    words = texts_in(language)
    return {
        "questionnaire": questionnaire,
        "title": questionnaire.title_in(language),
        "language": language,
        "direction": LANGUAGES[language][1],
        "words": words,
        "question_of": words["question_of"].format(number=index + 1, total=len(questions)),
        "languages": [(code, LANGUAGES[code][0]) for code in questionnaire.all_languages],
        "form": form,
        "on_screen": [form[f"q{q.pk}"] for q in on_screen],
        "carried": [
            (name, value)
            for name, values in form.data.lists()
            if name.startswith("q") and name not in {f"q{q.pk}" for q in on_screen}
            for value in values
        ]
        if form.is_bound
        else [],
        "index": index,
        "total": len(questions),
        "last": index >= len(questions) - 1,
        "Kind": Question.Kind,
    }


def _public_page(kind: str, round_: Round, language: str, context: dict) -> str:
    """A page that is the same for every respondent, rendered once per process."""
    return public.cached_page(
        public.page_key(kind, round_, language),
        lambda: render_to_string(f"questionnaires/{kind}.html", context),
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def respond(request, token):
    """The public form: no login, nothing about the sender kept. Bad input comes
    back with a message in the respondent's language and stores nothing.

    No CSRF token: the form acts for nobody signed in (a forged post could only
    add an anonymous answer, which anyone may do), and the CSRF cookie would be
    the one thing the respondent's phone keeps from us. The signed one-time
    nonce does what a token would: only forms we served count, each once.

    Pages are rendered without the request (no context processors: a respondent
    has no menu or inbox), the same ones once per process (``public``)."""
    round_ = public.open_round(token)
    if round_ is None:
        raise Http404
    questionnaire = round_.questionnaire
    language = _language(request.POST.get("lang") or request.GET.get("lang"), questionnaire)
    words = texts_in(language)
    base = {
        "questionnaire": questionnaire,
        "title": questionnaire.title_in(language),
        "language": language,
        "direction": LANGUAGES[language][1],
        "words": words,
    }
    if not round_.is_open_on(timezone.localdate()):
        return HttpResponse(
            _public_page("closed", round_, language, base),
            status=410 if request.method == "POST" else 200,
        )
    questions = public.round_questions(round_)
    if request.method == "GET":

        def blank_form() -> str:
            form = AnswerForm(questions=questions, language=language)
            context = _form_context(questionnaire, questions, language, form, 0)
            context["nonce"] = public.NONCE_PLACEHOLDER
            return render_to_string("questionnaires/respond.html", context)

        page = public.cached_page(public.page_key("respond", round_, language), blank_form)
        return HttpResponse(page.replace(public.NONCE_PLACEHOLDER, new_nonce(token), 1))

    step = request.POST.get("step", "0")
    index = min(_small_number(step) or 0, max(len(questions) - 1, 0))
    nonce = read_nonce(token, request.POST.get("nonce", ""))
    child_step = questionnaire.child_friendly and index < len(questions) - 1
    asked = index + 1 if questionnaire.child_friendly else None
    answers = None  # a complete, valid submission, checked without building the form
    if nonce is not None and not child_step and not request.POST.get("website"):
        answers = public.valid_answers(round_, questions, request.POST)
    form = None
    if answers is None:  # the form says what is wrong (or checks a child's screen)
        form = AnswerForm(request.POST, questions=questions, language=language, asked=asked)
        answers = form.answers() if form.is_valid() else None
    status, error = 400, ""
    if nonce is None or (form is not None and form.is_spam):
        error = words["errors"]
    elif answers is None:
        error = words["errors"]
        index = _first_error_index(form, questions, index)
    elif child_step:
        index += 1  # the next screen; nothing is stored before the last one
        status = 200
    elif public.over_rate_limit(request):
        error, status = words["too_many"], 429
    else:
        try:
            services.response_submit(
                round_=round_,
                answers=answers,
                nonce=nonce,
                today=timezone.localdate(),
                questions=questions,
            )
        except services.Replayed:
            error, status = words["replayed"], 409
        except services.Closed:  # since the form read the round
            return HttpResponse(_public_page("closed", round_, language, base), status=410)
        except ValidationError as exc:
            form = form or _checked_form(request, questions, language, asked)
            _add_errors(form, exc)
            error = words["errors"]
        else:
            return HttpResponse(_public_page("thanks", round_, language, base))
    # The form again (the next screen, or what went wrong), with what was typed.
    form = form or _checked_form(request, questions, language, asked)
    context = _form_context(questionnaire, questions, language, form, index)
    context.update(
        {"nonce": request.POST.get("nonce", "") if nonce else new_nonce(token), "error": error}
    )
    return HttpResponse(render_to_string("questionnaires/respond.html", context), status=status)


def _checked_form(request, questions, language, asked) -> AnswerForm:
    """The form for answers the fast check accepted, to show them again."""
    form = AnswerForm(request.POST, questions=questions, language=language, asked=asked)
    form.is_valid()
    return form


def _first_error_index(form, questions, index) -> int:
    for position, question in enumerate(questions):
        if f"q{question.pk}" in form.errors:
            return position
    return index
