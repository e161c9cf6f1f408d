"""Errors to JSON, once for the whole API: `{"code": …, "message": …, "field": …}`.

- core.errors.DomainError (the one family every service raises) keeps its own status;
- ninja's ValidationError (a body, query or path that does not parse) becomes 422 with a
  sentence a person can act on, so bad input never reaches a service and never gives a 500;
- ninja's HttpError (no or bad credentials, CSRF, an unreadable body) and Http404 get the
  same shape;
- a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE (Django raises RequestDataTooBig when the
  body is read) is 413, and Django's other refusals of a request (SuspiciousOperation: too
  many fields, …) are 400, both logged to django.security as Django would.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ettervern.api.auth import InvalidToken
from ettervern.core.errors import DomainError

# Where ninja says a value came from; not part of the field name a client knows.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
# Services name a referenced object by its noun ("unit"); the API takes its id ("unit_id").
_REFERENCES = {"unit", "staff", "to_staff", "coordinating_unit", "stay", "offer",
               "programme"}
# Names of the endpoint parameters that carry a whole schema (see the routers).
_WRAPPERS = {"payload", "filters"}


def error_body(code: str, message: Any, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": str(message), "field": field, **extra}


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str | None:
    parts = [str(p) for p in loc if str(p) not in _SOURCES and str(p) not in _WRAPPERS]
    return ".".join(parts) or None


def _sentence(error: dict[str, Any]) -> str:
    """A readable sentence for one pydantic error; pydantic's own text as the fallback."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a valid date (YYYY-MM-DD).")
    if kind.startswith("uuid"):
        return _("Enter a valid id (a UUID).")
    if kind in ("enum", "literal_error"):
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind == "string_type":
        return _("Enter text.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Enter a number of at least %(limit)s.") % {
            "limit": ctx.get("ge", ctx.get("gt", ""))}
    if kind == "null_character":
        return _("Text cannot contain NUL characters.")
    if kind == "string_too_long":
        return _("Enter at most %(max)s characters.") % {"max": ctx.get("max_length", "")}
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Send a JSON object.")
    return str(error.get("msg", _("Invalid value.")))


def validation_errors(exc: ValidationError) -> list[dict[str, Any]]:
    return [{"field": _field_name(e.get("loc", ())), "message": _sentence(e)}
            for e in exc.errors]


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api`. Called once, in api.api."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        field = f"{exc.field}_id" if exc.field in _REFERENCES else exc.field
        return api.create_response(
            request, error_body(exc.code, exc.message, field), status=exc.status
        )

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = validation_errors(exc)
        first = errors[0] if errors else {"field": None, "message": _("Invalid input.")}
        message: str
        if errors and first["field"] is None and not exc.errors[0].get("loc", ())[1:]:
            message = _("The request body is missing or is not a JSON object.")
        elif first["field"]:
            message = f"{first['field']}: {first['message']}"
        else:
            message = str(first["message"])
        return api.create_response(
            request, error_body("invalid_input", message, first["field"], errors=errors),
            status=422,
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, InvalidToken):
            body = error_body("invalid_token", _("This API token is unknown or revoked."))
        elif isinstance(exc, AuthenticationError):
            body = error_body("not_authenticated",
                              _("Sign in, or send a valid API token (Authorization: Bearer …)."))
        elif exc.status_code == 403:
            body = error_body("forbidden", exc.message)
        elif exc.status_code == 400 and exc.message.startswith("Cannot parse request body"):
            body = error_body("bad_request", _("The request body is not valid JSON."))
        else:
            body = error_body("error", exc.message)
        return api.create_response(request, body, status=exc.status_code)

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        logging.getLogger(f"django.security.{exc.__class__.__name__}").error(
            str(exc), extra={"status_code": 400, "request": request})
        if isinstance(exc, RequestDataTooBig):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return api.create_response(request, error_body(
                "too_large", _("The request body is too large: at most %(limit)s bytes.")
                % {"limit": limit}), status=413)
        return api.create_response(
            request, error_body("bad_request", _("The request cannot be read.")), status=400)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(
            request, error_body("not_found", _("Not found, or you have no access to it.")),
            status=404,
        )
