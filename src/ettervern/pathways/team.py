"""Who stands where on a pathway, asked cheaply. The basis of every access decision
(access.policy.require) and every worklist comes from here, so the two cannot disagree.

A user's standing on a pathway follows from three kinds of fact:
1. Who the user is among staff: their staff record and units (directory.selectors.standing,
   one short query, kept on the user object for the request).
2. The pathway's own columns: coordinator, coordinating unit, patient, closed or not.
3. Rows that link the user to the pathway: an active care-team role, a planned or ongoing stay
   at one of their units, being the patient, an active consent as next of kin. One small
   UNION ALL query per pathway (or per page of a list), each branch an index lookup.

The worklist asks the same facts the other way round: a UNION of the pathway ids each role
reaches, each branch an index scan, so its cost follows the user's own list and not the size
of the country. tests/pathways/test_access_equivalence.py proves that both agree with the
foundation's definition (tests/pathways/reference_access.py), role by role.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Concat

from ettervern.access.policy import Basis
from ettervern.directory.selectors import Standing, standing
from ettervern.pathways.models import CareTeamMember, Pathway, Stay
from ettervern.patients.models import Consent, Patient

TEAM_ROLES = [f"team:{role.value}" for role in CareTeamMember.Role]
CONSENT_ROLES = [f"consent:{scope.value}" for scope in Consent.Scope]
# Roles that count on an open pathway only, and those of the coordinating clinic that count on
# a closed one only. The patient and a consenting next of kin count always.
OPEN_ROLES = ["coordinator", "unit:coordinating", "unit:treating", *TEAM_ROLES]
CLOSED_ROLES = ["closed:coordinator", "closed:unit:coordinating"]
PERSONAL_ROLES = ["patient", *CONSENT_ROLES]
# The order in which bases are listed (the first one is what a list's audit row names).
ROLE_ORDER = [*OPEN_ROLES, *CLOSED_ROLES, *PERSONAL_ROLES]
_ACTIVE_STAYS = [Stay.Status.PLANNED, Stay.Status.ONGOING]


# --- bases on given pathways ----------------------------------------------------------------

def _kind(text: str) -> Value:
    return Value(text, output_field=CharField())


def _linked_roles(user: Any, me: Standing, pathway_ids: Sequence[int],
                  patient_ids: Sequence[int]) -> list[tuple[int, str]]:
    """(pathway id or patient id, role) for the rows that tie the user to these pathways:
    care-team roles and stays at the user's units (by pathway id), being the patient and a
    next of kin's consent (by patient id). One UNION ALL query."""
    branches: list[QuerySet[Any]] = [
        Patient.objects.filter(pk__in=patient_ids, user_id=user.pk).order_by()
        .annotate(ref=F("pk"), kind=_kind("patient")).values_list("ref", "kind"),
        Consent.objects.filter(patient_id__in=patient_ids, next_of_kin__user_id=user.pk,
                               withdrawn_at__isnull=True).order_by()
        .annotate(ref=F("patient_id"), kind=Concat(_kind("consent:"), "scope",
                                                   output_field=CharField()))
        .values_list("ref", "kind"),
    ]
    if me.staff_id is not None:
        branches.append(
            CareTeamMember.objects.filter(pathway_id__in=pathway_ids, staff_id=me.staff_id,
                                          ended_at__isnull=True).order_by()
            .annotate(ref=F("pathway_id"), kind=Concat(_kind("team:"), "role",
                                                       output_field=CharField()))
            .values_list("ref", "kind"))
        if me.unit_ids:
            branches.append(
                Stay.objects.filter(pathway_id__in=pathway_ids, unit_id__in=me.unit_ids,
                                    status__in=_ACTIVE_STAYS).order_by()
                .annotate(ref=F("pathway_id"), kind=_kind("unit:treating"))
                .values_list("ref", "kind"))
    first, *rest = branches
    return list(first.union(*rest, all=True))


def _roles(pathway: Pathway, me: Standing, linked: Iterable[str]) -> list[str]:
    """The roles a user has on `pathway`, from its columns and the linked rows, in ROLE_ORDER."""
    found = set(linked)
    if me.staff_id is not None:
        if pathway.coordinator_id == me.staff_id:
            found.add("coordinator")
        if pathway.coordinating_unit_id in me.unit_ids:
            found.add("unit:coordinating")
    if pathway.closed_at is not None:
        found = {f"closed:{role}" for role in found if f"closed:{role}" in CLOSED_ROLES} | (
            found & set(PERSONAL_ROLES))
    return [role for role in ROLE_ORDER if role in found]


