"""A write through the API is decided, and audited, exactly once."""

from __future__ import annotations

import datetime as dt

import pytest

from ettervern.access.models import AuditEvent
from ettervern.core import clock


@pytest.mark.django_db
def test_plan_stay_leaves_one_audit_record(client, pathway, coordinator, residential_unit):  # type: ignore[no-untyped-def]
    client.force_login(coordinator.user)
    before = AuditEvent.objects.count()
    response = client.post(
        f"/api/pathways/{pathway.public_id}/stays",
        {"unit_id": str(residential_unit.public_id),
         "planned_start": str(clock.today() + dt.timedelta(days=3))},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    actions = list(AuditEvent.objects.order_by("id")[before:].values_list("action", "outcome"))
    assert actions == [("stay.plan", "allowed")]


@pytest.mark.django_db
def test_refused_write_leaves_one_denied_record(client, pathway, outsider, residential_unit):  # type: ignore[no-untyped-def]
    client.force_login(outsider.user)
    response = client.post(
        f"/api/pathways/{pathway.public_id}/stays",
        {"unit_id": str(residential_unit.public_id),
         "planned_start": str(clock.today() + dt.timedelta(days=3))},
        content_type="application/json",
    )
    assert response.status_code == 404
    rows = AuditEvent.objects.filter(actor_id=outsider.user_id)
    assert list(rows.values_list("action", "outcome")) == [("stay.plan", "denied")]
    assert not pathway.stays.exists()
