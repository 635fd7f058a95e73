"""My data (export and erasure) and the team's access log. Thin views: the
person's own records only (someone else's export is a 404), writes through
services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from access.shortcuts import require
from config.pagination import requested_page
from research_cycle.selectors import team_for

from . import services
from .forms import ErasureRequestForm
from .models import AccessRecord, DataExport, ErasureRequest

#: Shown on "My data"; older exports have expired anyway.
RECENT_EXPORTS = 5
ACCESS_LOG_PAGE = 50


def _my_data_context(request, form: ErasureRequestForm | None = None) -> dict:
    exports = list(DataExport.objects.filter(user=request.user)[:RECENT_EXPORTS])
    return {
        "exports": exports,
        "building": any(
            e.status in (DataExport.Status.QUEUED, DataExport.Status.BUILDING) for e in exports
        ),
        "erasure": ErasureRequest.objects.filter(user=request.user)
        .exclude(state=ErasureRequest.State.ERASED)
        .first(),
        "form": form or ErasureRequestForm(),
    }


@login_required
@require_safe
def my_data(request):
    return render(request, "privacy/my_data.html", _my_data_context(request))


@login_required
@require_POST
def export_create(request):
    services.export_request(user=request.user)
    messages.success(request, _("Your export is being made. We mail you a link when it is ready."))
    return redirect("privacy:my_data")


@login_required
@require_safe
def export_download(request, pk):
    """The ZIP, for its owner only (anyone else: 404); an expired link says so."""
    export = get_object_or_404(DataExport, pk=pk, user=request.user, status=DataExport.Status.READY)
    if export.is_expired():
        return render(request, "privacy/export_expired.html", {"export": export}, status=410)
    services.access_record(
        user=request.user, kind="data_export", what=export.file.name or "", path=request.path
    )
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"leerbrug-my-data-{export.ready_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def erasure_create(request):
    form = ErasureRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "privacy/my_data.html", _my_data_context(request, form), status=400)
    services.erasure_request(user=request.user)
    messages.success(request, _("Your request to be erased is received."))
    return redirect("privacy:my_data")


@login_required
@require_safe
def team_access_log(request, pk):
    """Who downloaded the team's private files, newest first."""
    team = team_for(request.user, pk)
    require(request.user, "privacy.read_access_log", team)
    records = AccessRecord.objects.filter(team=team).select_related("user")
    page = Paginator(records, ACCESS_LOG_PAGE).get_page(requested_page(request.GET.get("page")))
    return render(request, "privacy/access_log.html", {"team": team, "page": page})