def bases_for(user: AbstractBaseUser, pathway: Pathway) -> Sequence[Basis]:
    """Every basis `user` has on `pathway`."""
    if not user.is_authenticated or pathway.pk is None:
        return []
    me = standing(user)
    linked = _linked_roles(user, me, [pathway.pk], [pathway.patient_id])
    return [Basis(role=role) for role in _roles(pathway, me, (kind for _ref, kind in linked))]


def bases_by_pathway(user: AbstractBaseUser, pathways: Sequence[Pathway]) -> dict[int, Basis]:
    """The first basis per pathway for a page of a list, in one query (for the audit records)."""
    if not pathways or not user.is_authenticated:
        return {}
    me = standing(user, fresh=False)  # as the list's query just read it
    linked = _linked_roles(user, me, [p.pk for p in pathways], [p.patient_id for p in pathways])
    by_pathway: dict[int, list[str]] = {}
    by_patient: dict[int, list[str]] = {}
    for ref, kind in linked:
        target = by_patient if kind in PERSONAL_ROLES else by_pathway
        target.setdefault(ref, []).append(kind)
    result: dict[int, Basis] = {}
    for pathway in pathways:
        roles = _roles(pathway, me, [*by_pathway.get(pathway.pk, []),
                                     *by_patient.get(pathway.patient_id, [])])
        if roles:
            result[pathway.pk] = Basis(role=roles[0])
    return result


def stay_bases_for(user: AbstractBaseUser, stay: Stay) -> Sequence[Basis]:
    """Bases on one stay: those on its pathway, except that the treating-unit basis counts only
    for staff of *this* stay's unit while the stay is planned or ongoing."""
    bases = [b for b in bases_for(user, stay.pathway) if b.role != "unit:treating"]
    if (
        user.is_authenticated
        and stay.pathway.closed_at is None
        and stay.status in _ACTIVE_STAYS
        and stay.unit_id in standing(user, fresh=False).unit_ids  # as bases_for just read it
    ):
        bases.append(Basis(role="unit:treating"))
    return bases


# --- the worklist -----------------------------------------------------------------------------

def _ids(queryset: QuerySet[Any], field: str = "id") -> QuerySet[Any]:
    return queryset.order_by().values(field)


def accessible_pathways(
    user: AbstractBaseUser, *, roles: Sequence[str] | None = None
) -> QuerySet[Pathway]:
    """Pathways where `user` has any basis (or one of `roles`), for worklists: the UNION of
    what each role reaches."""
    if not user.is_authenticated:
        return Pathway.objects.none()
    wanted = set(ROLE_ORDER if roles is None else roles)
    me = standing(user)
    branches: list[QuerySet[Any]] = []

    def by_state(role: str, queryset: QuerySet[Pathway]) -> None:
        """A role that holds while open and its `closed:` twin: one branch if both wanted."""
        both = {role, f"closed:{role}"} <= wanted
        if both:
            branches.append(_ids(queryset))
        elif role in wanted:
            branches.append(_ids(queryset.filter(closed_at__isnull=True)))
        elif f"closed:{role}" in wanted:
            branches.append(_ids(queryset.filter(closed_at__isnull=False)))

    if me.staff_id is not None:
        by_state("coordinator", Pathway.objects.filter(coordinator_id=me.staff_id))
        if me.unit_ids:
            by_state("unit:coordinating",
                     Pathway.objects.filter(coordinating_unit_id__in=me.unit_ids))
            if "unit:treating" in wanted:
                branches.append(_ids(Stay.objects.filter(
                    unit_id__in=me.unit_ids, status__in=_ACTIVE_STAYS,
                    pathway__closed_at__isnull=True), "pathway_id"))
        team_roles = [role.split(":", 1)[1] for role in TEAM_ROLES if role in wanted]
        if team_roles:
            branches.append(_ids(CareTeamMember.objects.filter(
                staff_id=me.staff_id, ended_at__isnull=True, role__in=team_roles,
                pathway__closed_at__isnull=True), "pathway_id"))
    if "patient" in wanted:
        branches.append(_ids(Pathway.objects.filter(patient__user_id=user.pk)))
    scopes = [role.split(":", 1)[1] for role in CONSENT_ROLES if role in wanted]
    if scopes:
        consenting = Consent.objects.filter(next_of_kin__user_id=user.pk, scope__in=scopes,
                                            withdrawn_at__isnull=True).values("patient_id")
        branches.append(_ids(Pathway.objects.filter(patient_id__in=consenting)))
    if not branches:
        return Pathway.objects.none()
    first, *rest = branches
    return Pathway.objects.filter(pk__in=first.union(*rest) if rest else first)
