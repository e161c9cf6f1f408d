"""Fixtures for messaging: the domain roles (tests/pathways/helpers.py) and signed-in clients
for pages and the API, in bokmål."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from tests import factories
from tests.api.conftest import ApiClient
from tests.pathways.helpers import *  # noqa: F403


def user_of(person: Any) -> Any:
    return person.user if isinstance(person, factories.Staff) else person


def page(person: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(user_of(person))
    return client


class Api(ApiClient):
    def put(self, url: str, body: Any = None) -> Any:
        return self._send("put", url, body)


def api(person: Any) -> Api:
    return Api(page(person))


@pytest.fixture(autouse=True)
def _norwegian():  # type: ignore[no-untyped-def]
    with translation.override("nb"):
        yield
