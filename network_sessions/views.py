"""Thin views over the services and selectors: outsiders get 404, people who may
see but not change get 403, anonymous visitors the login page."""

import hmac

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from access.shortcuts import object_for, require
from config.absolute_urls import absolute_url
from config.page_cache import per_session

from . import ics, mail, selectors, services
from .forms import CancelForm, ResponseForm, SessionForm
from .models import CalendarFeed, NetworkSession


def _visible_session(request, pk: int, perm: str | None = None) -> NetworkSession:
    return object_for(
        request.user, NetworkSession.objects.select_related("organiser"), perm=perm, pk=pk
    )


def _safe_next(request, default: str) -> str:
    """Where to go back to: ``next`` if it is a path on this site, else ``default``.
    Only paths: ``redirect()`` would take anything else for a URL name (``abc`` was
    a 500, ``dashboard`` another page)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@per_session
@login_required
def session_list(request):
    return render(
        request,
        "network_sessions/list.html",
        {
            **selectors.session_list_for(request.user),
            "can_plan": rules.has_perm("network_sessions.plan_session", request.user),
        },
    )


@login_required
def session_month(request):
    """The month grid beside the list: ``?m=2026-12``, this month by default."""
    today = timezone.localdate()
    first = selectors.parse_month(request.GET.get("m"), today)
    return render(
        request,
        "network_sessions/month.html",
        {"month": selectors.month_for(request.user, first), "today": today},
    )


@login_required
def session_detail(request, pk: int):
    session = _visible_session(request, pk)
    can_manage = rules.has_perm("network_sessions.manage_session", request.user, session)
    invited = rules.has_perm("network_sessions.respond", request.user, session)
    mine = session.participations.filter(user=request.user).first()
    return render(
        request,
        "network_sessions/detail.html",
        {
            "session": session,
            "can_manage": can_manage,
            "invited": invited,
            "my_response": mine.response if mine else "",
            "roster": selectors.session_roster(session) if can_manage else None,
            "audience_roles": [r.get_role_display() for r in session.audience_roles.all()],
        },
    )


def _form_kwargs(form) -> dict:
    return dict(form.cleaned_data)


def _apply_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def session_create(request):
    require(request.user, "network_sessions.plan_session")
    form = SessionForm(request.POST or None, planner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(organiser=request.user, **_form_kwargs(form))
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("The session has been planned."))
            return redirect("network_sessions:detail", pk=session.pk)
    return render(request, "network_sessions/form.html", {"form": form, "session": None})


@login_required
def session_edit(request, pk: int):
    session = _visible_session(request, pk, "network_sessions.manage_session")
    if session.is_cancelled:
        messages.error(request, _("A cancelled session cannot be changed."))
        return redirect("network_sessions:detail", pk=session.pk)
    form = SessionForm(
        request.POST or None, planner=request.user, initial=SessionForm.initial_for(session)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, **_form_kwargs(form))
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("The session has been saved."))
            return redirect("network_sessions:detail", pk=session.pk)
    return render(request, "network_sessions/form.html", {"form": form, "session": session})


def _managed_session(request, pk: int) -> NetworkSession:
    return _visible_session(request, pk, "network_sessions.manage_session")


def _render_cancel_confirm(request, session: NetworkSession, form: CancelForm):
    return render(
        request,
        "network_sessions/cancel_confirm.html",
        {"session": session, "form": form, "told": mail.not_declined(session).count()},
    )


@login_required
def session_cancel_confirm(request, pk: int):
    """The confirm step: cancelling mails every invitee, so it asks for a reason."""
    session = _managed_session(request, pk)
    if session.is_cancelled or session.has_started:
        messages.error(
            request,
            _("This session has been cancelled.")
            if session.is_cancelled
            else _("A session that has started cannot be cancelled."),
        )
        return redirect("network_sessions:detail", pk=session.pk)
    return _render_cancel_confirm(request, session, CancelForm())


@login_required
@require_POST
def session_cancel(request, pk: int):
    session = _managed_session(request, pk)
    if "reason" not in request.POST:  # not sent from the confirm page: change nothing
        return redirect("network_sessions:cancel_confirm", pk=session.pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _render_cancel_confirm(request, session, form)
    try:
        services.session_cancel(session=session, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The session has been cancelled; the invitees are told."))
    return redirect("network_sessions:detail", pk=session.pk)


@login_required
@require_POST
def session_respond(request, pk: int):
    session = _visible_session(request, pk, "network_sessions.respond")
    form = ResponseForm(request.POST)
    back = _safe_next(request, reverse("network_sessions:detail", args=[session.pk]))
    if not form.is_valid():
        messages.error(request, _("Choose going, maybe or not going."))
        return redirect(back)
    try:
        participation = services.session_respond(
            session=session, user=request.user, response=form.cleaned_data["response"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your answer for “%(title)s”: %(answer)s.")
            % {"title": session.title, "answer": participation.get_response_display()},
        )
    return redirect(back)


@login_required
@require_POST
def session_attendance(request, pk: int):
    session = _visible_session(request, pk, "network_sessions.manage_session")
    try:
        count = services.session_register_attendance(
            session=session, present_ids=request.POST.getlist("present")
        )
    except (ValidationError, ValueError) as error:
        messages.error(
            request,
            " ".join(error.messages) if isinstance(error, ValidationError) else _("Invalid input."),
        )
    else:
        messages.success(request, _("Attendance saved: %(count)d present.") % {"count": count})
    return redirect("network_sessions:detail", pk=session.pk)


@login_required
def session_ics(request, pk: int):
    session = _visible_session(request, pk)
    response = HttpResponse(ics.session_ics(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ics.session_ics_filename(session)}"'
    return response


@login_required
def calendar_settings(request):
    feed = services.calendar_feed_for(user=request.user)
    url = absolute_url(reverse("network_sessions:feed", args=[feed.token]))
    return render(
        request,
        "network_sessions/calendar.html",
        {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]},
    )


@login_required
@require_POST
def calendar_reset(request):
    services.calendar_feed_reset(user=request.user)
    messages.success(
        request, _("Your calendar address has been replaced; the old one no longer works.")
    )
    return redirect("network_sessions:calendar")


@never_cache
def calendar_feed(request, token: str):
    """The private feed calendar programs subscribe to. No login: the secret in the
    address is the key, compared in constant time."""
    key, _dot, secret = token.partition(".")
    feed = CalendarFeed.objects.select_related("user").filter(key=key).first()
    if (
        feed is None
        or not hmac.compare_digest(feed.secret.encode(), secret.encode())
        or not feed.user.is_active
    ):
        raise Http404
    sessions = selectors.calendar_sessions_for(feed.user)
    body = ics.calendar_bytes(sessions, name=_("Leerbrug sessions"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="leerbrug.ics"'
    return response
