"""The demo pasient's rights in use: an emergency access two days ago by a GP at the fastlege's
practice (in the pasient's access log, on the koordinator's pathway page, in the practice's
follow-up list), and a block of a colleague at the koordinator's clinic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from ettervern.access import audit
from ettervern.access.policy import VIEW, Actor, Basis
from ettervern.core import clock
from ettervern.directory.models import Staff, Unit
from ettervern.pathways.models import Pathway
from ettervern.rights.models import EMERGENCY_DURATION, Block, EmergencyAccess

EMERGENCY_REASON = ("Pasienten kom til legevakten i natt med brystsmerter og sa at han er i "
                    "rusbehandling. Trengte å se kriseplanen og hvem som er kontaktperson.")


def demo_rights(pathway: Pathway, *, patient_user: Any, emergency_unit: Unit,
                blocked: Staff | None) -> None:
    if EmergencyAccess.objects.filter(patient_id=pathway.patient_id).exists():
        return
    doctor = _emergency_doctor(emergency_unit)
    opened = clock.now() - dt.timedelta(days=2, hours=3)
    with clock.frozen(opened):
        access = EmergencyAccess.objects.create(
            pathway=pathway, patient_id=pathway.patient_id, staff=doctor, unit=emergency_unit,
            reason=EMERGENCY_REASON, opened_at=opened, expires_at=opened + EMERGENCY_DURATION)
        actor = Actor(user=doctor.user, channel="web")
        basis = Basis("emergency", str(access.pk))
        audit.record(actor, action="emergency.open", patient_id=pathway.patient_id,
                     obj=access, pathway=pathway, basis=basis)
    for minutes, action in ((1, VIEW), (3, "plan.view"), (9, VIEW)):
        with clock.frozen(opened + dt.timedelta(minutes=minutes)):
            audit.record(actor, action=action, patient_id=pathway.patient_id, obj=pathway,
                         pathway=pathway, basis=basis)
    if blocked is not None and blocked.pk != pathway.coordinator_id:
        with clock.frozen(clock.now() - dt.timedelta(days=20)):
            block = Block.objects.create(patient_id=pathway.patient_id, staff=blocked,
                                         created_by=patient_user)
            audit.record(Actor(user=patient_user, channel="web"),
                         action="block.create", patient_id=pathway.patient_id, obj=block,
                         basis=Basis("patient"))


def _emergency_doctor(unit: Unit) -> Staff:
    """A GP at `unit` with no role on the pasient's pathway (made once)."""
    user, _created = get_user_model().objects.get_or_create(
        username="legevakt-demo", defaults={"first_name": "Ida", "last_name": "Berg"})
    staff, _created = Staff.objects.get_or_create(
        user=user, defaults={"name": "Ida Berg", "profession": Staff.Profession.GP})
    staff.units.add(unit)
    return staff
