"""pathway_open and pathway_update."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from ettervern.access.models import AuditEvent
from ettervern.access.policy import Actor
from ettervern.core import clock
from ettervern.core.errors import (
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    RuleViolation,
    StaleVersion,
)
from ettervern.core.identifiers import DNR, FNR
from ettervern.pathways import services
from ettervern.pathways.models import Pathway, PathwayEvent, PhaseTransition
from ettervern.pathways.phases import Phase
from ettervern.patients.models import Patient
from tests import factories
from tests.pathways.helpers import act, days_ago


def _open(coordinator, clinic, **kwargs):  # type: ignore[no-untyped-def]
    args = {"national_id": factories.national_id(dt.date(1984, 2, 29)), "given_name": " Kari ",
            "family_name": "Nordmann", "referral_received_on": days_ago(3),
            "referrer": "Fastlege Hansen"}
    args.update(kwargs)
    return services.pathway_open(actor=act(coordinator), coordinating_unit=clinic, **args)


def _nothing_created() -> None:
    assert Patient.objects.count() == 0
    assert Pathway.objects.count() == 0
    assert PhaseTransition.objects.count() == 0


@pytest.mark.django_db
def test_open_from_referral(coordinator, clinic):
    nid = factories.national_id(dt.date(1984, 2, 29))
    pathway = _open(coordinator, clinic, national_id=nid)
    pathway.refresh_from_db()
    assert pathway.phase == Phase.CONTACT and pathway.is_open
    assert pathway.coordinator == coordinator and pathway.coordinating_unit == clinic
    assert (pathway.referral_received_on, pathway.referrer) == (days_ago(3), "Fastlege Hansen")
    assert pathway.first_contact_on is None and pathway.started_on == days_ago(3)
    patient = pathway.patient
    assert (patient.national_id, patient.id_kind, patient.given_name) == (nid, FNR, "Kari")
    assert patient.birth_date == dt.date(1984, 2, 29)
    transition = PhaseTransition.objects.get(pathway=pathway)
    assert (transition.from_phase, transition.to_phase, transition.on) == (
        "", Phase.CONTACT, days_ago(3))
    assert transition.recorded_by == coordinator.user
    assert list(pathway.events.values_list("kind", flat=True)) == ["pathway.opened"]
    audit = AuditEvent.objects.get(action="pathway.open")
    assert audit.outcome == "allowed" and audit.patient_id == patient.pk
    assert audit.basis == f"staff:opening-unit {clinic.name}"


@pytest.mark.django_db
def test_open_with_d_number(coordinator, clinic):
    pathway = _open(coordinator, clinic,
                    national_id=factories.national_id(dt.date(1990, 1, 2), d_number=True))
    assert pathway.patient.id_kind == DNR
    assert pathway.patient.birth_date == dt.date(1990, 1, 2)


@pytest.mark.django_db
def test_open_from_contact_before_referral_then_register_referral(coordinator, clinic):
    pathway = _open(coordinator, clinic, referral_received_on=None, referrer="",
                    first_contact_on=days_ago(10))
    assert pathway.referral_received_on is None and pathway.started_on == days_ago(10)
    assert PhaseTransition.objects.get(pathway=pathway).on == days_ago(10)

    updated = services.pathway_update(
        actor=act(coordinator), pathway=pathway, expected_version=pathway.version,
        referral_received_on=days_ago(4), referrer=" Legevakten ", first_contact_on=days_ago(10),
        note="Henvisning mottatt",
    )
    assert updated.version == 2
    pathway.refresh_from_db()
    assert (pathway.referral_received_on, pathway.referrer, pathway.first_contact_on) == (
        days_ago(4), "Legevakten", days_ago(10))
    assert pathway.note == "Henvisning mottatt" and pathway.version == 2
    assert pathway.events.filter(kind="pathway.updated").count() == 1
    assert AuditEvent.objects.filter(action="pathway.edit", outcome="allowed").count() == 1


@pytest.mark.django_db
def test_existing_patient_with_open_pathway_is_refused(coordinator, clinic, outsider):
    nid = factories.national_id()
    _open(coordinator, clinic, national_id=nid)
    other_clinic = outsider.units.get()
    with pytest.raises(RuleViolation) as caught:
        _open(outsider, other_clinic, national_id=nid)
    assert caught.value.field == "national_id"
    assert Pathway.objects.count() == 1 and Patient.objects.count() == 1


@pytest.mark.django_db
def test_existing_patient_with_only_closed_pathways_gets_a_new_one(coordinator, clinic):
    nid = factories.national_id()
    first = _open(coordinator, clinic, national_id=nid)
    services.pathway_transition(actor=act(coordinator), pathway=first, to_phase=Phase.CLOSED,
                                on=clock.today(), note="Ferdig.")
    second = _open(coordinator, clinic, national_id=nid, given_name="kari")
    assert second.pk != first.pk and second.patient_id == first.patient_id
    assert Patient.objects.get().given_name == "Kari"  # an existing patient is found, not edited


# Dates relative to today, resolved when the test runs (not when it is collected: a run that
# passes midnight would otherwise test yesterday's "future").
TOMORROW, IN_TWO_DAYS = object(), object()
_OFFSETS = {TOMORROW: 1, IN_TWO_DAYS: 2}


def _dated(kwargs: dict) -> dict:  # type: ignore[type-arg]
    return {key: clock.today() + dt.timedelta(days=_OFFSETS[value])
            if value in _OFFSETS else value for key, value in kwargs.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("kwargs", [
    {"national_id": "01018012345"},                                   # wrong check digits
    {"national_id": "123"},                                           # wrong length
    {"given_name": "  "},
    {"family_name": ""},
    {"referral_received_on": None, "referrer": ""},                   # neither date
    {"referrer": " "},                                                # referral without referrer
    {"referral_received_on": TOMORROW},                                # future
    {"referral_received_on": None, "referrer": "", "first_contact_on": TOMORROW},
])
def test_open_invalid_input_creates_nothing(coordinator, clinic, kwargs):
    with pytest.raises(InvalidInput):
        _open(coordinator, clinic, **_dated(kwargs))
    _nothing_created()


@pytest.mark.django_db
def test_open_at_a_residential_unit_is_invalid(coordinator, residential_unit):
    coordinator.units.add(residential_unit)
    with pytest.raises(InvalidInput):
        _open(coordinator, residential_unit)
    _nothing_created()


@pytest.mark.django_db
def test_open_at_a_clinic_where_one_does_not_work_is_forbidden(coordinator, outsider):
    with pytest.raises(Forbidden):
        _open(coordinator, outsider.units.get())
    _nothing_created()


@pytest.mark.django_db
def test_open_by_non_staff_or_anonymous_is_refused(clinic):
    user = get_user_model().objects.create_user(username="pasient", password=None)
    with pytest.raises(Forbidden):
        services.pathway_open(actor=act(user), coordinating_unit=clinic,
                              national_id=factories.national_id(), given_name="A",
                              family_name="B", first_contact_on=days_ago(1))
    with pytest.raises(NotAuthenticated):
        services.pathway_open(actor=Actor(AnonymousUser(), "api"), coordinating_unit=clinic,
                              national_id=factories.national_id(), given_name="A",
                              family_name="B", first_contact_on=days_ago(1))
    _nothing_created()


# --- pathway_update ----------------------------------------------------------------------

def _update(actor, pathway, version, **kwargs):  # type: ignore[no-untyped-def]
    args = {"referral_received_on": days_ago(5), "referrer": "Ny henviser",
            "first_contact_on": None, "note": "endret"}
    args.update(kwargs)
    return services.pathway_update(actor=actor, pathway=pathway, expected_version=version, **args)


def _snapshot(pathway):  # type: ignore[no-untyped-def]
    return (Pathway.objects.values().get(pk=pathway.pk), PathwayEvent.objects.count())


@pytest.mark.django_db
def test_update_stale_version_changes_nothing(pathway, coordinator):
    _update(act(coordinator), pathway, 1)
    before = _snapshot(pathway)
    with pytest.raises(StaleVersion):
        _update(act(coordinator), pathway, 1, note="tapt")
    assert _snapshot(pathway) == before


@pytest.mark.django_db
@pytest.mark.parametrize("kwargs", [
    {"referral_received_on": None, "first_contact_on": None},
    {"referrer": ""},
    {"referral_received_on": IN_TWO_DAYS},
])
def test_update_invalid_input_changes_nothing(pathway, coordinator, kwargs):
    before = _snapshot(pathway)
    with pytest.raises(InvalidInput):
        _update(act(coordinator), pathway, pathway.version, **_dated(kwargs))
    assert _snapshot(pathway) == before


@pytest.mark.django_db
def test_update_refused_for_viewer_and_outsider(pathway, gp, outsider):
    before = _snapshot(pathway)
    with pytest.raises(Forbidden):
        _update(act(gp), pathway, pathway.version)
    with pytest.raises(NotFound):
        _update(act(outsider), pathway, pathway.version)
    assert _snapshot(pathway) == before
    denied = AuditEvent.objects.filter(action="pathway.edit", outcome="denied")
    assert set(denied.values_list("actor_id", flat=True)) == {gp.user.pk, outsider.user.pk}


@pytest.mark.django_db
def test_update_by_colleague_at_coordinating_clinic(pathway, colleague):
    _update(act(colleague), pathway, pathway.version)
    pathway.refresh_from_db()
    assert pathway.referrer == "Ny henviser"

