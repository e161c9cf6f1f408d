"""Who has looked at my data: plain words, list views folded, keyset pages, no leak between
patients, a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ettervern.access import audit
from ettervern.access.models import AuditEvent
from ettervern.access.policy import VIEW, Basis, require
from ettervern.core import clock
from ettervern.core.errors import NotFound
from ettervern.rights import selectors, services
from tests import factories
from tests.pathways.helpers import act

pytestmark = pytest.mark.django_db
URL = "/meg/innsyn/"


def _rows(actor, patient_id, n, action="pathway.list", start=None):  # type: ignore[no-untyped-def]
    start = start or clock.now() - dt.timedelta(days=10)
    audit.record_many(
        AuditEvent(at=start + dt.timedelta(minutes=i), patient_id=patient_id, action=action,
                   outcome="allowed", basis="coordinator", channel="web",
                   actor_id=actor.user.pk, actor_name=actor.identity[0],
                   actor_organisation=actor.identity[1])
        for i in range(n))


@pytest.fixture
def patient_client(patient_user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(patient_user)
    return client


def test_url_is_the_one_the_portal_links_to():
    assert reverse("rights:access_log") == URL


def test_list_views_are_folded_and_reads_are_plain(pathway, coordinator, patient_user):
    actor = act(coordinator)
    _rows(actor, pathway.patient_id, 14)
    require(actor, pathway, VIEW)
    log = selectors.access_log(actor=act(patient_user))
    assert [(e.what, e.count) for e in log.entries] == [
        ("Leste forløpet ditt", 1), ("Opprettet forløpet ditt", 1),
        ("Så navnet ditt i en liste", 14)]
    listed = log.entries[2]
    assert listed.first_at < listed.at
    assert log.entries[0].role == "Koordinatoren din"
    assert log.entries[0].person == coordinator.name


def test_refusals_and_emergency_access_show_with_their_basis(pathway, patient_user,
                                                             specialist):
    services.block_create(actor=act(patient_user), staff=specialist)
    with pytest.raises(NotFound):
        require(act(specialist), pathway, VIEW)
    doctor = factories.staff(factories.Staff.Profession.GP,
                             units=[factories.unit(factories.Unit.Kind.GP)])
    services.emergency_open(actor=act(doctor), national_id=pathway.patient.national_id,
                            reason="Akutt forgiftning, trenger kriseplanen")
    require(act(doctor), pathway, VIEW)
    entries = selectors.access_log(actor=act(patient_user)).entries
    assert entries[0].emergency and "Akutt forgiftning" in entries[0].basis
    refused = next(e for e in entries if not e.allowed)
    assert "sperret" in refused.basis


def test_pages_follow_each_other_without_gaps(pathway, coordinator, patient_user):
    actor = act(coordinator)
    for _ in range(130):  # reads, each its own line
        audit.record(actor, action="pathway.view", patient_id=pathway.patient_id,
                     basis=Basis("coordinator"))
    seen, before, pages = 0, None, 0
    while True:
        log = selectors.access_log_for(pathway.patient_id, before=before)
        seen += sum(e.count for e in log.entries)
        pages += 1
        if log.next_before is None:
            break
        before = log.next_before
    assert seen == AuditEvent.objects.filter(patient_id=pathway.patient_id).count()
    assert pages == 3


def test_cursor_round_trip_and_bad_cursor(pathway, patient_client):
    at = clock.now()
    assert selectors.decode_cursor(selectors.encode_cursor((at, 7))) == (
        at.replace(microsecond=at.microsecond), 7)
    assert patient_client.get(URL, {"before": "nonsense"}).status_code == 422


def test_no_leak_between_patients(pathway, coordinator, patient_client):
    other = factories.open_pathway(coordinator)
    _rows(act(coordinator), other.patient_id, 3, action="pathway.view")
    html = patient_client.get(URL).content.decode()
    assert "Leste forløpet ditt" not in html  # only the other patient's log has reads
    mine = selectors.access_log_for(pathway.patient_id).entries
    assert [e.what for e in mine] == ["Opprettet forløpet ditt"]


def test_staff_and_next_of_kin_have_no_access_log(pathway, coordinator, kin_user):
    for user in (coordinator.user, kin_user):
        client = Client()
        client.force_login(user)
        assert client.get(URL).status_code == 404


def test_the_page_reads_in_a_fixed_number_of_queries(pathway, coordinator, patient_client):
    _rows(act(coordinator), pathway.patient_id, 5, action="pathway.view")
    with CaptureQueriesContext(connection) as few:
        assert patient_client.get(URL).status_code == 200
    _rows(act(coordinator), pathway.patient_id, 300)
    _rows(act(coordinator), pathway.patient_id, 40, action="pathway.view")
    with CaptureQueriesContext(connection) as many:
        response = patient_client.get(URL)
    assert response.status_code == 200
    assert "?before=" in response.content.decode()
    # The session, the user, the patient, one page of the log (index-only on PostgreSQL), the
    # menu's standing and its notification badge.
    assert len(few.captured_queries) == len(many.captured_queries) == 6
