from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from ettervern.core.errors import (
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    RuleViolation,
    StaleVersion,
)
from ettervern.web.middleware import DomainErrorMiddleware

pytestmark = pytest.mark.django_db


def _request(path: str = "/forlop/x/"):  # type: ignore[no-untyped-def]
    request = RequestFactory().post(path)
    request.user = AnonymousUser()
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


@pytest.mark.parametrize(("error", "status", "text"), [
    (NotFound("x"), 404, "Ikke funnet"),
    (Forbidden("Rollen din tillater ikke dette."), 403, "Rollen din tillater ikke dette."),
    (InvalidInput("Feil i feltet"), 422, "Feil i feltet"),
    (RuleViolation("Brudd på regel"), 409, "Brudd på regel"),
    (StaleVersion("Gammel"), 409, "Gammel"),
])
def test_domain_errors_become_pages(error, status, text):  # type: ignore[no-untyped-def]
    middleware = DomainErrorMiddleware(lambda r: None)  # type: ignore[arg-type, return-value]
    response = middleware.process_exception(_request(), error)
    assert response is not None
    assert response.status_code == status
    assert text in response.content.decode()


def test_not_authenticated_redirects_to_login():  # type: ignore[no-untyped-def]
    middleware = DomainErrorMiddleware(lambda r: None)  # type: ignore[arg-type, return-value]
    response = middleware.process_exception(_request(), NotAuthenticated("log in"))
    assert response is not None and response.status_code == 302
    assert response["Location"].startswith("/logg-inn/?next=")


def test_other_exceptions_and_the_api_are_left_alone():  # type: ignore[no-untyped-def]
    middleware = DomainErrorMiddleware(lambda r: None)  # type: ignore[arg-type, return-value]
    assert middleware.process_exception(_request(), ValueError("boom")) is None
    assert middleware.process_exception(_request("/api/pathways"), NotFound("x")) is None
