"""Every write on a pathway: one function per use case, one transaction each.

Access is decided (and audited) by access.policy.require before the transaction opens, so a
refusal is recorded even though nothing is written. Inside the transaction the pathway row is
locked, so concurrent writers on one pathway take turns; once it is locked, the actor's basis
is checked again (_still_allowed), so access lost in between (a hand-over, a closing) stops
the write.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ettervern.access import audit
from ettervern.access.policy import (
    EDIT,
    HANDOVER,
    REOPEN,
    STAY,
    STAY_PLAN,
    TEAM,
    TRANSITION,
    Actor,
    Basis,
    Subject,
    permitted,
    require,
    require_staff,
)
from ettervern.core import clock
from ettervern.core.dates import display_date
from ettervern.core.errors import (
    DomainError,
    Forbidden,
    InvalidInput,
    RuleViolation,
    StaleVersion,
)
from ettervern.core.identifiers import parse_national_id
from ettervern.core.models import update_versioned
from ettervern.directory.models import Organisation, Staff, Unit
from ettervern.directory.selectors import staff_by_id, unit_by_id
from ettervern.pathways import gate, phase_work
from ettervern.pathways.events import record_event
from ettervern.pathways.models import (
    NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REFERRER_MAX_LENGTH,
    ROLE_PROFESSIONS,
    CareTeamMember,
    CoordinatorHandover,
    Pathway,
    PhaseTransition,
    Stay,
)
from ettervern.pathways.phases import Phase, can_move
from ettervern.pathways.team import is_blocked
from ettervern.patients.models import Patient


def _locked(pathway: Pathway) -> Pathway:
    return Pathway.objects.select_for_update().select_related("patient").get(pk=pathway.pk)


def _still_allowed(actor: Actor, subject: Subject, action: str) -> None:
    """Check the actor's basis again once the pathway row is locked.

    `require` decided (and audited) access before the transaction; a concurrent hand-over or
    closing may have taken that basis away before the lock was granted. This re-check writes
    no second audit record: the decision is already recorded (and a record written inside the
    transaction would be rolled back with the refusal anyway).
    """
    user = actor.user
    if not user.is_authenticated or permitted(subject.access_bases(user), action) is None:
        raise Forbidden(_("Your access to this pathway changed in the meantime. Reload the "
                          "page."))


def _require_open(pathway: Pathway) -> None:
    if not pathway.is_open:
        raise RuleViolation(_("The pathway is closed."))


def _require_version(instance: Any, expected_version: int) -> None:
    if instance.version != expected_version:
        raise StaleVersion(
            _("Someone else changed this in the meantime. Reload the page and try again.")
        )


# The API passes the ids a request names; pages pass the objects. An id is resolved only after
# the access check, so that an unknown one tells a caller without access nothing.

def _unit(ref: Unit | uuid.UUID, field: str) -> Unit:
    return ref if isinstance(ref, Unit) else unit_by_id(ref, field=field)


def _staff(ref: Staff | uuid.UUID, field: str) -> Staff:
    return ref if isinstance(ref, Staff) else staff_by_id(ref, field=field)


def _stay_of(actor: Actor, pathway: Pathway, public_id: uuid.UUID) -> Stay:
    stay = Stay.objects.select_related("pathway", "unit").filter(public_id=public_id).first()
    if stay is None:
        require(actor, pathway, STAY)
        raise InvalidInput(_("There is no such stay on this pathway."), field="stay")
    return stay


# Free text a person writes, by field: its limit (pathways.models) and what the message calls it.
_TEXT_LIMITS: dict[str, tuple[int, Any]] = {
    "note": (NOTE_MAX_LENGTH, _("The note")),
    "reason": (REASON_MAX_LENGTH, _("The reason")),
    "referrer": (REFERRER_MAX_LENGTH, _("The referrer")),
    "given_name": (NAME_MAX_LENGTH, _("The given name")),
    "family_name": (NAME_MAX_LENGTH, _("The family name")),
}


def _check_text(**texts: str) -> None:
    """Each text (by its field name in _TEXT_LIMITS) within its limit, or InvalidInput on it."""
    for field, text in texts.items():
        limit, what = _TEXT_LIMITS[field]
        if len(text) > limit:
            raise InvalidInput(_("%(what)s can be at most %(limit)s characters.")
                               % {"what": what, "limit": limit}, field=field)


def _required_reason(reason: str, message: Any) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(message, field="reason")
    _check_text(reason=reason)
    return reason


def _not_in_future(on: dt.date, what: Any, field: str = "on") -> None:
    if on > clock.today():
        raise InvalidInput(_("%(what)s cannot be recorded for a future date.") % {"what": what},
                           field=field)


def _check_start(referral_received_on: dt.date | None, referrer: str,
                 first_contact_on: dt.date | None) -> None:
    """A referral (date and referrer) or a first contact starts a pathway; never in the future."""
    if referral_received_on is None and first_contact_on is None:
        raise InvalidInput(
            _("Give the date the referral was received, or the date of first contact."),
            field="referral_received_on",
        )
    if referral_received_on is not None:
        _not_in_future(referral_received_on, _("A referral"), field="referral_received_on")
        if not referrer.strip():
            raise InvalidInput(_("Name the referrer."), field="referrer")
    if first_contact_on is not None:
        _not_in_future(first_contact_on, _("A contact"), field="first_contact_on")


def _record_transition(pathway: Pathway, actor: Actor, to_phase: str, on: dt.date,
                       note: str = "") -> None:
    from_phase = pathway.phase
    latest = (PhaseTransition.objects.filter(pathway=pathway).order_by("-on")
              .values_list("on", flat=True).first())
    if latest is not None and on < latest:
        raise InvalidInput(
            _("The date is before the previous phase change (%(on)s).")
            % {"on": display_date(latest)},
            field="on",
        )
    PhaseTransition.objects.create(pathway=pathway, from_phase=from_phase, to_phase=to_phase,
                                   on=on, recorded_by_id=actor.user_pk, note=note)
    changes: dict[str, Any] = {"phase": to_phase}
    if to_phase == Phase.CLOSED:
        changes["closed_at"] = clock.now()
    update_versioned(pathway, expected_version=pathway.version, **changes)
    phase_work.entered(pathway, to_phase)  # e.g. pre-admission's checklist, in this transaction
    # Why a pathway was closed follows the sentence in the timeline (staff only).
    reason = note if to_phase == Phase.CLOSED else ""
    record_event(pathway, actor, "phase.changed", from_phase=from_phase, to_phase=to_phase, on=on,
                 **({"reason": reason} if reason else {}))


# --- opening a pathway -------------------------------------------------------------------

def pathway_open(
    *,
    actor: Actor,
    coordinating_unit: Unit,
    national_id: str,
    given_name: str,
    family_name: str,
    referral_received_on: dt.date | None = None,
    referrer: str = "",
    first_contact_on: dt.date | None = None,
    municipality: Organisation | None = None,
    note: str = "",
) -> Pathway:
    """Register the patient (or find them by number) and open a pathway coordinated by the actor.

    A pathway may start with a contact before any referral: then only first_contact_on is set.
    """
    require_staff(actor, "pathway.open")
    staff: Staff = actor.user.staff  # type: ignore[union-attr]
    if coordinating_unit.kind != Unit.Kind.OUTPATIENT:
        raise InvalidInput(_("A pathway is coordinated by an outpatient clinic."),
                           field="coordinating_unit")
    if not staff.units.filter(pk=coordinating_unit.pk).exists():
        audit.record(actor, action="pathway.open", patient_id=None, obj=coordinating_unit,
                     denied_because="not staff at the coordinating unit")
        raise Forbidden(_("You can only open pathways at a clinic where you work."))
    nid = parse_national_id(national_id)
    given_name, family_name = given_name.strip(), family_name.strip()
    if not given_name or not family_name:
        raise InvalidInput(_("Given name and family name are required."), field="given_name")
    _check_text(given_name=given_name, family_name=family_name, referrer=referrer.strip(),
                note=note)
    _check_start(referral_received_on, referrer, first_contact_on)

    # A refusal about an existing patient is audited with that patient, after the transaction
    # has ended, so that the record is not rolled back with the refusal.
    refused: tuple[str, DomainError] | None = None
    pathway: Pathway | None = None
    with transaction.atomic():
        patient, created = Patient.objects.select_for_update().get_or_create(
            national_id=nid.value,
            defaults={"id_kind": nid.kind, "given_name": given_name, "family_name": family_name,
                      "birth_date": _birth_date(nid.value), "municipality": municipality},
        )
        if not created:
            refused = _refusal_for_existing(patient, given_name, family_name)
        if refused is None:
            try:
                with transaction.atomic():
                    pathway = Pathway.objects.create(
                        patient=patient, coordinating_unit=coordinating_unit,
                        coordinator=staff, phase=Phase.CONTACT,
                        referral_received_on=referral_received_on, referrer=referrer.strip(),
                        first_contact_on=first_contact_on, note=note,
                    )
            except IntegrityError:  # pathway_one_open_per_patient: lost a race to another opener
                refused = ("patient already has an open pathway", _already_open())
        if pathway is not None:
            PhaseTransition.objects.create(pathway=pathway, from_phase="",
                                           to_phase=Phase.CONTACT, on=pathway.started_on,
                                           recorded_by_id=actor.user_pk)
            record_event(pathway, actor, "pathway.opened", unit=coordinating_unit.name)
            audit.record(actor, action="pathway.open", patient_id=patient.pk, obj=pathway,
                         pathway=pathway,
                         basis=Basis("staff:opening-unit", coordinating_unit.name))
    if refused is not None:
        reason, error = refused
        audit.record(actor, action="pathway.open", patient_id=patient.pk, obj=coordinating_unit,
                     denied_because=reason)
        raise error
    assert pathway is not None
    return pathway


def _already_open() -> RuleViolation:
    return RuleViolation(
        _("This patient already has an open pathway. Contact its coordinating clinic."),
        field="national_id",
    )


def _same_name(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _refusal_for_existing(patient: Patient, given_name: str,
                          family_name: str) -> tuple[str, DomainError] | None:
    """Why a pathway cannot be opened for this registered patient, or None if it can.

    A typing error in the national id must not attach the pathway to somebody else, so the
    typed names have to match the registered ones.
    """
    if patient.pathways.filter(closed_at__isnull=True).exists():
        return "patient already has an open pathway", _already_open()
    if not (_same_name(patient.given_name, given_name)
            and _same_name(patient.family_name, family_name)):
        return "name differs from the registered patient", InvalidInput(
            _("The number belongs to a registered patient with another name. Check the number."),
            field="national_id",
        )
    return None


def _birth_date(national_id: str) -> dt.date:
    from ettervern.core.identifiers import birth_date

    return birth_date(national_id)


def pathway_update(
    *,
    actor: Actor,
    pathway: Pathway,
    expected_version: int,
    referral_received_on: dt.date | None,
    referrer: str,
    first_contact_on: dt.date | None,
    note: str,
) -> Pathway:
    """Edit the referral and contact details, e.g. register the referral after a first contact."""
    require(actor, pathway, EDIT)
    _check_text(referrer=referrer.strip(), note=note)
    _check_start(referral_received_on, referrer, first_contact_on)
    with transaction.atomic():
        locked = _locked(pathway)
        _require_open(locked)
        _still_allowed(actor, locked, EDIT)
        _check_start_before_history(locked, referral_received_on, first_contact_on)
        update_versioned(locked, expected_version=expected_version,
                         referral_received_on=referral_received_on, referrer=referrer.strip(),
                         first_contact_on=first_contact_on, note=note)
        record_event(locked, actor, "pathway.updated")
    return locked


def _check_start_before_history(pathway: Pathway, referral_received_on: dt.date | None,
                                first_contact_on: dt.date | None) -> None:
    """A pathway cannot start after what has happened on it: a phase change other than the
    opening one, or a stay (planned, ongoing or past)."""
    days = [d for d in (first_contact_on, referral_received_on) if d is not None]
    start = min(days)
    field = "first_contact_on" if start == first_contact_on else "referral_received_on"
    first_change = (pathway.transitions.exclude(from_phase="").order_by("on")
                    .values_list("on", flat=True).first())
    if first_change is not None and start > first_change:
        raise InvalidInput(
            _("The pathway cannot start after its first phase change (%(on)s).")
            % {"on": display_date(first_change)},
            field=field,
        )
    stay_starts = [stay.start for stay in pathway.stays.exclude(status=Stay.Status.CANCELLED)]
    if stay_starts and start > min(stay_starts):
        raise InvalidInput(
            _("The pathway cannot start after its first stay (%(on)s).")
            % {"on": display_date(min(stay_starts))},
            field=field,
        )


# --- phases --------------------------------------------------------------------------------

def pathway_transition(
    *,
    actor: Actor,
    pathway: Pathway,
    to_phase: str,
    on: dt.date,
    note: str = "",
    stay: Stay | uuid.UUID | None = None,
) -> Pathway:
    """Move the pathway to `to_phase`. Into a residential stay means admitting the next planned
    stay; out of it means discharging the ongoing one."""
    if to_phase not in Phase.values:
        raise InvalidInput(_("Unknown phase."), field="to_phase")
    if isinstance(stay, uuid.UUID):
        stay = _stay_of(actor, pathway, stay)
    if stay is not None and stay.pathway_id != pathway.pk:
        require(actor, pathway, STAY)  # who may not act on the pathway learns nothing more
        raise InvalidInput(_("The stay belongs to another pathway."), field="stay")
    if to_phase == Phase.RESIDENTIAL:
        target = stay or pathway.stays.filter(status=Stay.Status.PLANNED).order_by(
            "planned_start", "id").first()
        if target is None:
            require(actor, pathway, STAY)
            raise RuleViolation(_("Plan a stay before admitting the patient."), field="to_phase")
        stay_admit(actor=actor, stay=target, on=on)
    elif to_phase == Phase.AFTERCARE:
        ongoing = pathway.stays.filter(status=Stay.Status.ONGOING).first()
        if ongoing is None:
            require(actor, pathway, STAY)
            raise RuleViolation(_("The patient is not admitted, so there is nothing to discharge."),
                                field="to_phase")
        # The note is the reason the gate asks for when checkpoints are still open.
        stay_discharge(actor=actor, stay=ongoing, on=on, reason=note)
    else:
        require(actor, pathway, TRANSITION)
        _check_text(note=note)
        _not_in_future(on, _("A phase change"))
        with transaction.atomic():
            locked = _locked(pathway)
            _require_open(locked)
            _still_allowed(actor, locked, TRANSITION)
            if not can_move(locked.phase, to_phase):
                raise RuleViolation(
                    _("A pathway cannot move from %(from)s to %(to)s.")
                    % {"from": Phase(locked.phase).label, "to": Phase(to_phase).label},
                    field="to_phase",
                )
            planned = locked.stays.filter(status=Stay.Status.PLANNED)
            if to_phase == Phase.CLOSED and planned.exists():
                raise RuleViolation(_("Cancel the planned stays before closing the pathway."),
                                    field="to_phase")
            if to_phase == Phase.CLOSED and not note.strip():
                raise InvalidInput(_("Give the reason for closing the pathway."), field="note")
            if on < locked.started_on:
                raise InvalidInput(_("The date is before the pathway started."), field="on")
            _record_transition(locked, actor, to_phase, on, note)
        return locked
    pathway.refresh_from_db()
    return pathway


REOPEN_WITHIN = dt.timedelta(days=30)


def pathway_reopen(*, actor: Actor, pathway: Pathway, expected_version: int,
                   reason: str) -> Pathway:
    """Undo a closing made by mistake: the coordinating clinic may reopen its closed pathway
    within REOPEN_WITHIN, with a reason. The pathway returns to the phase it was closed from.
    After that, a new pathway is opened instead."""
    require(actor, pathway, REOPEN)
    reason = _required_reason(reason, _("Give the reason for reopening the pathway."))
    with transaction.atomic():
        locked = _locked(pathway)
        _require_version(locked, expected_version)
        _still_allowed(actor, locked, REOPEN)
        if locked.closed_at is None:
            raise RuleViolation(_("The pathway is already open."))
        if clock.now() - locked.closed_at > REOPEN_WITHIN:
            raise RuleViolation(
                _("A pathway can be reopened for %(days)s days after it was closed. Open a new "
                  "pathway instead.") % {"days": REOPEN_WITHIN.days})
        closing = (locked.transitions.filter(to_phase=Phase.CLOSED)
                   .order_by("-recorded_at", "-id").first())
        back_to = closing.from_phase if closing and closing.from_phase else Phase.CONTACT
        changes: dict[str, Any] = {"phase": back_to, "closed_at": None}
        if locked.coordinator is None:
            changes["coordinator"] = actor.user.staff  # type: ignore[union-attr]
        try:
            with transaction.atomic():
                update_versioned(locked, expected_version=expected_version, **changes)
        except IntegrityError:  # pathway_one_open_per_patient
            raise RuleViolation(_("The patient has another open pathway now. Contact its "
                                  "coordinating clinic.")) from None
        PhaseTransition.objects.create(pathway=locked, from_phase=Phase.CLOSED, to_phase=back_to,
                                       on=clock.today(), recorded_by_id=actor.user_pk,
                                       note=reason)
        record_event(locked, actor, "pathway.reopened", to_phase=back_to, reason=reason)
    return locked


# --- stays ---------------------------------------------------------------------------------

def _check_no_overlap(pathway: Pathway, start: dt.date, end: dt.date | None,
                      exclude: Stay | None = None) -> None:
    others = pathway.stays.exclude(status=Stay.Status.CANCELLED)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    for other in others:
        other_end = other.end
        # Open-ended intervals run on for ever; a day of discharge may be the next day of admission.
        starts_before_other_ends = other_end is None or start < other_end
        ends_after_other_starts = end is None or end > other.start
        if starts_before_other_ends and ends_after_other_starts:
            raise RuleViolation(
                _("This stay overlaps the stay at %(unit)s from %(start)s.")
                % {"unit": other.unit.name, "start": display_date(other.start)},
                field="planned_start",
            )


PLANNING_HORIZON = dt.timedelta(days=2 * 365)


def _check_stay_start(pathway: Pathway, planned_start: dt.date) -> None:
    if planned_start < pathway.started_on:
        raise InvalidInput(_("The stay cannot start before the pathway started."),
                           field="planned_start")


def _check_within_horizon(planned_start: dt.date, planned_end: dt.date | None) -> None:
    """A typing error in the year (9999) is refused, not planned."""
    limit = clock.today() + PLANNING_HORIZON
    for value, field in ((planned_start, "planned_start"), (planned_end, "planned_end")):
        if value is not None and value > limit:
            raise InvalidInput(_("A stay is planned at most two years ahead. Check the year."),
                               field=field)


def _require_residential(unit: Unit) -> None:
    if unit.kind != Unit.Kind.RESIDENTIAL:
        raise InvalidInput(_("A stay takes place at a residential unit."), field="unit")


def stay_plan(*, actor: Actor, pathway: Pathway, unit: Unit | uuid.UUID, planned_start: dt.date,
              planned_end: dt.date | None = None) -> Stay:
    require(actor, pathway, STAY_PLAN)
    unit = _unit(unit, "unit")
    _require_residential(unit)
    if planned_end is not None and planned_end < planned_start:
        raise InvalidInput(_("The planned end is before the planned start."), field="planned_end")
    _check_within_horizon(planned_start, planned_end)
    with transaction.atomic():
        locked = _locked(pathway)
        if not locked.is_open:
            raise RuleViolation(_("A stay cannot be planned on a closed pathway."))
        _still_allowed(actor, locked, STAY_PLAN)
        _check_stay_start(locked, planned_start)
        _check_no_overlap(locked, planned_start, planned_end)
        stay = Stay.objects.create(pathway=locked, unit=unit, planned_start=planned_start,
                                   planned_end=planned_end)
        record_event(locked, actor, "stay.planned", unit=unit.name, start=planned_start,
                     until=planned_end or "", stay=stay.public_id)
    return stay


def _locked_stay(stay: Stay) -> tuple[Pathway, Stay]:
    pathway = _locked(stay.pathway)
    current = Stay.objects.select_related("unit").get(pk=stay.pk)
    current.pathway = pathway  # the locked row, so the bases are computed on its state
    return pathway, current


def stay_update(*, actor: Actor, stay: Stay, expected_version: int, unit: Unit | uuid.UUID,
                planned_start: dt.date, planned_end: dt.date | None) -> Stay:
    # Changing a planned stay is planning; during a stay the treating unit may move the
    # expected discharge date of its own stay.
    action = STAY_PLAN if stay.status == Stay.Status.PLANNED else STAY
    require(actor, stay, action)
    unit = _unit(unit, "unit")
    _require_residential(unit)
    if planned_end is not None and planned_end < planned_start:
        raise InvalidInput(_("The planned end is before the planned start."), field="planned_end")
    _check_within_horizon(planned_start, planned_end)
    with transaction.atomic():
        pathway, current = _locked_stay(stay)
        _require_open(pathway)
        _still_allowed(actor, current, action)
        # Which dates moved: an admission or discharge date set notifies the team (transitions).
        changed = ",".join(name for name, moved in (
            ("start", planned_start != current.planned_start),
            ("end", planned_end != current.planned_end)) if moved)
        if current.status == Stay.Status.PLANNED:
            _check_stay_start(pathway, planned_start)
            _check_no_overlap(pathway, planned_start, planned_end, exclude=current)
            update_versioned(current, expected_version=expected_version, unit=unit,
                             planned_start=planned_start, planned_end=planned_end)
        elif current.status == Stay.Status.ONGOING and unit == current.unit \
                and planned_start == current.planned_start:
            # During a stay only the expected discharge date can move.
            admitted_on = current.admitted_on
            if planned_end is not None and admitted_on and planned_end < admitted_on:
                raise InvalidInput(_("The planned end is before the admission."),
                                   field="planned_end")
            update_versioned(current, expected_version=expected_version, planned_end=planned_end)
        else:
            raise RuleViolation(_("Only a planned stay can be changed; during a stay only the "
                                  "expected discharge date."))
        record_event(pathway, actor, "stay.updated", unit=current.unit.name,
                     start=current.planned_start, until=current.planned_end or "",
                     changed=changed, stay=current.public_id)
    return current


def stay_admit(*, actor: Actor, stay: Stay, on: dt.date) -> Stay:
    require(actor, stay, STAY)
    _not_in_future(on, _("An admission"))
    with transaction.atomic():
        pathway, current = _locked_stay(stay)
        _require_open(pathway)
        if current.status != Stay.Status.PLANNED:
            raise RuleViolation(_("Only a planned stay can be admitted."))
        _still_allowed(actor, current, STAY)
        if not can_move(pathway.phase, Phase.RESIDENTIAL):
            raise RuleViolation(
                _("A patient in the phase %(phase)s cannot be admitted.")
                % {"phase": Phase(pathway.phase).label}
            )
        if on < pathway.started_on:
            raise InvalidInput(_("The admission is before the pathway started."), field="on")
        earlier = (pathway.stays.filter(status=Stay.Status.DISCHARGED, discharged_on__gt=on)
                   .select_related("unit").first())
        if earlier is not None:
            raise InvalidInput(
                _("The admission is before the discharge from %(unit)s on %(on)s.")
                % {"unit": earlier.unit.name, "on": display_date(earlier.discharged_on)},
                field="on",
            )
        try:
            with transaction.atomic():
                update_versioned(current, expected_version=current.version,
                                 status=Stay.Status.ONGOING, admitted_on=on)
        except IntegrityError:
            raise RuleViolation(_("The patient is already admitted elsewhere.")) from None
        _record_transition(pathway, actor, Phase.RESIDENTIAL, on)
        record_event(pathway, actor, "stay.admitted", unit=current.unit.name, on=on,
                     stay=current.public_id)
    return current


def discharge_refusal(stay: Stay, on: dt.date) -> DomainError | None:
    """What stands in the way of discharging `stay` on `on`, before the gate: the page asks
    this before its confirmation, so that nobody confirms a discharge that cannot happen."""
    if on > clock.today():
        return InvalidInput(_("%(what)s cannot be recorded for a future date.")
                            % {"what": _("A discharge")}, field="on")
    if stay.kind == Stay.Kind.USER_CONTROLLED:
        return RuleViolation(_("A user-controlled stay ends when its unit marks the "
                               "departure on the unit's day list."))
    if stay.status == Stay.Status.DISCHARGED:
        return RuleViolation(_("The patient is already discharged from this stay."))
    if stay.status != Stay.Status.ONGOING:
        return RuleViolation(_("Only an ongoing stay can be discharged; the patient has not "
                               "been admitted."))
    if stay.admitted_on is None or on < stay.admitted_on:
        return InvalidInput(_("The discharge date is before the admission date."), field="on")
    return None


def stay_discharge(*, actor: Actor, stay: Stay, on: dt.date, reason: str = "") -> Stay:
    """Discharge the ongoing residential stay. The discharge gate (pathways.gate, installed by
    discharge/) refuses while checkpoints before discharge are open, unless a clinician gives
    the `reason`; it then stores the reason, the open checkpoints and the person."""
    require(actor, stay, STAY)
    _check_text(reason=reason)
    with transaction.atomic():
        pathway, current = _locked_stay(stay)
        refusal = discharge_refusal(current, on)
        if refusal is not None and not isinstance(refusal, InvalidInput):
            raise refusal
        _still_allowed(actor, current, STAY)
        if refusal is not None:
            raise refusal
        gate.check(actor, current, on, reason.strip())
        update_versioned(current, expected_version=current.version,
                         status=Stay.Status.DISCHARGED, discharged_on=on)
        _record_transition(pathway, actor, Phase.AFTERCARE, on)
        record_event(pathway, actor, "stay.discharged", unit=current.unit.name, on=on,
                     stay=current.public_id)
    return current


def stay_start_user_controlled(*, actor: Actor, pathway: Pathway, unit: Unit, on: dt.date,
                               planned_end: dt.date) -> Stay:
    """A user-controlled stay starts: the unit marked the patient's arrival (beds.services,
    which decided and audited the access on the booking). The stay is ongoing from
    `on`; the pathway's phase stays as it is, since the patient remains in aftercare. Runs in
    the caller's transaction."""
    locked = _locked(pathway)
    _require_open(locked)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("stay_start_user_controlled runs inside the booking's transaction")
    try:
        with transaction.atomic():
            stay = Stay.objects.create(pathway=locked, unit=unit, kind=Stay.Kind.USER_CONTROLLED,
                                       status=Stay.Status.ONGOING, planned_start=on,
                                       planned_end=planned_end, admitted_on=on)
    except IntegrityError:  # stay_one_ongoing_per_pathway
        raise RuleViolation(_("The patient is already admitted elsewhere.")) from None
    record_event(locked, actor, "stay.user_controlled_started", unit=unit.name, on=on,
                 until=planned_end, stay=stay.public_id)
    return stay


