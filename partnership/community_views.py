"""The learning-community composer (``/oversight/communities/compose/``), for
process facilitators and network admins. Thin: the facts from the selectors, the
proposal from ``composer.py``, the write through the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from access.shortcuts import require
from schools.models import School

from . import services
from .community_forms import ComposeForm, layout
from .community_selectors import (
    composer_facts,
    default_year,
    existing_communities,
    years_to_compose,
)
from .composer import compose
from .models import Partnership


@login_required
@require_http_methods(["GET", "POST"])
def compose_communities(request):
    require(request.user, "partnership.compose_communities")
    partnership = Partnership.objects.order_by("name").first()
    years = list(years_to_compose())
    chosen = request.POST.get("year") or request.GET.get("year")
    school_year = next((y for y in years if str(y.pk) == chosen), None) or default_year(years)
    context: dict = {"years": years, "school_year": school_year, "partnership": partnership}
    if partnership is None or school_year is None:
        return render(request, "partnership/compose.html", context)

    data = composer_facts(partnership, school_year)
    groups = compose(data.facts)
    schools = list(School.objects.filter(pk__in=[f.pk for f in data.facts]).order_by("name"))
    me = next((u for u in data.facilitators if u.pk == request.user.pk), None)
    form = ComposeForm(
        request.POST if request.method == "POST" else None,
        schools=schools,
        groups=groups,
        facilitators=data.facilitators,
        default_facilitator=me,
        year_name=school_year.name,
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.learning_communities_create(
                partnership=partnership, school_year=school_year, plans=form.plans()
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d learning community was created for %(year)s.",
                    "%(count)d learning communities were created for %(year)s.",
                    len(created),
                )
                % {"count": len(created), "year": school_year.name},
            )
            return redirect(f"{reverse('communities:compose')}?year={school_year.pk}")
    proposed = [g for g in groups if len(g.schools) > 1]
    context.update(
        form=form,
        columns=layout(form, {n: g.reasons for n, g in enumerate(proposed, 1)}),
        existing=existing_communities(partnership, school_year),
        placed_count=len(data.placed),
        section="compose",
        oversight_nav={"network": True, "teams": True},
    )
    if request.method == "POST" and not form.is_valid():
        messages.error(request, _("Nothing was created: see the messages below."))
    return render(request, "partnership/compose.html", context)
