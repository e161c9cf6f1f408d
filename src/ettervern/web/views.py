"""The shell's pages (health, home) and the helpers every context's pages share.

Domain errors from a form POST are put on the form by `run_service` and the page is shown
again; any other domain error is turned into a page by middleware.DomainErrorMiddleware.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ettervern.core.errors import InvalidInput, RuleViolation, StaleVersion

T = TypeVar("T")

# Domain errors that belong on a form; the rest (404, 403, 401) go to the middleware.
FORM_ERRORS = (InvalidInput, RuleViolation, StaleVersion)


def run_service(form: forms.Form, call: Callable[[], T]) -> tuple[bool, T | None, int]:
    """Call a service; on a form-level domain error put its message on the form field it names.

    Returns (ok, result, status): status is the HTTP status to re-render the form with.
    """
    try:
        return True, call(), 200
    except FORM_ERRORS as exc:
        field = exc.field
        form.add_error(field if field in form.fields else None, str(exc.message))
        return False, None, exc.status


def confirmation(request: HttpRequest, question: str, consequence: str, button: str,
                 back: str) -> HttpResponse:
    """Ask before what cannot be undone: a page that sends the same POST again, with
    `confirmed`, or goes `back`."""
    fields = [(name, value) for name, value in request.POST.items()
              if name not in ("csrfmiddlewaretoken", "confirmed")]
    return render(request, "pathways/confirm.html", {
        "question": question, "consequence": consequence, "button": button,
        "action": request.path, "fields": fields, "back": back})


def int_param(value: str | None, default: int = 1) -> int:
    """A positive page number from a query string; anything else is the default."""
    try:
        return max(int(value or default), 1)
    except ValueError:
        return default


def is_htmx_partial(request: HttpRequest) -> bool:
    # A history restore wants the whole page even though htmx sends it.
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    body = {"status": "ok", "database": "ok", "vendor": connection.vendor}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except OperationalError:
        body.update(status="error", database="unavailable")
        return JsonResponse(body, status=503)
    return JsonResponse(body)


def home(request: HttpRequest) -> HttpResponse:
    return redirect("pathways:worklist")
