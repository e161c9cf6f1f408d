"""Who stands where on a pathway. The conditions below feed both the per-pathway basis
(access.policy.require) and the list filter (worklists), so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable

from ettervern.access.policy import Basis
from ettervern.directory.models import Staff
from ettervern.pathways.models import CareTeamMember, Pathway, Stay
from ettervern.patients.models import Consent


def _staff_conditions(user: AbstractBaseUser) -> dict[str, Combinable | Q]:
    unit_member = Staff.units.through.objects.filter(staff__user_id=user.pk)
    conditions: dict[str, Combinable | Q] = {
        "coordinator": Q(coordinator__user=user),
        "unit:coordinating": Exists(unit_member.filter(unit_id=OuterRef("coordinating_unit_id"))),
        "unit:treating": Exists(
            Stay.objects.filter(
                pathway=OuterRef("pk"),
                status__in=[Stay.Status.PLANNED, Stay.Status.ONGOING],
                unit__in=unit_member.values("unit_id"),
            )
        ),
    }
    for role in CareTeamMember.Role:
        conditions[f"team:{role.value}"] = Exists(
            CareTeamMember.objects.filter(pathway=OuterRef("pk"), role=role, ended_at__isnull=True,
                                          staff__user_id=user.pk)
        )
    return conditions


def _personal_conditions(user: AbstractBaseUser) -> dict[str, Combinable | Q]:
    conditions: dict[str, Combinable | Q] = {"patient": Q(patient__user=user)}
    for scope in Consent.Scope:
        conditions[f"consent:{scope.value}"] = Exists(
            Consent.objects.filter(patient=OuterRef("patient_id"), scope=scope,
                                   withdrawn_at__isnull=True, next_of_kin__user_id=user.pk)
        )
    return conditions


def _conditions(user: AbstractBaseUser) -> dict[str, Q | Combinable]:
    """Staff roles count only on an open pathway; on a closed one the coordinating clinic and
    the last coordinator keep the `closed:` roles. The patient and consented next of kin
    always."""
    is_open = Q(closed_at__isnull=True)
    is_closed = Q(closed_at__isnull=False)
    staff_conditions = _staff_conditions(user)
    staff = {role: is_open & cond for role, cond in staff_conditions.items()}
    closed = {f"closed:{role}": is_closed & staff_conditions[role]
              for role in ("coordinator", "unit:coordinating")}
    return {**staff, **closed, **_personal_conditions(user)}


def _alias(role: str) -> str:
    return "role__" + role.replace(":", "__")


def bases_for(user: AbstractBaseUser, pathway: Pathway) -> Sequence[Basis]:
    """Every basis `user` has on `pathway`, in one query."""
    if not user.is_authenticated or pathway.pk is None:
        return []
    conditions = _conditions(user)
    row = (
        Pathway.objects.filter(pk=pathway.pk)
        .annotate(**{_alias(role): ExpressionWrapper(cond, output_field=BooleanField())
                     for role, cond in conditions.items()})
        .values(*[_alias(role) for role in conditions])
        .first()
    )
    if row is None:
        return []
    return [Basis(role=role) for role in conditions if row[_alias(role)]]


def accessible_pathways(
    user: AbstractBaseUser, *, roles: Sequence[str] | None = None
) -> QuerySet[Pathway]:
    """Pathways where `user` has any basis (or one of `roles`), for worklists."""
    if not user.is_authenticated:
        return Pathway.objects.none()
    conditions = _conditions(user)
    chosen = [cond for role, cond in conditions.items() if roles is None or role in roles]
    combined = Q()
    for cond in chosen:
        combined |= Q(cond)
    return Pathway.objects.filter(combined)


def bases_by_pathway(user: AbstractBaseUser, pathway_ids: Sequence[int]) -> dict[int, Basis]:
    """The first basis per pathway for a page of a list, in one query (for the audit records)."""
    if not pathway_ids:
        return {}
    conditions = _conditions(user)
    rows = (
        Pathway.objects.filter(pk__in=pathway_ids)
        .annotate(**{_alias(role): ExpressionWrapper(cond, output_field=BooleanField())
                     for role, cond in conditions.items()})
        .values("pk", *[_alias(role) for role in conditions])
    )
    result: dict[int, Basis] = {}
    for row in rows:
        for role in conditions:
            if row[_alias(role)]:
                result[row["pk"]] = Basis(role=role)
                break
    return result


def stay_bases_for(user: AbstractBaseUser, stay: Stay) -> Sequence[Basis]:
    """Bases on one stay: those on its pathway, except that the treating-unit basis counts only
    for staff of *this* stay's unit while the stay is planned or ongoing."""
    bases = [b for b in bases_for(user, stay.pathway) if b.role != "unit:treating"]
    if (
        user.is_authenticated
        and stay.pathway.closed_at is None
        and stay.status in (Stay.Status.PLANNED, Stay.Status.ONGOING)
        and Staff.units.through.objects.filter(staff__user_id=user.pk,
                                               unit_id=stay.unit_id).exists()
    ):
        bases.append(Basis(role="unit:treating"))
    return bases
