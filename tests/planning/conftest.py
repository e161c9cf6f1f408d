"""Fixtures for the checklist tests: the domain roles (tests/pathways/helpers.py), a pathway in
pre-admission, and clients for pages and the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from ettervern.core import clock
from ettervern.pathways import services
from ettervern.pathways.phases import Phase
from ettervern.planning.checklist.models import ChecklistItem
from tests import factories
from tests.api.conftest import ApiClient
from tests.pathways.helpers import *  # noqa: F403
from tests.pathways.helpers import act


@pytest.fixture(autouse=True)
def _norwegian():  # type: ignore[no-untyped-def]
    with translation.override("nb"):
        yield


@pytest.fixture
def waiting(pathway, coordinator):  # type: ignore[no-untyped-def]
    """The pathway, moved to pre-admission today: its checklist exists."""
    services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                to_phase=Phase.PRE_ADMISSION, on=clock.today())
    pathway.refresh_from_db()
    return pathway


def items_of(pathway) -> list[ChecklistItem]:  # type: ignore[no-untyped-def]
    return list(ChecklistItem.objects.filter(pathway=pathway)
                .select_related("item_type", "owner", "pathway")
                .order_by("item_type__order", "item_type__id"))


def item(pathway, key: str) -> ChecklistItem:  # type: ignore[no-untyped-def]
    return (ChecklistItem.objects.select_related("item_type", "owner", "pathway__patient")
            .get(pathway=pathway, item_type__key=key))


@pytest.fixture
def client_for():  # type: ignore[no-untyped-def]
    def make(person) -> Client:  # type: ignore[no-untyped-def]
        client = Client(HTTP_ACCEPT_LANGUAGE="nb")
        client.force_login(person.user if isinstance(person, factories.Staff) else person)
        return client

    return make


@pytest.fixture
def api_for():  # type: ignore[no-untyped-def]
    def make(person) -> ApiClient:  # type: ignore[no-untyped-def]
        client = Client(HTTP_ACCEPT_LANGUAGE="nb")
        client.force_login(person.user if isinstance(person, factories.Staff) else person)
        return ApiClient(client)

    return make
