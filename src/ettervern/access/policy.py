"""The ONE access policy: who may do what with which patient's data, and why.

Services and selectors call `require(actor, subject, action)`. It resolves the actor's bases
on the subject (roles on the care team, membership of the coordinating or treating unit, being
the patient, a next of kin's consent), checks them against the action, writes the audit record
and returns the basis, or writes a denial record and raises.

A subject is anything that can name its patient and compute an actor's bases (the pathway).
Which role permits which action is decided here, and only here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext_lazy as _

from ettervern.access import audit
from ettervern.access.consent_kinds import (
    BEDS_VIEW,
    CRISIS_VIEW,
    KINDS,
    MAPPING_VIEW,
    MEETING_VIEW,
    PLAN_VIEW,
    VIEW,
)
from ettervern.core.errors import Forbidden, NotAuthenticated, NotFound
from ettervern.core.net import client_ip

# Where directory.selectors.standing keeps a user's staff record and units for the request; the
# actor's identity reads it from there when it is known, so the audit row costs no query.
STANDING_ATTR = "_ettervern_standing"


@dataclass
class Actor:
    """Who is acting and through which channel (web/api/cli/system)."""

    user: AbstractBaseUser | AnonymousUser
    channel: str
    ip: str | None = None

    @property
    def user_pk(self) -> int:
        """The signed-in user's id, for the rows a write attributes to the actor."""
        pk = self.user.pk
        if pk is None:
            raise NotAuthenticated(_("Please sign in."))
        return int(pk)

    @cached_property
    def _home_unit(self) -> Any:
        """The staff member's first unit (with its organisation), looked up once per actor."""
        staff = getattr(self.user, "staff", None)
        if staff is None:
            return None
        return staff.units.select_related("organisation").order_by("id").first()

    @cached_property
    def identity(self) -> tuple[str, str]:
        """(name, organisation) as the audit log and the timeline show them."""
        user: Any = self.user
        known = getattr(user, STANDING_ATTR, None)
        if known is not None and known.staff_id is not None:
            return (known.name, known.home_organisation_name)
        staff = getattr(user, "staff", None)
        if staff is None:
            return (user.get_full_name() or user.get_username(), "")
        unit = self._home_unit
        return (staff.name, unit.organisation.name if unit else "")

    @cached_property
    def unit_name(self) -> str:
        known = getattr(self.user, STANDING_ATTR, None)
        if known is not None and known.staff_id is not None:
            return str(known.home_unit_name)
        unit = self._home_unit
        return unit.name if unit is not None else ""


@dataclass(frozen=True)
class Basis:
    """Why an access is allowed: the role (e.g. 'coordinator', 'consent:pathway') and a detail."""

    role: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.role} {self.detail}".strip()


class Bases(tuple[Basis, ...]):
    """Every basis an actor has on a subject. `blocked` says that the patient has blocked the
    actor (sperring), which took away every basis but the coordinator's: a refusal then names
    "blocked" as its reason."""

    blocked: bool

    def __new__(cls, bases: Iterable[Basis] = (), *, blocked: bool = False) -> Bases:
        made = super().__new__(cls, bases)
        made.blocked = blocked
        return made


class Subject(Protocol):
    @property
    def pk(self) -> Any: ...

    @property
    def audit_patient_id(self) -> int: ...

    @property
    def audit_pathway_id(self) -> int | None: ...

    def access_bases(self, user: AbstractBaseUser) -> Sequence[Basis]: ...


# Actions on a pathway and its patient. VIEW (reading the pathway) and the planning reads
# (PLAN_VIEW, CRISIS_VIEW, MAPPING_VIEW) are defined in consent_kinds, since a consent opens them.
EDIT = "pathway.edit"
TRANSITION = "pathway.transition"
STAY = "stay.manage"
# Planning (or re-planning) a stay is the coordinating clinic's and the specialist contact's
# work; a residential unit admits, discharges and adjusts its own stays only.
STAY_PLAN = "stay.plan"
TEAM = "careteam.manage"
HANDOVER = "careteam.handover"
REOPEN = "pathway.reopen"

