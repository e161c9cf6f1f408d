"""Fixtures for the planning tests: the care-team roles of tests/pathways/helpers.py, and
clients signed in as any of them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from tests import factories
from tests.pathways.helpers import *  # noqa: F403

# Which fixture stands in for each role on the pathway (as in tests/access/test_policy.py).
ROLES = {
    "coordinator": "coordinator",
    "unit:coordinating": "colleague",
    "team:specialist_contact": "specialist",
    "unit:treating": "treating_clinician",
    "team:municipal_contact": "municipal",
    "team:nav_contact": "nav",
    "team:gp": "gp",
    "patient": "patient_user",
    "consent:pathway": "kin_user",
    "outsider": "outsider",
}


def user_of(person):  # type: ignore[no-untyped-def]
    return person.user if isinstance(person, factories.Staff) else person


def client_of(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(user_of(person))
    return client


@pytest.fixture
def as_role(request):  # type: ignore[no-untyped-def]
    """`as_role("team:gp")` -> (person, signed-in client)."""

    def make(role: str):  # type: ignore[no-untyped-def]
        person = request.getfixturevalue(ROLES[role])
        return person, client_of(person)

    return make


@pytest.fixture(autouse=True)
def _norwegian():  # type: ignore[no-untyped-def]
    with translation.override("nb"):
        yield
