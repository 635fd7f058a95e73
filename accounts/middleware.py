from typing import Literal, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def request_language(request: HttpRequest) -> str:
    """The page language: the switcher's cookie (the latest explicit choice), else a
    logged-in person's preferred language, else Dutch.

    The browser's Accept-Language is deliberately ignored: the network is Dutch
    first, and many Flemish school laptops run an English browser.
    """
    available = dict(settings.LANGUAGES)
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in available:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.preferred_language
    return language if language in available else settings.LANGUAGE_CODE


def activate_request_language(request: HttpRequest) -> str:
    """Speak the request's language from now on. Called per request and again when
    logging in or out changes who asks, so a message made in that same request
    (allauth's "signed in as …") is in the language of the page that shows it."""
    language = request_language(request)
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """Make the pages follow a person's choice from the next one on: the switcher's
    cookie is what ``request_language`` reads first."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(Literal["Lax", "Strict", "None"], settings.LANGUAGE_COOKIE_SAMESITE),
    )
    return response


def adopt_language(request: HttpRequest, language: str) -> None:
    """Speak ``language`` for the rest of this request and remember it on the device
    (the middleware sets the cookie on the response)."""
    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = language
    request.adopted_language = language  # type: ignore[attr-defined]
    activate_request_language(request)


class LanguageMiddleware:
    """Choose the page language (see ``request_language``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        activate_request_language(request)
        response = self.get_response(request)
        if adopted := getattr(request, "adopted_language", None):
            remember_language(response, adopted)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class UpgradeBackendMiddleware:
    """Sessions signed in under Django's or allauth's own backend now name ours
    (``accounts.backends``), so nobody is signed out by the change. Between the
    session and the authentication middleware; a session is rewritten once."""

    def __init__(self, get_response):
        from django.contrib.auth import BACKEND_SESSION_KEY

        from .backends import REPLACES

        self.get_response = get_response
        self.key, self.replaces = BACKEND_SESSION_KEY, REPLACES

    def __call__(self, request):
        session = request.session
        old = session.get(self.key)
        if old in self.replaces:
            session[self.key] = self.replaces[old]
        return self.get_response(request)
