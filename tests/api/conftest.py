"""Fixtures for the API tests: clients signed in as the fixtures from tests/conftest.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ettervern.access.models import AuditEvent
from tests import factories


class ApiClient:
    """A Django test client that speaks JSON and returns (status, body)."""

    def __init__(self, client: Client, **headers: str) -> None:
        self.client = client
        self.headers = headers

    def _send(self, method: str, url: str, body: Any = None, raw: str | None = None) -> Any:
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        call = getattr(self.client, method)
        kwargs: dict[str, Any] = {"headers": self.headers}
        if data is not None:
            kwargs.update(data=data, content_type="application/json")
        return call(url, **kwargs)

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(url, params, headers=self.headers)

    def post(self, url: str, body: Any = None, raw: str | None = None) -> Any:
        return self._send("post", url, body, raw)

    def patch(self, url: str, body: Any = None, raw: str | None = None) -> Any:
        return self._send("patch", url, body, raw)


def signed_in(user: Any) -> ApiClient:
    client = Client()
    client.force_login(user)
    return ApiClient(client)


@pytest.fixture
def as_coordinator(coordinator):  # type: ignore[no-untyped-def]
    return signed_in(coordinator.user)


@pytest.fixture
def as_outsider(outsider):  # type: ignore[no-untyped-def]
    return signed_in(outsider.user)


@pytest.fixture
def anonymous(db):  # type: ignore[no-untyped-def]
    return ApiClient(Client())


@pytest.fixture
def gp(db):  # type: ignore[no-untyped-def]
    return factories.staff(factories.Staff.Profession.GP,
                           units=[factories.unit(factories.Unit.Kind.GP, name="Legekontoret")],
                           username="fastlege")


@pytest.fixture
def colleague(clinic):  # type: ignore[no-untyped-def]
    """Another coordinator at the same clinic (a hand-over target)."""
    return factories.staff(units=[clinic], username="kollega")


@pytest.fixture
def patient_user(db):  # type: ignore[no-untyped-def]
    """A signed-in person who is not staff (as a patient or next of kin would be)."""
    return get_user_model().objects.create_user(username="pasient", password=None)


def denials(user: Any) -> int:
    return AuditEvent.objects.filter(actor_id=user.pk, outcome=AuditEvent.Outcome.DENIED,
                                     channel=AuditEvent.Channel.API).count()
