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
