"""Fixtures for the individual plan: the domain fixtures, a plan, and clients per role."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from ettervern.planning.plan import services
from ettervern.planning.plan.models import Plan
from ettervern.planning.plan.sections import ensure_template
from tests import factories
from tests.api.conftest import ApiClient
from tests.pathways.helpers import *  # noqa: F403
from tests.pathways.helpers import act


@pytest.fixture(autouse=True)
def _norwegian():  # type: ignore[no-untyped-def]
    with translation.override("nb"):
        yield


@pytest.fixture
def section_types(db):  # type: ignore[no-untyped-def]
    """The template's sections as the data migration writes them. A transactional test
    (test_concurrency) empties every table when it ends, data migrations' rows included, so a
    plan's tests put them back (update_or_create: a no-op when they are there)."""
    ensure_template()


@pytest.fixture
def plan(section_types, pathway, coordinator) -> Plan:  # type: ignore[no-untyped-def]
    return services.plan_create(actor=act(coordinator), pathway=pathway)


def page_client(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(person.user if isinstance(person, factories.Staff) else person)
    return client


def api_client(person) -> ApiClient:  # type: ignore[no-untyped-def]
    return ApiClient(page_client(person))
