"""The continuum pages: a person's path, and the cohorts for bridge-builders and
admins. Who sees what is in ``permissions.py``."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from access.shortcuts import require
from config.page_cache import per_session
from placements.models import Placement

from . import selectors
from .permissions import cohort_institutions, people_visible_to


@login_required
def person_path(request, pk: int):
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    steps = selectors.path_of(person)
    # The placements the person did as a student teacher, as far as the viewer may
    # see them (their own always): the path shows where they trained, not only the role.
    placements = (
        Placement.objects.visible_to(request.user)
        .counting()
        .filter(student=person)
        .select_related("period", "school", "mentor")
        .order_by("period__starts_on")
    )
    return render(
        request,
        "continuum/person.html",
        {
            "person": person,
            "is_me": person.pk == request.user.pk,
            "steps": steps,
            "placements": placements,
            "roles": selectors.role_sequence(steps),
        },
    )


@per_session
@login_required
def cohort_list(request):
    require(request.user, "continuum.view_cohorts")
    return render(
        request,
        "continuum/cohorts.html",
        {
            "rows": selectors.cohorts(cohort_institutions(request.user)),
            "smallest_shown": selectors.SMALLEST_SHOWN,
        },
    )
