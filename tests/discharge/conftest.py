"""Fixtures for discharge: a pathway with an ongoing residential stay, its care team, and
`meet` helpers that make each checkpoint true through the services that own its data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ettervern.core import clock
from ettervern.discharge.catalogue import ensure_checkpoints
from ettervern.pathways import services
from ettervern.pathways.models import Stay
from ettervern.pathways.phases import Phase
from ettervern.planning.crisis.services import ContactData, crisisplan_save
from ettervern.planning.plan import services as plan_services
from ettervern.planning.plan.models import Plan
from tests.pathways.helpers import *  # noqa: F403
from tests.pathways.helpers import act, days_ago, plan_stay
from tests.planning.conftest import (  # noqa: F401
    ROLES,
    as_role,
    client_of,
    kin_crisis_plan,
    kin_mapping,
    kin_plan,
    section_types,
)

REASON = "Pasienten ønsket å reise hjem før samarbeidsmøtet."


@pytest.fixture(autouse=True)
def _checkpoints(db):  # type: ignore[no-untyped-def]
    ensure_checkpoints()


@pytest.fixture
def stay(pathway, coordinator, residential_unit, treating_clinician) -> Stay:  # type: ignore[no-untyped-def]
    """The treating clinician's planned stay, admitted ten days ago."""
    services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                to_phase=Phase.PRE_ADMISSION, on=days_ago(20))
    planned = pathway.stays.get()
    services.stay_admit(actor=act(coordinator), stay=planned, on=days_ago(10))
    planned.refresh_from_db()
    return planned


def meeting(stay: Stay, kind: str, status: str, *, days_from_now: int = 0):  # type: ignore[no-untyped-def]
    from ettervern.meetings.models import Meeting

    by = stay.pathway.coordinator.user
    starts = timezone.make_aware(dt.datetime.combine(clock.today(), dt.time(10, 0))) \
        + dt.timedelta(days=days_from_now)
    return Meeting.objects.create(pathway=stay.pathway, stay=stay, kind=kind, status=status,
                                  starts_at=starts, ends_at=starts + dt.timedelta(hours=1),
                                  place="Poliklinikken, møterom 2", arranged_by=by,
                                  held_at=starts if status == "held" else None)


def agreed_plan(pathway, coordinator, patient_user, *, housing: bool = True,  # type: ignore[no-untyped-def]
                finances: bool = True, measure_by=None) -> Plan:
    plan = plan_services.plan_create(actor=act(coordinator), pathway=pathway)
    if housing:
        plan_services.section_update(actor=act(coordinator), plan=plan, section="housing",
                                     expected_version=plan.version, goals="Egen leilighet.")
        plan.refresh_from_db()
    if finances:
        plan_services.section_update(actor=act(coordinator), plan=plan, section="finances",
                                     expected_version=plan.version, goals="Fast inntekt.")
        plan.refresh_from_db()
    if measure_by is not None:
        plan_services.measure_add(actor=act(coordinator), plan=plan, expected_version=plan.version,
                                  section="networks", description="Treningsgruppe",
                                  responsible=measure_by)
        plan.refresh_from_db()
    plan_services.plan_agree(actor=act(patient_user), plan=plan, expected_version=plan.version)
    plan.refresh_from_db()
    return plan


def crisis_plan(pathway, by) -> None:  # type: ignore[no-untyped-def]
    crisisplan_save(actor=act(by), pathway=pathway, expected_version=0,
                    warning_signs="Sover dårlig, trekker meg unna.", own_actions="Ringer søster.",
                    others_actions="", bed="",
                    contacts=[ContactData(name="Legevakt", phone="116117")])


@pytest.fixture
def all_met(stay, pathway, coordinator, specialist, municipal, patient_user, section_types):  # type: ignore[no-untyped-def]  # noqa: F811
    """Every checkpoint met: from the data where it can tell, ticked where it cannot."""
    from ettervern.discharge import services as discharge_services

    agreed_plan(pathway, coordinator, patient_user, measure_by=municipal)
    crisis_plan(pathway, coordinator)
    meeting(stay, "before_discharge", "held", days_from_now=-1)
    meeting(stay, "after_discharge", "planned", days_from_now=14)
    plan_stay(pathway, coordinator, stay.unit, days_ago(-60), days_ago(-90))  # sequential
    discharge_services.checkpoint_tick(actor=act(coordinator), stay=stay, key="gp_informed",
                                       note="Epikrise sendt.")
    return stay
