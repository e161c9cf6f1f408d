"""A residential unit acts on its own stays only, and each write leaves exactly one audit row."""

from __future__ import annotations

import pytest

from ettervern.access.models import AuditEvent
from ettervern.core.errors import NotFound
from ettervern.directory.models import Staff, Unit
from ettervern.pathways import services
from ettervern.pathways.models import Stay
from ettervern.pathways.phases import Phase
from tests import factories
from tests.pathways.helpers import act, days_ago, plan_stay


@pytest.fixture
def two_stays(pathway, coordinator, residential_unit):  # type: ignore[no-untyped-def]
    other_unit = factories.unit(Unit.Kind.RESIDENTIAL, name="Annen døgnavdeling")
    first = plan_stay(pathway, coordinator, residential_unit, days_ago(20), days_ago(10))
    second = plan_stay(pathway, coordinator, other_unit, days_ago(5), None)
    services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                to_phase=Phase.PRE_ADMISSION, on=days_ago(25))
    return first, second


def test_treating_unit_admits_its_own_stay(two_stays, residential_unit):  # type: ignore[no-untyped-def]
    first, _ = two_stays
    clinician = factories.staff(Staff.Profession.CLINICIAN, units=[residential_unit])
    services.stay_admit(actor=act(clinician), stay=first, on=days_ago(20))
    first.refresh_from_db()
    assert first.status == Stay.Status.ONGOING


def test_treating_unit_cannot_act_on_another_units_stay(two_stays, residential_unit):  # type: ignore[no-untyped-def]
    _, second = two_stays
    clinician = factories.staff(Staff.Profession.CLINICIAN, units=[residential_unit])
    # The clinician may read the pathway (their unit treats it) but has no basis on a stay
    # at another unit.
    with pytest.raises(NotFound):
        services.stay_cancel(actor=act(clinician), stay=second, expected_version=second.version,
                             reason="Flyttet.")
    second.refresh_from_db()
    assert second.status == Stay.Status.PLANNED
    denied = AuditEvent.objects.filter(actor_id=clinician.user_id, outcome="denied")
    assert denied.count() == 1
    assert denied.get().object_id == str(second.public_id)


def test_staff_of_an_unrelated_unit_gets_not_found(two_stays):  # type: ignore[no-untyped-def]
    first, _ = two_stays
    stranger = factories.staff(Staff.Profession.CLINICIAN,
                               units=[factories.unit(Unit.Kind.RESIDENTIAL)])
    with pytest.raises(NotFound):
        services.stay_admit(actor=act(stranger), stay=first, on=days_ago(20))


def test_one_write_leaves_one_audit_record(two_stays, coordinator):  # type: ignore[no-untyped-def]
    first, _ = two_stays
    before = AuditEvent.objects.count()
    services.stay_admit(actor=act(coordinator), stay=first, on=days_ago(20))
    new = AuditEvent.objects.order_by("id")[before:]
    assert [(e.action, e.outcome, e.object_id) for e in new] == [
        ("stay.manage", "allowed", str(first.public_id))
    ]
    assert new[0].pathway_id == first.pathway_id
