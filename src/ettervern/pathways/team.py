"""Who stands where on a pathway, asked cheaply. The basis of every access decision
(access.policy.require) and every worklist comes from here, so the two cannot disagree.

A user's standing on a pathway follows from three kinds of fact:
1. Who the user is among staff: their staff record and units (directory.selectors.standing,
   one short query, kept on the user object for the request).
2. The pathway's own columns: coordinator, coordinating unit, patient, closed or not.
3. Rows that link the user to the pathway: an active care-team role, a planned or ongoing stay
   at one of their units, being the patient, an active consent (of a known
   kind, within its period) as next of kin or trust person. One small
   UNION ALL query per pathway (or per page of a list), each branch an index lookup.

Two more kinds of row change that picture (docs/decisions/0021-patient-rights-over-access.md):
- an active emergency access ("break the glass") gives a staff member the `emergency` basis on
  one open pathway for a few hours; it never adds a pathway to a worklist;
- a block (sperring) by the patient takes away every basis of that staff member on the
  patient's pathways except the open pathway's coordinator's, on pages and worklists alike.
Both tables belong to the rights app above this one; they are read here by name, in the same
query, so that pathways imports nothing from above.

The worklist asks the same facts the other way round: a UNION of the pathway ids each role
reaches, each branch an index scan, so its cost follows the user's own list and not the size
of the country. tests/pathways/test_access_equivalence.py proves that both agree with the
foundation's definition (tests/pathways/reference_access.py), role by role.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from ettervern.access.consent_kinds import CODES as CONSENT_KINDS
from ettervern.access.policy import Bases, Basis
from ettervern.core import clock, sqlrows
from ettervern.directory.selectors import Standing, standing
from ettervern.pathways.models import CareTeamMember, Pathway, Stay
from ettervern.patients.models import Consent, NextOfKin

TEAM_ROLES = [f"team:{role.value}" for role in CareTeamMember.Role]
CONSENT_ROLES = [f"consent:{code}" for code in CONSENT_KINDS]
# Roles that count on an open pathway only, and those of the coordinating clinic that count on
# a closed one only. The patient and a consenting next of kin count always.
OPEN_ROLES = ["coordinator", "unit:coordinating", "unit:treating", *TEAM_ROLES, "emergency"]
CLOSED_ROLES = ["closed:coordinator", "closed:unit:coordinating"]
PERSONAL_ROLES = ["patient", *CONSENT_ROLES]
# The order in which bases are listed (the first one is what a list's audit row names).
ROLE_ORDER = [*OPEN_ROLES, *CLOSED_ROLES, *PERSONAL_ROLES]
_ACTIVE_STAYS = [Stay.Status.PLANNED, Stay.Status.ONGOING]
# What a block leaves: the coordinator's basis on an open pathway (the coordinator cannot be
# blocked; a hand-over is the way out).
UNBLOCKABLE_ROLES = frozenset({"coordinator"})
# Roles no worklist lists pathways by: an emergency access opens one pathway to read, it does
# not put it on anybody's list.
NOT_LISTED_ROLES = frozenset({"emergency"})


# --- bases on given pathways ----------------------------------------------------------------

# Written by hand: it runs on every access decision, and Django building and compiling this
# four-branch UNION cost several times more CPU than running it. Each branch is an index
# lookup from the given pathways (or their patients) and filters by the user. The fourth
# column names the row that grants the role where the audit record should say which (the
# consent's public id).
_PATIENT_SQL = ("SELECT id, 'patient', '', '' FROM patients_patient "
                "WHERE user_id = %s AND id IN ({})")
# A consent counts while not withdrawn and within its period (today, in local time).
_CONSENT_SQL = (
    "SELECT c.patient_id, 'consent', c.kind, CAST(c.public_id AS TEXT) FROM patients_consent c "
    "JOIN patients_nextofkin k ON k.id = c.next_of_kin_id "
    "WHERE k.user_id = %s AND c.withdrawn_at IS NULL AND c.valid_from <= %s "
    "AND (c.valid_until IS NULL OR c.valid_until >= %s) AND c.patient_id IN ({})")
_TEAM_SQL = ("SELECT pathway_id, 'team', role, '' FROM pathways_careteammember "
             "WHERE staff_id = %s AND ended_at IS NULL AND pathway_id IN ({})")
# A residential stay only: the unit of a user-controlled stay (beds/) reaches the patient's
# agreement and bookings, never the pathway.
_STAY_SQL = ("SELECT pathway_id, 'unit', 'treating', '' FROM pathways_stay "
             "WHERE status IN ({}) AND kind = 'residential' AND unit_id IN ({}) "
             "AND pathway_id IN ({})")
# The rights app's tables (rights/models.py), read by name. The emergency access's id is its
# basis's detail, so the patient's access log can show its reason.
_EMERGENCY_SQL = ("SELECT pathway_id, 'emergency', '', CAST(id AS VARCHAR(20)) "
                  "FROM rights_emergencyaccess WHERE staff_id = %s AND pathway_id IN ({}) "
                  "AND expires_at > %s AND opened_at <= %s")
_BLOCK_SQL = ("SELECT patient_id, 'blocked', '', '' FROM rights_block "
              "WHERE staff_id = %s AND lifted_at IS NULL AND patient_id IN ({})")
# The pathways of the patients who have blocked a staff member, for the worklist.
_BLOCKED_PATHWAYS_SQL = ("SELECT p.id FROM pathways_pathway p "
                         "JOIN rights_block b ON b.patient_id = p.patient_id "
                         "WHERE b.staff_id = %s AND b.lifted_at IS NULL")
# Linked rows found by patient id (the others by pathway id).
_BY_PATIENT = frozenset({"patient", "blocked", *CONSENT_ROLES})


def is_blocked(staff_id: int, patient_id: int) -> bool:
    """Whether the patient has blocked this staff member (and not lifted it): such a person is
    given no role on the patient's pathways, as a member of the care team or as coordinator."""
    with connection.cursor() as cursor:
        cursor.execute(_BLOCK_SQL.format("%s"), [staff_id, patient_id])
        return cursor.fetchone() is not None


