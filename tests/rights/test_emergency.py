"""Emergency access: a health professional with no role opens a patient's pathway to read, for a
stated reason, for four hours; it is shown to the coordinator, the patient and the unit."""

from __future__ import annotations

import datetime as dt

import pytest

from ettervern.access.models import AuditEvent
from ettervern.access.policy import EDIT, PLAN_VIEW, VIEW, require
from ettervern.core import clock
from ettervern.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from ettervern.directory.models import Staff, Unit
from ettervern.pathways.selectors import pathway_worklist
from ettervern.rights import selectors, services
from ettervern.rights.models import EmergencyAccess
from tests import factories
from tests.pathways.helpers import act

pytestmark = pytest.mark.django_db
REASON = "Innlagt akutt på legevakt, trenger kriseplanen"


def _open(doctor, pathway, reason=REASON):  # type: ignore[no-untyped-def]
    return services.emergency_open(actor=act(doctor), national_id=pathway.patient.national_id,
                                   reason=reason)


def test_emergency_access_reads_only_and_expires(pathway, doctor):
    with pytest.raises(NotFound):
        require(act(doctor), pathway, VIEW)
    access = _open(doctor, pathway)
    assert access.expires_at - access.opened_at == dt.timedelta(hours=4)
    basis = require(act(doctor), pathway, VIEW)
    assert (basis.role, basis.detail) == ("emergency", str(access.pk))
    assert require(act(doctor), pathway, PLAN_VIEW).role == "emergency"
    with pytest.raises(Forbidden):
        require(act(doctor), pathway, EDIT)
    # It never puts the pathway on a worklist.
    assert pathway_worklist(actor=act(doctor), scope="unit").rows == []
    with clock.frozen(access.expires_at + dt.timedelta(seconds=1)), pytest.raises(NotFound):
        require(act(doctor), pathway, VIEW)
    assert AuditEvent.objects.filter(actor_id=doctor.user_id, action="emergency.open",
                                     basis=f"emergency {access.pk}").count() == 1


@pytest.mark.parametrize("reason", ["", "   ", "for kort", " 123456789 "])
def test_refused_without_a_reason_and_nothing_is_stored(pathway, doctor, reason):
    with pytest.raises(InvalidInput, match="minst 10") as refused:
        _open(doctor, pathway, reason)
    assert refused.value.field == "reason"
    assert not EmergencyAccess.objects.exists()


def test_refused_when_one_has_a_role_already(pathway, coordinator):
    with pytest.raises(RuleViolation, match="gjennom rollen din"):
        _open(coordinator, pathway)
    assert not EmergencyAccess.objects.exists()


def test_refused_for_a_blocked_person(pathway, doctor, patient_user):
    services.block_create(actor=act(patient_user), staff=doctor)
    with pytest.raises(NotFound):
        _open(doctor, pathway)
    assert not EmergencyAccess.objects.exists()
    assert AuditEvent.objects.filter(actor_id=doctor.user_id, basis="blocked").exists()


def test_refused_for_nav_and_for_an_unknown_number(pathway, doctor):
    advisor = factories.staff(Staff.Profession.NAV, units=[factories.unit(Unit.Kind.NAV)])
    with pytest.raises(Forbidden):
        _open(advisor, pathway)
    with pytest.raises(NotFound):
        services.emergency_open(actor=act(doctor), national_id=factories.national_id(),
                                reason=REASON)
    with pytest.raises(InvalidInput):
        services.emergency_open(actor=act(doctor), national_id="12345678901", reason=REASON)
    assert not EmergencyAccess.objects.exists()


def test_coordinator_patient_and_unit_are_told(pathway, doctor, coordinator, patient_user):
    access = _open(doctor, pathway)
    notices = selectors.pathway_notices(act(coordinator), pathway,
                                        frozenset({VIEW, "careteam.handover"}))
    assert any(REASON in line for n in notices for line in n.lines)
    assert selectors.emergency_accesses_for_patient(pathway.patient) == [access]
    unit = doctor.units.get()
    assert selectors.emergency_list_for_unit(actor=act(doctor), unit=unit) == [access]
    # The unit's list is for its leaders only: not another unit's staff, and not a colleague
    # at the same practice (the reasons speak of patients they have no role with).
    with pytest.raises(NotFound):
        selectors.emergency_list_for_unit(actor=act(coordinator), unit=unit)
    colleague = factories.staff(Staff.Profession.GP, units=[unit], username="kollega_lege")
    with pytest.raises(NotFound):
        selectors.emergency_list_for_unit(actor=act(colleague), unit=unit)
    assert list(selectors.emergency_units(act(colleague))) == []


def test_the_portal_snippet_tells_the_patient(pathway, doctor):
    from django.template.loader import render_to_string

    assert render_to_string("rights/_emergency_notice.html",
                            {"emergency_accesses": []}).strip() == ""
    _open(doctor, pathway)
    html = render_to_string("rights/_emergency_notice.html", {
        "emergency_accesses": selectors.emergency_accesses_for_patient(pathway.patient)})
    assert doctor.name in html and REASON in html and "/meg/innsyn/" in html
