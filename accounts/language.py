"""The interface language of a person: the header's switch (``language_set``), remembered in the browser by Django's
language cookie and, for a signed-in user, stored as their ``LanguagePreference``, which wins at every sign-in
(the cookie is set to it) and which letters written to them use (``language_for``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts import services
from accounts.models import LanguagePreference

# Session key carrying a signed-in user's stored language from the sign-in to the response that sets the cookie.
_SIGNED_IN_LANGUAGE = "accounts.signed_in_language"


def language_for(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """The language to write to ``user`` in: their stored preference if they chose one, else the site's default
    (``settings.LANGUAGE_CODE``). Always one of ``settings.LANGUAGES``."""
    if user is None or not user.is_authenticated:
        return settings.LANGUAGE_CODE
    language = LanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The header's language switch: Django's ``set_language`` (validates the language and the ``next`` address,
    sets the cookie, redirects back), and for a signed-in user the stored preference too."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.language_preference_set(user=request.user, language=language)
    return response


def on_signed_in(sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: the user's stored language becomes this request's language and, through
    ``LanguagePreferenceMiddleware``, the browser's cookie."""
    language = LanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()
    if request is None or language not in dict(settings.LANGUAGES):
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language
    request.session[_SIGNED_IN_LANGUAGE] = language


class LanguagePreferenceMiddleware:
    """Sets the language cookie to the language ``on_signed_in`` found, on the sign-in's own response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        language = session.pop(_SIGNED_IN_LANGUAGE, None) if session is not None and session.session_key else None
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