def _linked_roles(user: Any, me: Standing, pathway_ids: Sequence[int],
                  patient_ids: Sequence[int]) -> list[tuple[int, str, str]]:
    """(pathway id or patient id, role, detail) for the rows that tie the user to these
    pathways: care-team roles, stays at the user's units and active emergency accesses (by
    pathway id), being the patient, a next of kin's consent of a known kind and a block (by
    patient id). The detail names the row that grants a role where the audit record should
    say which: the consent's public id, the emergency access's id. One UNION ALL query."""
    patients, pathways = sqlrows.marks(patient_ids), sqlrows.marks(pathway_ids)
    today = connection.ops.adapt_datefield_value(clock.today())
    branches = [_PATIENT_SQL.format(patients), _CONSENT_SQL.format(patients)]
    params: list[Any] = [user.pk, *patient_ids, user.pk, today, today, *patient_ids]
    if me.staff_id is not None:
        now = clock.now()
        branches += [_TEAM_SQL.format(pathways), _EMERGENCY_SQL.format(pathways),
                     _BLOCK_SQL.format(patients)]
        params += [me.staff_id, *pathway_ids, me.staff_id, *pathway_ids, now, now,
                   me.staff_id, *patient_ids]
        if me.unit_ids:
            statuses = [status.value for status in _ACTIVE_STAYS]
            branches.append(_STAY_SQL.format(sqlrows.marks(statuses),
                                             sqlrows.marks(me.unit_ids), pathways))
            params += [*statuses, *me.unit_ids, *pathway_ids]
    rows = sqlrows.fetch(" UNION ALL ".join(branches), params)
    linked: list[tuple[int, str, str]] = []
    for ref, kind, role, granted_by in rows:
        detail = _public_id(granted_by) if kind == "consent" else str(granted_by or "")
        linked.append((ref, f"{kind}:{role}" if role else kind, detail))
    # A consent of a kind no longer in the registry grants nothing.
    return [row for row in linked if not row[1].startswith("consent:") or row[1] in CONSENT_ROLES]


