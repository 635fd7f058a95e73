from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from access.roles import is_network_admin
from config.page_cache import per_session
from continuum.selectors import dashboard_links
from induction.selectors import INDUCTION_ROLE_VALUES, induction_dashboard_for
from internships.selectors import dashboard_internships
from knowledge_base.selectors import studies_awaiting_review
from network_sessions.selectors import dashboard_sessions
from notifications.selectors import waiting_for
from placements.permissions import PLACEMENT_ROLES
from placements.selectors import my_placements
from retention.selectors import dashboard_panel as retention_panel
from reviews.selectors import dashboard_panel
from schools.models import Role

from .models import Partnership
from .selectors import dashboard_for, public_schools


def home(request):
    schools = list(public_schools())
    return render(
        request,
        "partnership/home.html",
        {
            "partnership": Partnership.objects.select_related("institution").first(),
            "primary_schools": [s for s in schools if s.level == "primary"],
            "secondary_schools": [s for s in schools if s.level == "secondary"],
            "school_count": len(schools),
        },
    )


@require_safe
def partnership_page(request):
    """The partnership's shared vision and goals (edited in the admin, in Dutch and
    English)."""
    return render(
        request,
        "partnership/about.html",
        {
            "partnership": Partnership.objects.select_related("institution").first(),
            "school_count": public_schools().count(),
        },
    )


@per_session
@login_required
def dashboard(request):
    mine = dashboard_for(request.user)
    # A starter's "sessions for starters" are read with the next sessions (one query).
    starter = any(m.role in INDUCTION_ROLE_VALUES for m in mine.roles)
    upcoming, for_starters = dashboard_sessions(
        request.user, audience=INDUCTION_ROLE_VALUES if starter else ()
    )
    # Only student teachers have placements: others spend no query on the panel.
    studies = any(m.role == Role.STUDENT_TEACHER for m in mine.roles)
    # Internships concern the people of placements (and admins) only.
    takes_part = is_network_admin(request.user) or any(
        m.role in PLACEMENT_ROLES for m in mine.roles
    )
    return render(
        request,
        "partnership/dashboard.html",
        {
            "dashboard": mine,
            "induction": induction_dashboard_for(
                roles=mine.roles, teams=mine.teams, sessions=for_starters
            ),
            "continuum_links": dashboard_links(request.user, mine.roles),
            "upcoming_sessions": upcoming,
            "waiting": waiting_for(request.user, upcoming),
            "studies_awaiting_review": studies_awaiting_review(request.user),
            "my_placements": my_placements(request.user) if studies else [],
            "dashboard_internships": dashboard_internships(request.user) if takes_part else [],
            "retention": retention_panel(request.user, mine.roles),
            "review_panel": dashboard_panel(request.user, mine.school_year, mine.roles),
        },
    )