def stay_end_user_controlled(*, actor: Actor, stay: Stay, on: dt.date) -> Stay:
    """The unit marks the departure from a user-controlled stay (beds.services, which decided
    and audited the access on the booking). Runs in the caller's transaction."""
    _not_in_future(on, _("A departure"))
    with transaction.atomic():
        pathway, current = _locked_stay(stay)
        if current.kind != Stay.Kind.USER_CONTROLLED or current.status != Stay.Status.ONGOING:
            raise RuleViolation(_("Only an ongoing user-controlled stay ends with a departure."))
        if current.admitted_on is None or on < current.admitted_on:
            raise InvalidInput(_("The departure is before the arrival."), field="on")
        update_versioned(current, expected_version=current.version,
                         status=Stay.Status.DISCHARGED, discharged_on=on)
        record_event(pathway, actor, "stay.user_controlled_ended", unit=current.unit.name, on=on)
    return current


def stay_cancel(*, actor: Actor, stay: Stay, expected_version: int, reason: str) -> Stay:
    require(actor, stay, STAY)
    reason = _required_reason(reason, _("Give the reason for cancelling the stay."))
    with transaction.atomic():
        pathway, current = _locked_stay(stay)
        if current.status != Stay.Status.PLANNED:
            raise RuleViolation(_("Only a planned stay can be cancelled."))
        _still_allowed(actor, current, STAY)
        update_versioned(current, expected_version=expected_version,
                         status=Stay.Status.CANCELLED, cancel_reason=reason)
        record_event(pathway, actor, "stay.cancelled", unit=current.unit.name, reason=reason,
                     stay=current.public_id)
    return current


