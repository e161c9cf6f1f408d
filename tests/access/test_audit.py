from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from ettervern.access import audit
from ettervern.access.models import AuditEvent
from ettervern.access.policy import VIEW, require
from tests.pathways.helpers import act

only_postgres = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the database trigger exists on PostgreSQL only")


@pytest.fixture
def event(pathway, coordinator):  # type: ignore[no-untyped-def]
    require(act(coordinator), pathway, VIEW)
    return AuditEvent.objects.latest("id")


@pytest.mark.django_db
def test_save_on_existing_row_raises(event):
    event.basis = "forged"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).basis != "forged"


@pytest.mark.django_db
def test_delete_raises(event):
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_for_patient_is_newest_first(pathway, coordinator):
    for _ in range(3):
        require(act(coordinator), pathway, VIEW)
    ids = list(audit.for_patient(pathway.patient_id).values_list("id", flat=True))
    assert ids == sorted(ids, reverse=True)
    assert len(ids) >= 3


@pytest.mark.django_db
@pytest.mark.postgres_only
@only_postgres
def test_database_refuses_raw_update(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("UPDATE access_auditevent SET basis = 'forged' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).basis != "forged"


@pytest.mark.django_db
@pytest.mark.postgres_only
@only_postgres
def test_database_refuses_raw_delete(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
@pytest.mark.postgres_only
@only_postgres
def test_database_refuses_queryset_update_and_delete(event):
    """The ORM's bulk paths bypass Model.save()/delete(); the trigger still stops them."""
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(basis="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).basis != "forged"


@pytest.mark.django_db
@pytest.mark.postgres_only
@only_postgres
def test_database_refuses_truncate_outside_test_flush(event):
    """Only a session that explicitly allows it (the test runner's flush) may TRUNCATE."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("SET LOCAL ettervern.allow_audit_truncate = 'off'")
        cursor.execute("TRUNCATE access_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_seen_by_pages_newest_first_by_keyset_without_overlap(pathway, coordinator, specialist):
    for person in (coordinator, specialist, coordinator, specialist, coordinator):
        require(act(person), pathway, VIEW)
    everything = list(audit.for_patient(pathway.patient_id).values_list("id", flat=True))

    first = audit.seen_by(pathway.patient_id, limit=2)
    last = first[-1]
    second = audit.seen_by(pathway.patient_id, limit=2, before=(last["at"], last["id"]))
    rest = audit.seen_by(pathway.patient_id, limit=50,
                         before=(second[-1]["at"], second[-1]["id"]))

    assert [row["id"] for row in first + second + rest] == everything
    assert {row["actor_name"] for row in first + second} == {
        coordinator.name, specialist.name}
    assert set(first[0]) == {"id", "at", "actor_name", "actor_organisation", "action", "basis",
                             "outcome", "channel"}


@pytest.mark.django_db
def test_seen_by_for_another_patient_shows_nothing_of_this_one(pathway, coordinator):
    require(act(coordinator), pathway, VIEW)
    assert audit.seen_by(pathway.patient_id + 1000) == []


@only_postgres
@pytest.mark.django_db
def test_seen_by_is_answered_from_the_index_alone(pathway, coordinator):
    """Every column the patient's log reads is in audit_patient_at, so PostgreSQL can answer
    it with an index-only scan; a column added to seen_by but not to the index fails here."""
    require(act(coordinator), pathway, VIEW)
    query = audit.for_patient(pathway.patient_id)
    page = query.values("id", "at", *AuditEvent._meta.indexes[0].include)[:50]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        # The test table is tiny; take the other plans away so the index's shape decides.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using audit_patient_at" in plan, plan
    assert list(page.values_list("id", flat=True)) == [
        row["id"] for row in audit.seen_by(pathway.patient_id)]
