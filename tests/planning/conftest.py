"""Fixtures for the planning tests: the domain roles (tests/pathways/helpers.py), a pathway in
pre-admission, an individual plan, and clients for pages and the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from ettervern.core import clock
from ettervern.pathways import services
from ettervern.pathways.phases import Phase
from ettervern.planning.checklist.models import ChecklistItem
from ettervern.planning.plan import services as plan_services
from ettervern.planning.plan.models import Plan
from ettervern.planning.plan.sections import ensure_template
from tests import factories
from tests.api.conftest import ApiClient
from tests.pathways.helpers import *  # noqa: F403
from tests.pathways.helpers import act

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
    "consent:plan": "kin_plan",
    "consent:crisis_plan": "kin_crisis_plan",
    "consent:mapping": "kin_mapping",
    "emergency": "emergency_clinician",
    "outsider": "outsider",
}


def _kin_with(pathway, kind: str, username: str):  # type: ignore[no-untyped-def]
    """A next of kin with the patient's consent to one kind of information only."""
    from django.contrib.auth import get_user_model

    from ettervern.patients.models import Consent, NextOfKin

    user = get_user_model().objects.create_user(username=username, password=None)
    kin = NextOfKin.objects.create(patient_id=pathway.patient_id, name=f"Kin {kind}",
                                   relation="søster", user=user)
    Consent.objects.create(patient_id=pathway.patient_id, next_of_kin=kin, kind=kind,
                           given_at=clock.now(), valid_from=clock.today())
    return user


@pytest.fixture
def kin_plan(pathway):  # type: ignore[no-untyped-def]
    return _kin_with(pathway, "plan", "kin_plan")


@pytest.fixture
def kin_crisis_plan(pathway):  # type: ignore[no-untyped-def]
    return _kin_with(pathway, "crisis_plan", "kin_crisis_plan")


@pytest.fixture
def kin_mapping(pathway):  # type: ignore[no-untyped-def]
    return _kin_with(pathway, "mapping", "kin_mapping")


def user_of(person):  # type: ignore[no-untyped-def]
    return person.user if isinstance(person, factories.Staff) else person


def client_of(person) -> Client:  # type: ignore[no-untyped-def]
    """A page client signed in as `person` (staff or a plain user), speaking bokmål."""
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(user_of(person))
    return client


page_client = client_of


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
    return client_of


@pytest.fixture
def api_for():  # type: ignore[no-untyped-def]
    return api_client


@pytest.fixture
def section_types(db):  # type: ignore[no-untyped-def]
    """The template's sections as the data migration writes them. A transactional test
    (test_concurrency) empties every table when it ends, data migrations' rows included, so a
    plan's tests put them back (update_or_create: a no-op when they are there)."""
    ensure_template()


@pytest.fixture
def plan(section_types, pathway, coordinator) -> Plan:  # type: ignore[no-untyped-def]
    return plan_services.plan_create(actor=act(coordinator), pathway=pathway)


def api_client(person) -> ApiClient:  # type: ignore[no-untyped-def]
    return ApiClient(client_of(person))
