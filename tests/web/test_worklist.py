from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.pathways import services
from ettervern.pathways.phases import Phase
from ettervern.patients.models import Consent, NextOfKin
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("pathways:worklist")


def test_coordinator_sees_own_pathways_with_columns(coord_client, pathway):  # type: ignore[no-untyped-def]
    response = coord_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert pathway.patient.full_name in html
    assert pathway.patient.national_id not in html  # masked
    assert pathway.patient.national_id[:6] + " *****" in html
    assert reverse("pathways:pathway", args=[pathway.public_id]) in html
    assert "Kontakt / henvisning" in html
    assert "TSB-poliklinikken" in html  # responsible unit
    assert "Ventetid (dager)" in html
    assert "Staff koord" in html
    assert AuditEvent.objects.filter(action="pathway.list", pathway_id=pathway.pk).exists()


def test_outsider_sees_none_of_them(outsider_client, pathway):  # type: ignore[no-untyped-def]
    response = outsider_client.get(URL)
    assert response.status_code == 200
    assert pathway.patient.full_name not in response.content.decode()
    response = outsider_client.get(URL, {"scope": "unit"})
    assert pathway.patient.full_name not in response.content.decode()


def test_scope_unit_shows_the_clinic_colleagues_pathways(client_for, clinic, pathway):  # type: ignore[no-untyped-def]
    colleague = factories.staff(units=[clinic])
    client = client_for(colleague)
    assert pathway.patient.full_name not in client.get(URL).content.decode()
    assert pathway.patient.full_name in client.get(URL, {"scope": "unit"}).content.decode()


def test_filters_phase_and_name(coord_client, coordinator):  # type: ignore[no-untyped-def]
    first = factories.open_pathway(coordinator)
    second = factories.open_pathway(coordinator)
    services.pathway_transition(actor=factories.actor(coordinator), pathway=second,
                                to_phase=Phase.PRE_ADMISSION, on=clock.today())
    html = coord_client.get(URL, {"phase": Phase.PRE_ADMISSION}).content.decode()
    assert second.patient.family_name in html and first.patient.family_name not in html
    html = coord_client.get(URL, {"q": first.patient.family_name}).content.decode()
    assert first.patient.family_name in html and second.patient.family_name not in html
    # A bad filter value falls back to the default instead of failing.
    assert coord_client.get(URL, {"phase": "nonsense", "scope": "x"}).status_code == 200


def test_pagination_links(coord_client, coordinator, settings):  # type: ignore[no-untyped-def]
    for _ in range(27):
        factories.open_pathway(coordinator)
    html = coord_client.get(URL).content.decode()
    assert "?page=2" in html
    assert "27 forløp" in html
    page2 = coord_client.get(URL, {"page": 2}).content.decode()
    assert page2.count('<tr>') - 1 == 2  # two rows plus the header row


def test_htmx_request_gets_only_the_table(coord_client, pathway):  # type: ignore[no-untyped-def]
    response = coord_client.get(URL, {"q": "Kari"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="worklist-results"')
    assert "<html" not in html
    assert pathway.patient.full_name in html
    assert "HX-Request" in response["Vary"]


def test_patient_sees_own_pathway(client_for, pathway):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("pasienten", password=None)
    pathway.patient.user = user
    pathway.patient.save()
    other = factories.open_pathway()
    # The patient lands on their portal, in plain words, not the clinician's table.
    response = client_for(user).get(URL, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert "Min side" in html and "Min koordinator" in html
    assert other.patient.full_name not in html
    assert "Registrer ny pasient" not in html and "Ny pasient" not in html
    for clinician_column in ("Ventetid", "Behandlingsansvarlig enhet", "<table"):
        assert clinician_column not in html


def test_next_of_kin_sees_consented_pathway_only_while_consent_lasts(client_for, pathway):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("parorende", password=None)
    kin = NextOfKin.objects.create(patient=pathway.patient, name="Ola", relation="bror", user=user)
    consent = Consent.objects.create(patient=pathway.patient, next_of_kin=kin,
                                     kind="pathway", given_at=dt.datetime.now(dt.UTC),
                                     valid_from=clock.today() - dt.timedelta(days=1))
    client = client_for(user)
    assert pathway.patient.full_name in client.get(URL, follow=True).content.decode()
    consent.withdrawn_at = dt.datetime.now(dt.UTC)
    consent.save()
    assert pathway.patient.full_name not in client.get(URL, follow=True).content.decode()


def _count_queries(client) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_rows(coord_client, coordinator, residential_unit):  # type: ignore[no-untyped-def]
    def add(n: int) -> None:
        for _ in range(n):
            p = factories.open_pathway(coordinator)
            services.stay_plan(actor=factories.actor(coordinator), pathway=p,
                               unit=residential_unit,
                               planned_start=clock.today() + dt.timedelta(days=5))

    add(2)
    few = _count_queries(coord_client)
    add(8)
    many = _count_queries(coord_client)
    assert few == many
    # The session, the user, the standing (once: the menu's "New patient" reads it too), the
    # page's ids with the total, the rows, the bases, the hand-overs, the planning figures of
    # the page's pathways (checklist progress, the individual plan's flags), the emergency
    # accesses to the reader's patients (rights' worklist notice), one audit INSERT, the
    # menu's notification badge.
    assert many == 11


def test_one_audit_insert_per_page_however_many_patients_it_shows(coord_client, coordinator):  # type: ignore[no-untyped-def]
    for _ in range(30):
        factories.open_pathway(coordinator)
    with CaptureQueriesContext(connection) as ctx:
        response = coord_client.get(URL)
    assert response.status_code == 200
    inserts = [q for q in ctx.captured_queries
               if q["sql"].startswith('INSERT INTO "access_auditevent"')]
    assert len(inserts) == 1
    # Still one row per patient shown: the patient's access log names every list they were in.
    from ettervern.access.models import AuditEvent

    assert AuditEvent.objects.filter(action="pathway.list",
                                     actor_id=coordinator.user_id).count() == 25


def test_list_and_handovers_are_audited_in_one_insert(coord_client, coordinator, clinic):  # type: ignore[no-untyped-def]
    colleague = factories.staff(units=[clinic], username="kollega")
    handed = [factories.open_pathway(colleague) for _ in range(2)]
    for p in handed:
        services.coordinator_handover(actor=factories.actor(colleague), pathway=p,
                                      to_staff=coordinator, expected_version=p.version,
                                      reason="Permisjon.")
    factories.open_pathway(coordinator)
    before = AuditEvent.objects.filter(action="pathway.list").count()
    with CaptureQueriesContext(connection) as ctx:
        response = coord_client.get(URL)
    assert response.status_code == 200
    assert "Permisjon." in response.content.decode()
    inserts = [q for q in ctx.captured_queries
               if q["sql"].startswith('INSERT INTO "access_auditevent"')]
    assert len(inserts) == 1
    # One row per patient on the list (three) and one per hand-over shown (two).
    rows = list(AuditEvent.objects.filter(action="pathway.list").order_by("id")[before:])
    assert [r.pathway_id for r in rows].count(handed[0].pk) == 2
    assert len(rows) == 5
