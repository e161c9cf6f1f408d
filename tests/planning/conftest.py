"""Fixtures for the individual plan: the domain fixtures, a plan, and clients per role."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from ettervern.planning.plan import services
from ettervern.planning.plan.models import Plan
from tests import factories
from tests.api.conftest import ApiClient
from tests.pathways.helpers import *  # noqa: F403
from tests.pathways.helpers import act


@pytest.fixture(autouse=True)
def _norwegian():  # type: ignore[no-untyped-def]
    with translation.override("nb"):
        yield


@pytest.fixture
def plan(pathway, coordinator) -> Plan:  # type: ignore[no-untyped-def]
    return services.plan_create(actor=act(coordinator), pathway=pathway)


def page_client(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(person.user if isinstance(person, factories.Staff) else person)
    return client


def api_client(person) -> ApiClient:  # type: ignore[no-untyped-def]
    return ApiClient(page_client(person))
