"""Thin views: the results of a school, a learning community and the network
(page, CSV, JSON), opening a round, and the public answer page reached by the
mailed link (no login: the link is the permission)."""

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from access.shortcuts import has_perm, object_for, require
from accounts.models import User
from config.page_cache import per_session
from oversight.csv_export import csv_response
from retention.selectors import dashboard_panel as retention_panel
from reviews.selectors import dashboard_panel as review_panel

from . import selectors, services
from .charts import mean_bars
from .forms import AnswerForm, RoundForm
from .models import MIN_RESPONDENTS, Invitation
from .permissions import (
    CommunityResults,
    NetworkResults,
    SchoolResults,
)


@per_session
@login_required
def landing(request: HttpRequest) -> HttpResponse:
    # The other monitoring pages, each behind its own app's rule (the same panels as
    # on the dashboard, from this year's roles).
    user = cast(User, request.user)
    found = selectors.landing(user)
    return render(
        request,
        "monitoring/landing.html",
        {
            "schools": found.schools,
            "communities": found.communities,
            "partnerships": found.partnerships,
            "min_respondents": MIN_RESPONDENTS,
            "retention": retention_panel(user, found.roles),
            "review_panel": review_panel(user, found.school_year, found.roles),
        },
    )


def _results(
    request: HttpRequest, *, level: str, name: str, rounds, fmt: str, context: dict
) -> HttpResponse:
    periods = selectors.period_results(rounds)
    if fmt == "csv":
        header, rows = selectors.csv_rows(periods)
        return csv_response(f"monitoring-{level}.csv", header, rows)
    if fmt == "json":
        return JsonResponse(selectors.as_json(level, name, periods))
    return render(
        request,
        "monitoring/results.html",
        {
            **context,
            "level": level,
            "name": name,
            "periods": periods,
            "chart": mean_bars(periods),
            "min_respondents": MIN_RESPONDENTS,
            "suppression_note": selectors.suppression_note(),
        },
    )


@require_safe
@login_required
def school_results(request: HttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    school = object_for(request.user, SchoolResults(), pk=pk)
    return _results(
        request,
        level="school",
        name=school.name,
        rounds=selectors.school_rounds(school),
        fmt=fmt,
        context={
            "school": school,
            "can_open": has_perm("monitoring.open_round", request.user, school),
            "csv_url": "monitoring:school_csv",
            "json_url": "monitoring:school_json",
            "pk": school.pk,
        },
    )


@require_safe
@login_required
def community_results(request: HttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    community = object_for(request.user, CommunityResults(), pk=pk)
    return _results(
        request,
        level="community",
        name=str(community),
        rounds=selectors.community_rounds(community),
        fmt=fmt,
        context={
            "community": community,
            "csv_url": "monitoring:community_csv",
            "json_url": "monitoring:community_json",
            "pk": community.pk,
        },
    )


@require_safe
@login_required
def network_results(request: HttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    partnership = object_for(request.user, NetworkResults(), pk=pk)
    return _results(
        request,
        level="network",
        name=partnership.name,
        rounds=selectors.network_rounds(partnership),
        fmt=fmt,
        context={
            "partnership": partnership,
            "csv_url": "monitoring:network_csv",
            "json_url": "monitoring:network_json",
            "pk": partnership.pk,
        },
    )


def _apply_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    school = object_for(request.user, SchoolResults(), pk=pk)
    require(request.user, "monitoring.open_round", school)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.round_open(
                school=school, opened_by=cast(User, request.user), **form.cleaned_data
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The round is open: %(count)d people receive their personal link by mail.")
                % {"count": opened.invitations.count()},
            )
            return redirect("monitoring:school", pk=school.pk)
    return render(request, "monitoring/round_form.html", {"form": form, "school": school})


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire behind a mailed link, in the invitee's language unless the
    visitor chose one with the switcher. Nobody is logged in and no name is shown
    (a shared phone or screen learns nothing)."""
    key = Invitation.key_from_token(token)
    invitation = (
        Invitation.objects.select_related("round__school", "round__instrument", "person")
        .filter(key=key)
        .first()
        if key
        else None
    )
    if invitation is None:
        raise Http404
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    languages = dict(settings.LANGUAGES)
    language = chosen if chosen in languages else invitation.person.language
    with translation.override(language):
        response = _answer(request, invitation)
        response.headers.setdefault("Content-Language", language)
    return response


def _answer(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    opened = invitation.round
    instrument = opened.instrument
    context: dict[str, object] = {"round": opened, "instrument": instrument}
    if invitation.used:
        status = 409 if request.method == "POST" else 200
        return render(
            request, "monitoring/answer.html", {**context, "state": "used"}, status=status
        )
    if not opened.is_open:
        status = 409 if request.method == "POST" else 200
        return render(
            request, "monitoring/answer.html", {**context, "state": "closed"}, status=status
        )
    items = list(instrument.items.select_related("subscale"))
    form = AnswerForm(request.POST or None, instrument=instrument, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(invitation_key=invitation.key, answers=form.answers())
        except services.AlreadyAnswered:
            return render(
                request, "monitoring/answer.html", {**context, "state": "used"}, status=409
            )
        except services.RoundClosed:
            return render(
                request, "monitoring/answer.html", {**context, "state": "closed"}, status=409
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "monitoring/answer.html", {**context, "state": "thanks"})
    return render(
        request,
        "monitoring/answer.html",
        {**context, "state": "form", "form": form},
    )
