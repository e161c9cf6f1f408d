"""The access conditions as the foundation wrote them: every role one EXISTS, ORed together.

Kept in the tests only, as the reference the fast definition in pathways/team.py must agree
with (tests/pathways/test_access_equivalence.py): the same bases per pathway, the same worklist
ids. It is slow at national scale (the planner cannot use an index for an OR of seven
subqueries), which is why the app no longer uses it.

Blocks and emergency access (rights/models.py) are written here the plain way too: an active
emergency access is one more EXISTS (open pathways only, never on a worklist); an active block
by the patient leaves only the open pathway's coordinator's basis.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable

from ettervern.access.consent_kinds import CODES
from ettervern.core import clock
from ettervern.directory.models import Staff
from ettervern.pathways.models import CareTeamMember, Pathway, Stay
from ettervern.patients.models import Consent
from ettervern.rights.models import Block, EmergencyAccess

# What a block leaves, and what no worklist lists pathways by.
UNBLOCKABLE = {"coordinator"}
NOT_LISTED = {"emergency"}


def _staff_conditions(user: AbstractBaseUser) -> dict[str, Combinable | Q]:
    unit_member = Staff.units.through.objects.filter(staff__user_id=user.pk)
    conditions: dict[str, Combinable | Q] = {
        "coordinator": Q(coordinator__user=user),
        "unit:coordinating": Exists(unit_member.filter(unit_id=OuterRef("coordinating_unit_id"))),
        "unit:treating": Exists(
            Stay.objects.filter(
                pathway=OuterRef("pk"),
                status__in=[Stay.Status.PLANNED, Stay.Status.ONGOING],
                kind=Stay.Kind.RESIDENTIAL,  # a user-controlled stay's unit reaches its booking
                unit__in=unit_member.values("unit_id"),
            )
        ),
    }
    for role in CareTeamMember.Role:
        conditions[f"team:{role.value}"] = Exists(
            CareTeamMember.objects.filter(pathway=OuterRef("pk"), role=role, ended_at__isnull=True,
                                          staff__user_id=user.pk)
        )
    now = clock.now()
    conditions["emergency"] = Exists(EmergencyAccess.objects.filter(
        pathway=OuterRef("pk"), staff__user_id=user.pk, opened_at__lte=now, expires_at__gt=now))
    return conditions


def _blocked(user: AbstractBaseUser) -> Exists:
    return Exists(Block.objects.filter(patient=OuterRef("patient_id"), staff__user_id=user.pk,
                                       lifted_at__isnull=True))


def _personal_conditions(user: AbstractBaseUser) -> dict[str, Combinable | Q]:
    conditions: dict[str, Combinable | Q] = {"patient": Q(patient__user=user)}
    today = clock.today()
    for code in CODES:
        conditions[f"consent:{code}"] = Exists(
            Consent.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today),
                                   patient=OuterRef("patient_id"), kind=code,
                                   withdrawn_at__isnull=True, valid_from__lte=today,
                                   next_of_kin__user_id=user.pk)
        )
    return conditions


def conditions(user: AbstractBaseUser) -> dict[str, Q | Combinable]:
    is_open = Q(closed_at__isnull=True)
    is_closed = Q(closed_at__isnull=False)
    staff_conditions = _staff_conditions(user)
    staff = {role: is_open & cond for role, cond in staff_conditions.items()}
    closed = {f"closed:{role}": is_closed & staff_conditions[role]
              for role in ("coordinator", "unit:coordinating")}
    every = {**staff, **closed, **_personal_conditions(user)}
    not_blocked = ~_blocked(user)
    return {role: cond if role in UNBLOCKABLE else Q(cond) & not_blocked
            for role, cond in every.items()}


def _alias(role: str) -> str:
    return "role__" + role.replace(":", "__")


def reference_bases(user: AbstractBaseUser, pathway: Pathway) -> list[str]:
    """Every role `user` has on `pathway`, in the order the conditions are listed."""
    conds = conditions(user)
    row = (Pathway.objects.filter(pk=pathway.pk)
           .annotate(**{_alias(role): ExpressionWrapper(cond, output_field=BooleanField())
                        for role, cond in conds.items()})
           .values(*[_alias(role) for role in conds]).first())
    return [role for role in conds if row and row[_alias(role)]]


def reference_accessible(user: AbstractBaseUser, roles: Sequence[str] | None = None, *,
                         worklist: bool = True) -> QuerySet[Pathway]:
    """The pathways where `user` has a basis (a worklist leaves out emergency accesses)."""
    combined = Q(pk__in=[])
    for role, cond in conditions(user).items():
        if (roles is None or role in roles) and not (worklist and role in NOT_LISTED):
            combined |= Q(cond)
    return Pathway.objects.filter(combined)