# Planning (planning/): the pre-admission checklist, the individual plan, the crisis plan and
# the mapping. Reading them is separate from reading the pathway, because a next of kin who may
# follow the pathway sees none of the plan until the patient shares it.
# PLAN_VIEW: the individual plan; CRISIS_VIEW: the crisis plan; MAPPING_VIEW: the mapping;
# CHECKLIST_VIEW: the pre-admission checklist (no consent kind opens it).
CHECKLIST_VIEW = "checklist.view"
# All of the plan: sections, measures, checklist, its coordinator and period.
PLAN_EDIT = "plan.edit"
# The parts one is responsible for: one's own sections, measures and checklist items.
PLAN_CONTRIBUTE = "plan.contribute"
# The patient's voice: comments, "I have read it and agree", the own assessment in the mapping.
PLAN_RESPOND = "plan.respond"
CRISIS_EDIT = "crisisplan.edit"
# The clinician's rating in the mapping (kartlegging).
MAPPING_RATE = "mapping.rate"

# Consent and the people close to the patient (patients/): the patient decides; a clinician
# of the coordinating clinic may record the patient's decision (given in person, by phone or
# in writing). Reading the consents (and their history) is for the same people.
CONSENT_VIEW = "consent.view"
CONSENT_MANAGE = "consent.manage"
NEXT_OF_KIN_MANAGE = "nextofkin.manage"
# "What matters to me": the patient writes it; everyone on the team reads it.
WHAT_MATTERS_VIEW = "whatmatters.view"
WHAT_MATTERS_EDIT = "whatmatters.edit"

_CONSENT = frozenset({CONSENT_VIEW, CONSENT_MANAGE, NEXT_OF_KIN_MANAGE})

# User-controlled beds (beds/): reading the agreements and bookings (BEDS_VIEW, in
# consent_kinds) is for everyone on the team; making an agreement is for those who plan stays
# and for the staff of the agreement's unit, whatever trust treated the patient; only the
# patient accepts one; only the patient and the unit's staff book and cancel; only the unit's
# staff mark arrivals, refusals and departures.
BED_AGREEMENT = "bedagreement.manage"
BED_ACCEPT = "bedagreement.accept"
BED_BOOK = "bed.book"
BED_UNIT = "bed.unit"

# Discharge and communication. Reading the checkpoints before discharge (discharge/), the
# team overview ("samtidighet"), the pathway's tasks (tasks/) and its meetings (MEETING_VIEW,
# in consent_kinds) is for all staff on the team; so is the team's message thread
# (messaging/) and adding and completing tasks. Discharging is STAY; the gate that asks for a
# reason when checkpoints are open is discharge's, on the same action.
DISCHARGE_VIEW = "discharge.view"
# Ticking the checkpoints the data cannot tell (the GP is informed …): those who discharge.
CHECKPOINT_TICK = "checkpoint.tick"
OVERVIEW_VIEW = "overview.view"
# Arranging a meeting, writing its minutes and decisions: the clinics, the residential unit
# and the municipality (who also holds network meetings); NAV and the GP take part.
MEETING_MANAGE = "meeting.manage"
MESSAGE_TEAM = "message.team"
# The thread between the patient and the clinic that coordinates: the patient, the
# coordinator, the coordinating clinic and the specialist contact.
MESSAGE_PATIENT = "message.patient"
# The patient reads the tasks that are theirs only (tasks.selectors filters by owner).
TASK_VIEW = "task.view"
TASK_MANAGE = "task.manage"
_STAFF_COMMUNICATION = frozenset({DISCHARGE_VIEW, OVERVIEW_VIEW, MEETING_VIEW, MESSAGE_TEAM,
                                  TASK_VIEW, TASK_MANAGE})
