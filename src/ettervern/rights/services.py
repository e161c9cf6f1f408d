"""Writes of the patient's rights over access: blocking and lifting a block (the patient's
own), opening an emergency access (a health professional's). One function per use case, one
transaction each; every one is audited, refusals too. Bad input stores nothing."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ettervern.access import audit
from ettervern.access.policy import Actor, Basis, require_staff
from ettervern.core import clock
from ettervern.core.errors import (
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    RuleViolation,
)
from ettervern.core.identifiers import parse_national_id
from ettervern.directory.models import Staff
from ettervern.directory.selectors import standing
from ettervern.pathways.models import Pathway
from ettervern.patients.models import Patient
from ettervern.rights.models import (
    EMERGENCY_DURATION,
    EMERGENCY_REASON_MAX_LENGTH,
    EMERGENCY_REASON_MIN_LENGTH,
    Block,
    EmergencyAccess,
)

# Professions that are health personnel and may open an emergency access (not NAV advisors,
# not unit administrators).
HEALTH_PROFESSIONS = frozenset({Staff.Profession.COORDINATOR, Staff.Profession.CLINICIAN,
                                Staff.Profession.MUNICIPAL, Staff.Profession.GP})


def patient_of(actor: Actor) -> Patient:
    """The signed-in patient; anyone else is told the page is the patient's own."""
    if not actor.user.is_authenticated:
        raise NotAuthenticated(_("Please sign in."))
    patient = Patient.objects.filter(user_id=actor.user.pk).first()
    if patient is None:
        raise NotFound(_("Only the patient can see and manage this."))
    actor.user.patient = patient  # type: ignore[attr-defined]  # for the menu
    return patient


# --- blocks -------------------------------------------------------------------------------

def _staff(ref: Staff | uuid.UUID | Any) -> Staff:
    if isinstance(ref, Staff):
        return ref
    found = Staff.objects.filter(public_id=ref).first() if is_uuid(ref) else None
    if found is None:
        raise InvalidInput(_("There is no such staff member."), field="staff")
    return found


def block_create(*, actor: Actor, staff: Staff | uuid.UUID) -> Block:
    """The patient blocks a named staff member from their pathways (sperring)."""
    patient = patient_of(actor)
    person = _staff(staff)
    if person.user_id == actor.user.pk:
        raise InvalidInput(_("You cannot block yourself."), field="staff")
    if Pathway.objects.filter(patient=patient, closed_at__isnull=True,
                              coordinator=person).exists():
        raise RuleViolation(
            _("Your coordinator cannot be blocked. If you want someone else as your "
              "coordinator, ask the clinic for a new coordinator."), field="staff")
    try:
        with transaction.atomic():
            block = Block.objects.create(patient=patient, staff=person,
                                         created_by_id=actor.user_pk)
    except IntegrityError:
        raise RuleViolation(_("%(name)s is already blocked.") % {"name": person.name},
                            field="staff") from None
    audit.record(actor, action="block.create", patient_id=patient.pk, obj=block,
                 basis=Basis("patient"))
    return block


def block_lift(*, actor: Actor, block: Block | uuid.UUID) -> Block:
    """The patient lifts a block; the staff member's roles count again at once."""
    patient = patient_of(actor)
    public_id = block.public_id if isinstance(block, Block) else block
    with transaction.atomic():
        found = (Block.objects.select_for_update()
                 .filter(public_id=public_id, patient=patient).first()) if is_uuid(
                     public_id) else None
        if found is None:
            raise NotFound(_("Not found, or you have no access to it."))
        if found.lifted_at is not None:
            raise RuleViolation(_("This block is already lifted."))
        found.lifted_at, found.lifted_by_id = clock.now(), actor.user_pk
        found.updated_at = found.lifted_at
        found.version += 1
        found.save(update_fields=["lifted_at", "lifted_by", "updated_at", "version"])
    audit.record(actor, action="block.lift", patient_id=patient.pk, obj=found,
                 basis=Basis("patient"))
    return found


def is_uuid(value: Any) -> bool:
    if isinstance(value, uuid.UUID):
        return True
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# --- emergency access -----------------------------------------------------------------------

def require_health_personnel(actor: Actor) -> Staff:
    """The staff member, if they are health personnel at a unit (who may open emergency
    access); a refusal is audited."""
    require_staff(actor, "emergency.open")
    me = standing(actor.user)
    staff: Staff | None = getattr(actor.user, "staff", None)  # read by require_staff
    if staff is None or staff.profession not in HEALTH_PROFESSIONS or not me.unit_ids:
        audit.record(actor, action="emergency.open", patient_id=None,
                     denied_because="not health personnel")
        raise Forbidden(_("Only health personnel working at a unit can open emergency access."))
    return staff


def emergency_open(*, actor: Actor, national_id: str, reason: str) -> EmergencyAccess:
    """A health professional with no role on the patient's open pathway opens it to read, for a
    stated reason, for EMERGENCY_DURATION. Audited as `emergency.open` with the access's id."""
    require_staff(actor, "emergency.open")
    reason = (reason or "").strip()
    if len(reason) < EMERGENCY_REASON_MIN_LENGTH:
        raise InvalidInput(
            _("Say why you need emergency access, in at least %(n)d characters.")
            % {"n": EMERGENCY_REASON_MIN_LENGTH}, field="reason")
    if len(reason) > EMERGENCY_REASON_MAX_LENGTH:
        raise InvalidInput(_("The reason can be at most %(n)d characters.")
                           % {"n": EMERGENCY_REASON_MAX_LENGTH}, field="reason")
    number = parse_national_id(national_id).value
    staff = require_health_personnel(actor)
    me = standing(actor.user, fresh=False)
    pathway = (Pathway.objects.select_related("patient")
               .filter(patient__national_id=number, closed_at__isnull=True).first())
    if pathway is None:
        raise NotFound(_("There is no open pathway for this national identity number."),
                       field="national_id")
    bases = pathway.access_bases(actor.user)  # type: ignore[arg-type]
    if getattr(bases, "blocked", False):
        audit.record(actor, action="emergency.open", patient_id=pathway.patient_id,
                     pathway=pathway, denied_because="blocked")
        raise NotFound(_("There is no open pathway for this national identity number."),
                       field="national_id")
    if any(b.role == "emergency" for b in bases):
        raise RuleViolation(_("You already have emergency access to this pathway."))
    if bases:
        raise RuleViolation(_("You already have access to this pathway through your role; "
                              "emergency access is not needed."))
    now = clock.now()
    access = EmergencyAccess.objects.create(
        pathway=pathway, patient_id=pathway.patient_id, staff=staff, unit_id=me.unit_ids[0],
        reason=reason, opened_at=now, expires_at=now + EMERGENCY_DURATION)
    audit.record(actor, action="emergency.open", patient_id=pathway.patient_id, obj=access,
                 pathway=pathway, basis=Basis("emergency", str(access.pk)))
    access.pathway = pathway
    return access