# --- care team -----------------------------------------------------------------------------



def _refuse_blocked(staff: Staff, pathway: Pathway, field: str) -> None:
    """A person the patient has blocked gets no role on the pathway: a block would otherwise end
    the moment they were added. The message does not say why (staff learn that a block exists,
    not whom it names)."""
    if is_blocked(staff.pk, pathway.patient_id):
        raise RuleViolation(_("%(name)s cannot be given a role on this pathway. Choose someone "
                              "else.") % {"name": staff.name}, field=field)


def careteam_add(*, actor: Actor, pathway: Pathway, staff: Staff | uuid.UUID,
                 role: str) -> CareTeamMember:
    require(actor, pathway, TEAM)
    staff = _staff(staff, "staff")
    if role not in CareTeamMember.Role.values:
        raise InvalidInput(_("Unknown role on the care team."), field="role")
    if staff.profession not in ROLE_PROFESSIONS[role]:
        raise InvalidInput(
            _("%(name)s cannot have the role %(role)s.")
            % {"name": staff.name, "role": CareTeamMember.Role(role).label},
            field="staff",
        )
    _refuse_blocked(staff, pathway, "staff")
    with transaction.atomic():
        locked = _locked(pathway)
        _require_open(locked)
        _still_allowed(actor, locked, TEAM)
        try:
            with transaction.atomic():
                member = CareTeamMember.objects.create(pathway=locked, staff=staff, role=role)
        except IntegrityError:
            raise RuleViolation(_("%(name)s already has this role.") % {"name": staff.name},
                                field="staff") from None
        record_event(locked, actor, "team.added", name=staff.name, role=role)
    return member


