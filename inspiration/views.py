"""Sending a team knowledge. Thin: access through ``team_for`` and the rule,
the write through the service, errors back into the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from research_cycle.selectors import team_for

from . import services
from .forms import InjectionForm


@login_required
@require_http_methods(["GET", "POST"])
def injection_send(request, pk: int):
    team = team_for(request.user, pk, perm="inspiration.send_injection")
    initial = {"kind": "study", "study": request.GET.get("study", "")[:300]}
    form = InjectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.injection_send(team=team, sender=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in getattr(error, "error_dict", {None: error.error_list}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The team finds it in its timeline."))
            url = reverse("research_cycle:team_workspace", kwargs={"pk": team.pk})
            return redirect(f"{url}#timeline-section")
    return render(request, "inspiration/send.html", {"team": team, "form": form})
