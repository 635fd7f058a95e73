from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from internships.selectors import dashboard_internships
from knowledge_base.selectors import studies_awaiting_review
from network_sessions.selectors import upcoming_sessions_for
from placements.selectors import my_placements

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
    return render(
        request,
        "partnership/dashboard.html",
        {
            "dashboard": dashboard_for(request.user),
            "upcoming_sessions": upcoming_sessions_for(request.user),
            "studies_awaiting_review": studies_awaiting_review(request.user),
            "my_placements": my_placements(request.user),
            "dashboard_internships": dashboard_internships(request.user),
        },
    )