_CLINIC_COMMUNICATION = _STAFF_COMMUNICATION | {CHECKPOINT_TICK, MEETING_MANAGE, MESSAGE_PATIENT}
# What every role on the team reads besides the pathway (never opened by a consent).
_READ_PLANNING = frozenset({PLAN_VIEW, CRISIS_VIEW, MAPPING_VIEW, CHECKLIST_VIEW,
                            WHAT_MATTERS_VIEW, BEDS_VIEW})
_PLANNING = _READ_PLANNING | {PLAN_EDIT, PLAN_CONTRIBUTE, CRISIS_EDIT, MAPPING_RATE}
_ALL = frozenset({VIEW, EDIT, TRANSITION, STAY, STAY_PLAN, TEAM, HANDOVER,
                  BED_AGREEMENT}) | _PLANNING | _CONSENT | _CLINIC_COMMUNICATION
# What the coordinating clinic keeps on a closed pathway: reading it (its meetings, tasks and
# checkpoints among it), and reopening a slip.
_CLOSED = frozenset({VIEW, REOPEN, CONSENT_VIEW, DISCHARGE_VIEW, OVERVIEW_VIEW, MEETING_VIEW,
                     TASK_VIEW}) | _READ_PLANNING

# Role -> permitted actions. Unknown roles permit nothing.
PERMISSIONS: dict[str, frozenset[str]] = {
    "coordinator": _ALL,
    # Colleagues at the coordinating outpatient clinic stand in for the coordinator.
    "unit:coordinating": _ALL,
    "team:specialist_contact": frozenset({VIEW, EDIT, TRANSITION, STAY, STAY_PLAN,
                                          BED_AGREEMENT}) | _PLANNING | _CONSENT
    | _CLINIC_COMMUNICATION,
    # The residential unit treating the patient admits and discharges its own stays, and works
    # on the plan's parts it is responsible for while the patient is there.
    "unit:treating": frozenset({VIEW, STAY, PLAN_CONTRIBUTE, MAPPING_RATE, CHECKPOINT_TICK,
                                MEETING_MANAGE}) | _READ_PLANNING | _STAFF_COMMUNICATION,
    # The municipality, NAV and the GP read the plan and edit what they are responsible for.
    "team:municipal_contact": frozenset({VIEW, PLAN_CONTRIBUTE, CRISIS_EDIT, MAPPING_RATE,
                                         MEETING_MANAGE})
    | _READ_PLANNING | _STAFF_COMMUNICATION,
    "team:nav_contact": frozenset({VIEW, PLAN_CONTRIBUTE}) | _READ_PLANNING
    | _STAFF_COMMUNICATION,
    "team:gp": frozenset({VIEW, PLAN_CONTRIBUTE}) | _READ_PLANNING | _STAFF_COMMUNICATION,
    # The patient also reads their meetings, writes with the clinic and reads their own tasks.
    "patient": frozenset({VIEW, PLAN_RESPOND, WHAT_MATTERS_EDIT, BED_ACCEPT, BED_BOOK,
                          MEETING_VIEW, MESSAGE_PATIENT, TASK_VIEW})
    | _READ_PLANNING | _CONSENT,
    # The staff of the unit an agreement for a user-controlled bed is with (beds/access.py):
    # on that agreement and its bookings only, never on the rest of the pathway.
    "unit:beds": frozenset({BEDS_VIEW, BED_AGREEMENT, BED_BOOK, BED_UNIT}),
    # A next of kin or trust person sees exactly the kinds the patient consented to, each
    # `consent:<kind>` opening only that kind's read actions (consent_kinds.KINDS).
    **{f"consent:{kind.code}": kind.actions for kind in KINDS},
    # Emergency access ("break the glass"): a health professional with no role on the
    # pathway reads it, and what is planned, for a stated reason, for a few hours
    # (rights/services.py); never writes.
    "emergency": frozenset({VIEW}) | _READ_PLANNING,
    # After closing, only the coordinating clinic (and the last coordinator) keeps access.
    "closed:coordinator": _CLOSED,
    "closed:unit:coordinating": _CLOSED,
}

