"""The public page of a partner school and its settings. Thin views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from access.shortcuts import has_perm, require

from . import services
from .forms import PublicityForm
from .models import School
from .selectors import public_school, publicity_of, school_page


def _school(slug: str) -> School:
    school = public_school(slug)
    if school is None:
        raise Http404
    return school


@require_safe
def public_detail(request, slug: str):
    school = _school(slug)
    return render(
        request,
        "schools/public_detail.html",
        {
            "page": school_page(school),
            "can_change": has_perm("schools.change_publicity", request.user, school),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def publicity_edit(request, slug: str):
    school = _school(slug)
    require(request.user, "schools.change_publicity", school)
    form = PublicityForm(request.POST or None, instance=publicity_of(school))
    if request.method == "POST" and form.is_valid():
        services.publicity_update(
            school=school, **{name: form.cleaned_data[name] for name in PublicityForm.Meta.fields}
        )
        messages.success(request, _("The public page shows what you chose."))
        return redirect(school.get_absolute_url())
    return render(request, "schools/publicity_form.html", {"school": school, "form": form})
