"""Free-text limits hold in the services (so pages get them too) and in the database."""

from __future__ import annotations

import pytest
from django.db import DataError, IntegrityError, transaction

from ettervern.core import clock
from ettervern.core.errors import InvalidInput
from ettervern.pathways import services
from ettervern.pathways.models import (
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REFERRER_MAX_LENGTH,
    CoordinatorHandover,
    Pathway,
    PhaseTransition,
    Stay,
)
from tests import factories


@pytest.mark.django_db
def test_services_refuse_text_over_its_limit_naming_field_and_limit(pathway, coordinator,
                                                                    clinic, residential_unit):
    actor = factories.actor(coordinator)
    colleague = factories.staff(units=[clinic])
    calls = {
        "note": lambda: services.pathway_update(
            actor=actor, pathway=pathway, expected_version=1,
            referral_received_on=pathway.referral_received_on, referrer=pathway.referrer,
            first_contact_on=None, note="x" * (NOTE_MAX_LENGTH + 1)),
        "referrer": lambda: services.pathway_update(
            actor=actor, pathway=pathway, expected_version=1,
            referral_received_on=pathway.referral_received_on,
            referrer="x" * (REFERRER_MAX_LENGTH + 1), first_contact_on=None, note=""),
        "reason": lambda: services.coordinator_handover(
            actor=actor, pathway=pathway, to_staff=colleague, expected_version=1,
            reason="x" * (REASON_MAX_LENGTH + 1)),
    }
    stay = services.stay_plan(actor=actor, pathway=pathway, unit=residential_unit,
                              planned_start=clock.today())
    closed = services.pathway_transition(actor=actor, pathway=factories.open_pathway(coordinator),
                                         to_phase="closed", on=clock.today(),
                                         note="Ferdig")
    reasons = [
        lambda: services.stay_cancel(actor=actor, stay=stay, expected_version=stay.version,
                                     reason="x" * (REASON_MAX_LENGTH + 1)),
        lambda: services.pathway_reopen(actor=actor, pathway=closed,
                                        expected_version=closed.version,
                                        reason="x" * (REASON_MAX_LENGTH + 1)),
    ]
    for call in reasons:
        with pytest.raises(InvalidInput) as caught:
            call()
        assert caught.value.field == "reason"
        assert str(REASON_MAX_LENGTH) in str(caught.value.message)
    assert Stay.objects.get(pk=stay.pk).status == Stay.Status.PLANNED
    for field, call in calls.items():
        with pytest.raises(InvalidInput) as caught:
            call()
        assert caught.value.field == field
        assert str(_limit(field)) in str(caught.value.message)
    with pytest.raises(InvalidInput) as caught:
        services.pathway_transition(actor=actor, pathway=pathway, to_phase="pre_admission",
                                    on=clock.today(), note="x" * (NOTE_MAX_LENGTH + 1))
    assert caught.value.field == "note"
    with pytest.raises(InvalidInput) as caught:
        services.pathway_open(actor=actor, coordinating_unit=clinic,
                              national_id=factories.national_id(), given_name="x" * 101,
                              family_name="Nordmann", first_contact_on=clock.today())
    assert caught.value.field == "given_name"
    pathway.refresh_from_db()
    assert pathway.version == 1


def _limit(field: str) -> int:
    return {"note": NOTE_MAX_LENGTH, "referrer": REFERRER_MAX_LENGTH,
            "reason": REASON_MAX_LENGTH}[field]


@pytest.mark.django_db
def test_the_message_is_norwegian_on_the_pages(pathway, coordinator):
    from django.utils import translation

    with translation.override("nb"), pytest.raises(InvalidInput) as caught:
        services.pathway_transition(actor=factories.actor(coordinator), pathway=pathway,
                                    to_phase="pre_admission", on=clock.today(),
                                    note="x" * (NOTE_MAX_LENGTH + 1))
    assert str(caught.value.message) == f"Notatet kan ha høyst {NOTE_MAX_LENGTH} tegn."


@pytest.mark.django_db
def test_the_database_holds_the_limits(pathway, coordinator, clinic, residential_unit):
    colleague = factories.staff(units=[clinic])
    stay = services.stay_plan(actor=factories.actor(coordinator), pathway=pathway,
                              unit=residential_unit, planned_start=clock.today())
    writes = [
        lambda: Pathway.objects.filter(pk=pathway.pk).update(note="x" * (NOTE_MAX_LENGTH + 1)),
        lambda: Pathway.objects.filter(pk=pathway.pk).update(
            referrer="x" * (REFERRER_MAX_LENGTH + 1)),
        lambda: PhaseTransition.objects.filter(pathway=pathway).update(
            note="x" * (NOTE_MAX_LENGTH + 1)),
        lambda: CoordinatorHandover.objects.create(
            pathway=pathway, to_staff=colleague, to_unit=clinic, by=coordinator.user,
            reason="x" * (REASON_MAX_LENGTH + 1)),
        lambda: Stay.objects.filter(pk=stay.pk).update(
            cancel_reason="x" * (REASON_MAX_LENGTH + 1)),
    ]
    for write in writes:
        # The check constraint (IntegrityError); for the referrer PostgreSQL's varchar(200)
        # refuses first (DataError).
        with pytest.raises((IntegrityError, DataError)), transaction.atomic():
            write()
    Pathway.objects.filter(pk=pathway.pk).update(note="é" * NOTE_MAX_LENGTH)  # characters
