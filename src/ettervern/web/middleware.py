"""Domain errors raised in a page view become a page: the one mapping for the web.

Form views catch InvalidInput/RuleViolation/StaleVersion themselves (views.run_service) and
show the message on the field; this is the fallback so no domain error is ever a 500.
The API maps the same errors to JSON itself, so /api/ is left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from ettervern.core.errors import DomainError, Forbidden, NotAuthenticated, NotFound


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (response.status_code == 405 and request.method == "GET"
                and not request.path.startswith("/api/") and not response.content):
            # The address of a form's answer (left in the address bar after an error, then
            # reloaded): a page that says so, not an empty one.
            page = render(request, "web/error.html", {"message": translation.gettext(
                "This address only answers a form. Go back and send the form again.")},
                status=405)
            page["Allow"] = response.get("Allow", "POST")
            return page
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotAuthenticated):
            return redirect_to_login(request.get_full_path())
        if isinstance(exception, NotFound):
            template = "404.html"
        elif isinstance(exception, Forbidden):
            template = "403.html"
        else:
            template = "web/error.html"
        status = exception.status if 400 <= exception.status < 500 else 400
        return render(request, template, {"message": exception.message}, status=status)


class NorwegianFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in Norwegian bokmål unless the user has chosen English (the language cookie
    set by /i18n/setlang/). A browser's Accept-Language does not switch the pages: many
    Norwegian clinicians run English-language browsers. The API honours Accept-Language, so
    other systems can ask for the messages they understand."""

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
