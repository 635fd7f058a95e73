"""Thin views: the inbox, opening a notification, the preferences and the signed
one-click preference link of every notification mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User

from . import registry, services
from .forms import PreferenceLinkForm, PreferencesForm
from .models import Notification
from .registry import Delivery
from .selectors import preferences_of
from .tokens import read_token

PER_PAGE = 25


@login_required
def inbox(request):
    notifications = Notification.objects.for_user(request.user)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
def open_notification(request, pk):
    """Mark it read and go to its target's own page (which applies its own checks).
    Someone else's notification, or one whose target this person can no longer
    see, is a 404: the link reveals nothing."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    try:
        spec = notification.kind_spec
    except KeyError:
        raise Http404 from None
    if not spec.can_open(request.user, notification.target_id):
        raise Http404
    services.notification_open(notification=notification)
    return redirect(notification.url)


@login_required
@require_POST
def mark_all_read(request):
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, current=preferences_of(request.user))
    if request.method == "POST":
        if form.is_valid():
            services.preferences_set(user=request.user, choices=form.cleaned_data)
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notifications:preferences")
        return render(request, "notifications/preferences.html", {"form": form}, status=400)
    return render(request, "notifications/preferences.html", {"form": form})


def _kinds_in_scope(user: User, scope: str) -> list[registry.Kind]:
    """The kinds a link changes: one kind, or every kind now in that digest."""
    if scope.startswith("digest:"):
        period = scope.removeprefix("digest:")
        current = preferences_of(user)
        return [k for k in registry.kinds() if current.get(k.key, k.default.value) == period]
    try:
        return [registry.get(scope)]
    except KeyError:
        return []


@csrf_exempt  # the signed token is the credential; RFC 8058 clients POST without a cookie
@require_http_methods(["GET", "POST"])
def preference_link(request, token):
    """GET asks for confirmation, POST applies (a mail client's one-click POST
    carries ``List-Unsubscribe=One-Click`` and no choice: "in the app only").
    Works logged out; a bad signature changes nothing and says so."""
    link = read_token(token)
    user = User.objects.filter(pk=link.user_id, is_active=True).first() if link else None
    kinds = _kinds_in_scope(user, link.scope) if user and link else []
    if user is None or link is None or (not kinds and not link.scope.startswith("digest:")):
        return render(request, "notifications/preference_link_invalid.html", status=400)
    form = PreferenceLinkForm(request.POST or None, initial={"delivery": Delivery.APP_ONLY})
    if request.method == "POST" and form.is_valid():
        delivery = form.cleaned_data["delivery"] or Delivery.APP_ONLY
        services.preferences_set(user=user, choices={kind.key: delivery for kind in kinds})
        return render(
            request,
            "notifications/preference_link_done.html",
            {"kinds": kinds, "delivery": Delivery(delivery).label},
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "notifications/preference_link.html",
        {"form": form, "kinds": kinds, "token": token},
        status=status,
    )
