from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.directory.models import Staff
from ettervern.pathways import services
from ettervern.pathways.models import CareTeamMember
from ettervern.patients.models import Consent, NextOfKin
from tests import factories

pytestmark = pytest.mark.django_db


def url(pathway) -> str:  # type: ignore[no-untyped-def]
    return reverse("pathways:pathway", args=[pathway.public_id])


def test_coordinator_sees_the_page_with_all_forms(coord_client, pathway, residential_unit):  # type: ignore[no-untyped-def]
    services.stay_plan(actor=factories.actor(pathway.coordinator), pathway=pathway,
                       unit=residential_unit, planned_start=clock.today() + dt.timedelta(days=3))
    response = coord_client.get(url(pathway))
    html = response.content.decode()
    assert response.status_code == 200
    assert pathway.patient.full_name in html
    # The coordinator may edit the pathway, so the number is shown in full.
    assert pathway.patient.national_id in html
    assert "TSB-poliklinikken" in html and "Staff koord" in html
    assert "Døgnavdelingen" in html and "Planlagt" in html
    assert "Forløp opprettet ved TSB-poliklinikken" in html  # timeline, in bokmål
    assert "Fastlege Hansen" in html  # referrer
    for name in ("pathway_transition", "pathway_update", "stay_plan", "careteam_add",
                 "coordinator_handover"):
        assert reverse(f"pathways:{name}", args=[pathway.public_id]) in html
    assert 'aria-describedby' in html
    assert AuditEvent.objects.filter(action="pathway.view", pathway_id=pathway.pk,
                                     outcome="allowed", channel="web").exists()


def test_outsider_gets_404_and_the_refusal_is_audited(outsider_client, outsider, pathway):  # type: ignore[no-untyped-def]
    response = outsider_client.get(url(pathway))
    assert response.status_code == 404
    html = response.content.decode()
    assert pathway.patient.full_name not in html
    assert "Ikke funnet" in html
    denied = AuditEvent.objects.get(actor_id=outsider.user.pk, outcome="denied")
    assert denied.pathway_id == pathway.pk and denied.channel == "web"


def test_unknown_pathway_is_404(coord_client):  # type: ignore[no-untyped-def]
    assert coord_client.get(reverse("pathways:pathway", args=[uuid.uuid4()])).status_code == 404


def test_read_only_member_sees_no_forms(client_for, pathway):  # type: ignore[no-untyped-def]
    gp = factories.staff(Staff.Profession.GP, units=[factories.unit(factories.Unit.Kind.GP)])
    services.careteam_add(actor=factories.actor(pathway.coordinator), pathway=pathway, staff=gp,
                          role=CareTeamMember.Role.GP)
    html = client_for(gp).get(url(pathway)).content.decode()
    assert pathway.patient.full_name in html
    assert pathway.patient.national_id not in html  # a reader sees it masked
    assert "<form" in html  # language switch and logout only
    for name in ("pathway_transition", "pathway_update", "stay_plan", "careteam_add",
                 "coordinator_handover", "person_search"):
        assert reverse(f"pathways:{name}", args=[pathway.public_id]) not in html


def _count(client, pathway) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url(pathway))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(pathway, n: int) -> None:  # type: ignore[no-untyped-def]
    actor = factories.actor(pathway.coordinator)
    start = clock.today() + dt.timedelta(days=10 + 40 * CareTeamMember.objects.filter(
        pathway=pathway).count())
    for i in range(n):
        unit = factories.unit(factories.Unit.Kind.RESIDENTIAL)
        services.stay_plan(actor=actor, pathway=pathway, unit=unit,
                           planned_start=start + dt.timedelta(days=10 * i),
                           planned_end=start + dt.timedelta(days=10 * i + 5))
        member = factories.staff(Staff.Profession.CLINICIAN, units=[unit])
        services.careteam_add(actor=actor, pathway=pathway, staff=member,
                              role=CareTeamMember.Role.SPECIALIST_CONTACT)
        kin = NextOfKin.objects.create(patient_id=pathway.patient_id, name=f"Kin {i}",
                                       relation="venn", kind=NextOfKin.Kind.TRUST_PERSON)
        Consent.objects.create(patient_id=pathway.patient_id, next_of_kin=kin, kind="plan",
                               given_at=clock.now(), valid_from=clock.today())


def test_query_count_does_not_grow_with_stays_team_and_events(coord_client, pathway):  # type: ignore[no-untyped-def]
    _grow(pathway, 1)
    few = _count(coord_client, pathway)
    _grow(pathway, 6)
    many = _count(coord_client, pathway)
    assert few == many
    # The session, the user, the pathway, the standing (once: the menu reads it too), the
    # bases, the audit row, stays, team, the unit options, hand-overs, the events with their
    # count (one windowed query); what matters to the patient, their next of kin and trust
    # persons, and the consents; the notices (a block exists, emergency accesses, the current
    # user-controlled bed agreements); the menu's notification badge.
    assert many == 17


def test_timeline_is_paginated(coord_client, pathway):  # type: ignore[no-untyped-def]
    from ettervern.pathways.events import record_event

    actor = factories.actor(pathway.coordinator)
    for _ in range(55):
        record_event(pathway, actor, "pathway.updated")
    html = coord_client.get(url(pathway)).content.decode()
    assert "?events=2" in html
    assert "Side 1 av 2" in html
    html = coord_client.get(url(pathway), {"events": 2}).content.decode()
    assert "Forløp opprettet" in html
