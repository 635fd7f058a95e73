from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .forms import ProfileForm
from .middleware import adopt_language
from .services import user_set_language, user_update_profile


@login_required
def profile(request):
    """The account page: name and language here; email, password and sessions on
    allauth's pages, linked from it."""
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        user_update_profile(
            user=user,
            full_name=form.cleaned_data["full_name"],
            preferred_language=form.cleaned_data["preferred_language"],
        )
        adopt_language(request, user.preferred_language)  # the confirmation too
        messages.success(request, _("Your account has been saved."))
        return redirect("account_profile")
    if request.method == "POST":
        form.instance.refresh_from_db()  # the header keeps the saved name
    return render(
        request,
        "account/profile.html",
        {
            "form": form,
            "session_count": UserSession.objects.filter(user=user).count(),
        },
    )


@require_POST
def set_language(request):
    """Django's language switcher, also remembering the choice for logged-in people
    (so their emails follow it)."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language:
        user_set_language(user=request.user, language=language)
    return response
