from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .services import user_set_language


@require_POST
def set_language(request):
    """Django's language switcher, also remembering the choice for logged-in people
    (so their emails follow it)."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language:
        user_set_language(user=request.user, language=language)
    return response