def _public_id(value: Any) -> str:
    """A public id as the backend returns it in text (dashes on PostgreSQL, 32 hex digits on
    SQLite), in its canonical form."""
    return str(uuid.UUID(str(value))) if value else ""


def _details(linked: Iterable[tuple[Any, str, str]]) -> dict[str, str]:
    """Role -> the row that grants it (the first of several), where one is named."""
    details: dict[str, str] = {}
    for _ref, role, detail in linked:
        if detail:
            details.setdefault(role, detail)
    return details


def _roles(pathway: Pathway, me: Standing, linked: Iterable[str]) -> tuple[list[str], bool]:
    """The roles a user has on `pathway`, from its columns and the linked rows, in ROLE_ORDER,
    and whether the patient has blocked the user."""
    found = set(linked)
    blocked = "blocked" in found
    if me.staff_id is not None:
        if pathway.coordinator_id == me.staff_id:
            found.add("coordinator")
        if pathway.coordinating_unit_id in me.unit_ids:
            found.add("unit:coordinating")
    if pathway.closed_at is not None:
        found = {f"closed:{role}" for role in found if f"closed:{role}" in CLOSED_ROLES} | (
            found & set(PERSONAL_ROLES))
    if blocked:
        found &= UNBLOCKABLE_ROLES
    return [role for role in ROLE_ORDER if role in found], blocked


def _bases(roles: list[str], details: dict[str, str]) -> list[Basis]:
    return [Basis(role=role, detail=details.get(role, "")) for role in roles]


def bases_for(user: AbstractBaseUser, pathway: Pathway) -> Bases:
    """Every basis `user` has on `pathway` (and whether a block took the others away)."""
    if not user.is_authenticated or pathway.pk is None:
        return Bases()
    me = standing(user)
    linked = _linked_roles(user, me, [pathway.pk], [pathway.patient_id])
    roles, blocked = _roles(pathway, me, (kind for _ref, kind, _detail in linked))
    return Bases(_bases(roles, _details(linked)), blocked=blocked)


def bases_by_pathway(user: AbstractBaseUser, pathways: Sequence[Pathway]) -> dict[int, Basis]:
    """The first basis per pathway for a page of a list, in one query (for the audit records)."""
    if not pathways or not user.is_authenticated:
        return {}
    me = standing(user, fresh=False)  # as the list's query just read it
    linked = _linked_roles(user, me, [p.pk for p in pathways], [p.patient_id for p in pathways])
    by_pathway: dict[int, list[str]] = {}
    by_patient: dict[int, list[str]] = {}
    details: dict[tuple[int, str], str] = {}
    for ref, kind, detail in linked:
        target = by_patient if kind in _BY_PATIENT else by_pathway
        target.setdefault(ref, []).append(kind)
        if detail:
            details.setdefault((ref, kind), detail)
    result: dict[int, Basis] = {}
    for pathway in pathways:
        roles, _blocked = _roles(pathway, me, [*by_pathway.get(pathway.pk, []),
                                               *by_patient.get(pathway.patient_id, [])])
        if roles:
            result[pathway.pk] = Basis(role=roles[0],
                                       detail=details.get((pathway.patient_id if roles[0]
                                                           in _BY_PATIENT else pathway.pk,
                                                           roles[0]), ""))
    return result


def stay_bases_for(user: AbstractBaseUser, stay: Stay) -> Bases:
    """Bases on one stay: those on its pathway, except that the treating-unit basis counts only
    for staff of *this* stay's unit while the stay is planned or ongoing (and not blocked)."""
    on_pathway = bases_for(user, stay.pathway)
    bases = [b for b in on_pathway if b.role != "unit:treating"]
    if (
        user.is_authenticated
        and not on_pathway.blocked
        and stay.pathway.closed_at is None
        and stay.status in _ACTIVE_STAYS
        and stay.kind == Stay.Kind.RESIDENTIAL
        and stay.unit_id in standing(user, fresh=False).unit_ids  # as bases_for just read it
    ):
        bases.append(Basis(role="unit:treating"))
    return Bases(bases, blocked=on_pathway.blocked)