def careteam_end(*, actor: Actor, member: CareTeamMember, expected_version: int) -> CareTeamMember:
    require(actor, member.pathway, TEAM, obj=member)
    with transaction.atomic():
        locked = _locked(member.pathway)
        _still_allowed(actor, locked, TEAM)
        current = CareTeamMember.objects.select_related("staff").get(pk=member.pk)
        if current.ended_at is not None:
            raise RuleViolation(_("This role has already ended."))
        update_versioned(current, expected_version=expected_version, ended_at=clock.now())
        record_event(locked, actor, "team.ended", name=current.staff.name, role=current.role)
    return current


def coordinator_handover(*, actor: Actor, pathway: Pathway, to_staff: Staff | uuid.UUID,
                         expected_version: int, reason: str) -> Pathway:
    """Hand the coordinating responsibility to `to_staff`, at their outpatient clinic. The
    reason is required: the new coordinator sees it at the top of their worklist."""
    require(actor, pathway, HANDOVER)
    reason = _required_reason(reason, _("Give the reason for the hand-over."))
    to_staff = _staff(to_staff, "to_staff")
    _refuse_blocked(to_staff, pathway, "to_staff")
    to_unit = to_staff.units.filter(kind=Unit.Kind.OUTPATIENT).order_by("id").first()
    if to_unit is None:
        raise InvalidInput(_("The new coordinator must work at an outpatient clinic."),
                           field="to_staff")
    with transaction.atomic():
        locked = _locked(pathway)
        _require_open(locked)
        # Stale first: a writer who lost the race must learn that, not a rule about the new state.
        _require_version(locked, expected_version)
        _still_allowed(actor, locked, HANDOVER)
        if locked.coordinator_id == to_staff.pk:
            raise RuleViolation(_("%(name)s is already the coordinator.") % {"name": to_staff.name},
                                field="to_staff")
        if to_staff.units.filter(pk=locked.coordinating_unit_id).exists():
            to_unit = locked.coordinating_unit
        previous = locked.coordinator
        CoordinatorHandover.objects.create(
            pathway=locked, from_staff=previous, to_staff=to_staff,
            from_unit=locked.coordinating_unit, to_unit=to_unit, by_id=actor.user_pk, reason=reason,
        )
        update_versioned(locked, expected_version=expected_version, coordinator=to_staff,
                         coordinating_unit=to_unit)
        record_event(locked, actor, "coordinator.handover",
                     from_name=previous.name if previous else "", to_name=to_staff.name,
                     reason=reason)
    return locked
