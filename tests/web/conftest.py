from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True)
def _norwegian():  # type: ignore[no-untyped-def]
    """Pages answer in bokmål unless a test switches language."""
    with translation.override("nb"):
        yield


@pytest.fixture
def client_for():  # type: ignore[no-untyped-def]
    """A test client signed in as a staff member (or a plain user)."""

    def make(person) -> Client:  # type: ignore[no-untyped-def]
        client = Client(HTTP_ACCEPT_LANGUAGE="nb")
        client.force_login(person.user if isinstance(person, factories.Staff) else person)
        return client

    return make


@pytest.fixture
def coord_client(client_for, coordinator):  # type: ignore[no-untyped-def]
    return client_for(coordinator)


@pytest.fixture
def outsider_client(client_for, outsider):  # type: ignore[no-untyped-def]
    return client_for(outsider)