# --- the worklist -----------------------------------------------------------------------------

def reaching_conditions(
    user: AbstractBaseUser, *, roles: Sequence[str] | None = None
) -> list[Q]:
    """One condition on pathways per way `user` reaches them (or only `roles`), each an index
    lookup from the user's side. Callers select pathways by each condition (narrowed by phase
    or name as they need) and combine them, so that the planner never has to guess how many
    pathways the union holds."""
    if not user.is_authenticated:
        return []
    wanted = set(ROLE_ORDER if roles is None else roles)
    me = standing(user)
    conditions: list[Q] = []

    def by_state(role: str, condition: Q) -> None:
        """A role that holds while open and its `closed:` twin: one condition if both wanted."""
        if {role, f"closed:{role}"} <= wanted:
            conditions.append(condition)
        elif role in wanted:
            conditions.append(condition & Q(closed_at__isnull=True))
        elif f"closed:{role}" in wanted:
            conditions.append(condition & Q(closed_at__isnull=False))

    # Every branch but the open pathway's coordinator's leaves out the pathways of patients
    # who have blocked this staff member: `id NOT IN` a small set computed once, a filter on a
    # column each branch's index already holds.
    unblocked = ~Q(pk__in=RawSQL(_BLOCKED_PATHWAYS_SQL, [me.staff_id])) if (  # noqa: S611 - a constant
        me.staff_id is not None) else Q()
    if me.staff_id is not None:
        # Open and closed apart: a block spares the open pathway's coordinator only.
        if "coordinator" in wanted:
            conditions.append(Q(coordinator_id=me.staff_id, closed_at__isnull=True))
        if "closed:coordinator" in wanted:
            conditions.append(Q(coordinator_id=me.staff_id, closed_at__isnull=False)
                              & unblocked)
        if me.unit_ids:
            by_state("unit:coordinating", Q(coordinating_unit_id__in=me.unit_ids) & unblocked)
            if "unit:treating" in wanted:
                conditions.append(Q(closed_at__isnull=True, pk__in=Stay.objects.filter(
                    unit_id__in=me.unit_ids, status__in=_ACTIVE_STAYS,
                    kind=Stay.Kind.RESIDENTIAL).values("pathway_id"))
                    & unblocked)
        team_roles = [role.split(":", 1)[1] for role in TEAM_ROLES if role in wanted]
        if team_roles:
            conditions.append(Q(closed_at__isnull=True, pk__in=CareTeamMember.objects.filter(
                staff_id=me.staff_id, ended_at__isnull=True, role__in=team_roles,
            ).values("pathway_id")) & unblocked)
    if "patient" in wanted:
        conditions.append(Q(patient__user_id=user.pk))
    scopes = [role.split(":", 1)[1] for role in CONSENT_ROLES if role in wanted]
    if scopes:
        # From the user's next-of-kin rows to their consents (index on user, then on the
        # next of kin), never from all active consents.
        today = clock.today()
        conditions.append(Q(patient_id__in=Consent.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today),
            next_of_kin_id__in=NextOfKin.objects.filter(user_id=user.pk).values("pk"),
            kind__in=scopes, withdrawn_at__isnull=True, valid_from__lte=today,
        ).values("patient_id")) & unblocked)
    return conditions


def combine(branches: Sequence[QuerySet[Any]]) -> QuerySet[Any]:
    """The UNION (without duplicates) of branches that select the same columns (a single
    branch has none: each selects pathways by their own rows)."""
    first, *rest = branches
    return first.union(*rest) if rest else first


def accessible_pathways(
    user: AbstractBaseUser, *, roles: Sequence[str] | None = None
) -> QuerySet[Pathway]:
    """Pathways where `user` has any basis (or one of `roles`), for worklists: the UNION of
    what each role reaches."""
    conditions = reaching_conditions(user, roles=roles)
    if not conditions:
        return Pathway.objects.none()
    return Pathway.objects.filter(
        pk__in=combine([Pathway.objects.filter(c).values("id") for c in conditions]))