# Actions that only read; a refusal of these answers "not found" so existence does not leak.
READ_ACTIONS = frozenset({VIEW, CONSENT_VIEW, DISCHARGE_VIEW, OVERVIEW_VIEW, MEETING_VIEW,
                          TASK_VIEW}) | _READ_PLANNING
# The read that shows what a write changes. Someone refused a write who may not make that read
# either is told "not found" too: a next of kin who follows the pathway learns nothing of a
# plan (or a crisis plan, a mapping, the consents) they may not see from being refused a
# change to it. Writes not named here are seen with the pathway (VIEW).
SEEN_WITH: dict[str, str] = {
    PLAN_EDIT: PLAN_VIEW, PLAN_CONTRIBUTE: PLAN_VIEW, PLAN_RESPOND: PLAN_VIEW,
    CRISIS_EDIT: CRISIS_VIEW, MAPPING_RATE: MAPPING_VIEW, WHAT_MATTERS_EDIT: WHAT_MATTERS_VIEW,
    BED_AGREEMENT: BEDS_VIEW, BED_ACCEPT: BEDS_VIEW, BED_BOOK: BEDS_VIEW, BED_UNIT: BEDS_VIEW,
    CHECKPOINT_TICK: DISCHARGE_VIEW, MEETING_MANAGE: MEETING_VIEW, TASK_MANAGE: TASK_VIEW,
}


def permitted(bases: Iterable[Basis], action: str) -> Basis | None:
    for basis in bases:
        if action in PERMISSIONS.get(basis.role, frozenset()):
            return basis
    return None


def allowed_actions(bases: Iterable[Basis]) -> frozenset[str]:
    """Everything the bases together permit (pages use it to show only usable buttons)."""
    result: frozenset[str] = frozenset()
    for basis in bases:
        result |= PERMISSIONS.get(basis.role, frozenset())
    return result


def require(actor: Actor, subject: Subject, action: str, *, obj: object | None = None) -> Basis:
    """The basis on which `actor` may do `action` on `subject` (audited), or a refusal."""
    return require_all(actor, subject, action, obj=obj)[0]


def require_all(actor: Actor, subject: Subject, action: str, *,
                obj: object | None = None) -> tuple[Basis, Sequence[Basis]]:
    """Like `require`, also returning every basis the actor has (pages show what they allow)."""
    if not actor.user.is_authenticated:
        raise NotAuthenticated(_("Please sign in."))
    bases = subject.access_bases(actor.user)
    basis = permitted(bases, action)
    target = obj if obj is not None else subject
    if basis is None:
        if not bases and getattr(bases, "blocked", False):
            reason = "blocked"
        else:
            reason = "no role" if not bases else "role lacks " + action
        audit.record(actor, action=action, patient_id=subject.audit_patient_id, obj=target,
                     pathway_id=subject.audit_pathway_id, denied_because=reason)
        if (not bases or action in READ_ACTIONS
                or permitted(bases, SEEN_WITH.get(action, VIEW)) is None):
            raise NotFound(_("Not found, or you have no access to it."))
        raise Forbidden(_("Your role on this pathway does not allow this."))
    audit.record(actor, action=action, patient_id=subject.audit_patient_id, obj=target,
                 pathway_id=subject.audit_pathway_id, basis=basis)
    return basis, bases


def require_staff(actor: Actor, action: str) -> None:
    """Actions that need a staff member but no patient yet (e.g. opening a pathway from a
    referral). A refusal is audited like any other."""
    if not actor.user.is_authenticated:
        raise NotAuthenticated(_("Please sign in."))
    if not hasattr(actor.user, "staff"):
        audit.record(actor, action=action, patient_id=None, denied_because="not staff")
        raise Forbidden(_("Only health and care personnel can do this."))


def actor_from_request(request: Any, channel: str) -> Actor:
    """The actor behind an HTTP request (page or API)."""
    return Actor(user=request.user, channel=channel, ip=client_ip(request))
