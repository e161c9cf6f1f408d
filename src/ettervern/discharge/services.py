"""Every write of the discharge app: ticking a checkpoint the data cannot tell, and the gate
every discharge passes through (installed into pathways.gate by the app's ready())."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ettervern.access.policy import CHECKPOINT_TICK, Actor, require
from ettervern.core import clock
from ettervern.core.errors import InvalidInput, RuleViolation
from ettervern.directory.models import Staff
from ettervern.discharge import checkpoints
from ettervern.discharge.models import (
    NOTE_MAX_LENGTH,
    CheckpointTick,
    CheckpointType,
    DischargeOverride,
)
from ettervern.pathways.events import record_event
from ettervern.pathways.models import Pathway, Stay

# Who may discharge with checkpoints open: a clinician (the issue's "a reason from a
# clinician"), not a unit's administrator.
CLINICAL_PROFESSIONS = frozenset({Staff.Profession.COORDINATOR, Staff.Profession.CLINICIAN})


def _checkpoint(key: str) -> CheckpointType:
    found = CheckpointType.objects.filter(key=key, active=True).first()
    if found is None:
        raise InvalidInput(_("There is no such checkpoint."), field="checkpoint")
    return found


def _residential_ongoing(stay: Stay) -> None:
    if stay.kind != Stay.Kind.RESIDENTIAL or stay.status != Stay.Status.ONGOING:
        raise RuleViolation(_("Checkpoints are ticked during an ongoing residential stay."))


def _locked(stay: Stay) -> Stay:
    Pathway.objects.select_for_update().filter(pk=stay.pathway_id).first()
    current = Stay.objects.select_related("pathway", "unit").get(pk=stay.pk)
    return current


def checkpoint_tick(*, actor: Actor, stay: Stay, key: str, note: str = "") -> CheckpointTick:
    """Tick, with a name and a date, a checkpoint the data cannot tell (the GP is informed; a
    decision that no user-controlled bed is needed)."""
    require(actor, stay, CHECKPOINT_TICK)
    checkpoint = _checkpoint(key)
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidInput(_("The note can be at most %(limit)s characters.")
                           % {"limit": NOTE_MAX_LENGTH}, field="note")
    if not checkpoint.tickable:
        raise RuleViolation(_("“%(name)s” follows from the data and cannot be ticked by hand.")
                            % {"name": checkpoint.label}, field="checkpoint")
    with transaction.atomic():
        current = _locked(stay)
        _residential_ongoing(current)
        try:
            with transaction.atomic():
                tick = CheckpointTick.objects.create(
                    stay=current, checkpoint=checkpoint, ticked_by_id=actor.user_pk,
                    ticked_by_name=actor.identity[0], note=note)
        except IntegrityError:  # checkpointtick_one_active
            raise RuleViolation(_("“%(name)s” is already ticked.") % {"name": checkpoint.label},
                                field="checkpoint") from None
        record_event(current.pathway, actor, "checkpoint.ticked", item=checkpoint.title,
                     unit=current.unit.name)
    return tick


def checkpoint_untick(*, actor: Actor, stay: Stay, key: str) -> CheckpointTick:
    """Take back a tick made by mistake; the row stays, withdrawn, with who took it back."""
    require(actor, stay, CHECKPOINT_TICK)
    checkpoint = _checkpoint(key)
    with transaction.atomic():
        current = _locked(stay)
        _residential_ongoing(current)
        tick = (CheckpointTick.objects.select_for_update()
                .filter(stay=current, checkpoint=checkpoint, withdrawn_at__isnull=True).first())
        if tick is None:
            raise RuleViolation(_("“%(name)s” is not ticked.") % {"name": checkpoint.label},
                                field="checkpoint")
        tick.withdrawn_at, tick.withdrawn_by_id = clock.now(), actor.user_pk
        tick.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record_event(current.pathway, actor, "checkpoint.unticked", item=checkpoint.title,
                     unit=current.unit.name)
    return tick


def gate_check(actor: Actor, stay: Stay, on: dt.date, reason: str) -> None:
    """The discharge gate (pathways.gate): runs inside stay_discharge's transaction, the stay
    locked. With every checkpoint met, the discharge goes ahead. With some open, a clinician
    must give the reason; it is stored with the open checkpoints and the person, and shown on
    the pathway."""
    if stay.kind != Stay.Kind.RESIDENTIAL:
        return
    still_open = checkpoints.open_states(stay)
    if not still_open:
        return
    names = ", ".join(state.title for state in still_open)
    if not reason:
        raise RuleViolation(
            _("These checkpoints before discharge are still open: %(names)s. Complete them, or "
              "give the reason for discharging now.") % {"names": names}, field="reason")
    staff = getattr(actor.user, "staff", None)
    if staff is None or staff.profession not in CLINICAL_PROFESSIONS:
        raise RuleViolation(_("Only a clinician can discharge while checkpoints are open."),
                            field="reason")
    DischargeOverride.objects.create(
        stay=stay, reason=reason, by_id=actor.user_pk, by_name=actor.identity[0],
        open_checkpoints=[{"key": state.key, "title": state.checkpoint.title}
                          for state in still_open])
    record_event(stay.pathway, actor, "discharge.override", unit=stay.unit.name, items=names,
                 reason=reason)
