from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from knowledge_base.selectors import studies_awaiting_review
from network_sessions.selectors import upcoming_sessions_for
from reviews.selectors import dashboard_panel

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


@login_required
def dashboard(request):
    dashboard = dashboard_for(request.user)
    return render(
        request,
        "partnership/dashboard.html",
        {
            "dashboard": dashboard,
            "upcoming_sessions": upcoming_sessions_for(request.user),
            "studies_awaiting_review": studies_awaiting_review(request.user),
            "review_panel": dashboard_panel(request.user, dashboard.school_year, dashboard.roles),
        },
    )
