"""Who a verified ID token names: a staff user by HPR number, a citizen by pid.

A login only says who the person is; what they may see still comes from care teams and
consent through the access policy. A person Ettervern does not know gets no account.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from ettervern.directory.models import Staff
from ettervern.oidc.client import Refused
from ettervern.oidc.conf import STAFF, Provider
from ettervern.patients.models import NextOfKin, Patient


def check_level(provider: Provider, claims: dict[str, Any]) -> str:
    """The sign-in level (security level or acr) if it is high enough; else Refused."""
    level = ""
    if provider.min_security_level is not None:
        raw = claims.get(provider.security_level_claim)
        level = str(raw or "")
        try:
            value = int(str(raw))
        except ValueError:
            raise Refused("security_level", level=level) from None
        if value < provider.min_security_level:
            raise Refused("security_level", level=level)
    if provider.accepted_acr:
        acr = str(claims.get("acr") or "")
        level = acr if not level else f"{level} {acr}"
        if acr not in provider.accepted_acr:
            raise Refused("acr", level=level)
    return level


def masked(provider: Provider, identifier: str) -> str:
    """What the audit log keeps of a claimed identifier nobody could be found for."""
    if provider.kind == STAFF:
        return f"hpr:{identifier}"[:200]
    return f"pid:{identifier[:6]}{'*' * max(len(identifier) - 6, 0)}"


def identifier(provider: Provider, claims: dict[str, Any]) -> str:
    value = claims.get(provider.identity_claim)
    if not isinstance(value, str | int) or not str(value).strip():
        raise Refused("no_identity_claim")
    return str(value).strip()


def user_for(provider: Provider, claims: dict[str, Any]) -> Any:
    """The user for the person the ID token names; Refused when Ettervern does not know them."""
    ident = identifier(provider, claims)
    if provider.kind == STAFF:
        staff = Staff.objects.select_related("user").filter(hpr_number=ident).first()
        if staff is None:
            raise Refused("unknown_hpr")
        if not staff.user.is_active:
            raise Refused("inactive_user")
        return staff.user
    return _citizen_user(ident, claims)


@transaction.atomic
def _citizen_user(pid: str, claims: dict[str, Any]) -> Any:
    patient = Patient.objects.select_for_update().filter(national_id=pid).first()
    kin = list(NextOfKin.objects.select_for_update().filter(national_id=pid).order_by("id"))
    if patient is None and not kin:
        raise Refused("unknown_pid")
    user = patient.user if patient is not None and patient.user_id else None
    if user is None:
        user = next((k.user for k in kin if k.user_id), None)
    if user is None:
        if patient is not None:
            given, family = patient.given_name, patient.family_name
        else:
            given, _sep, family = kin[0].name.rpartition(" ")
        user = get_user_model().objects.create_user(
            username=f"oidc-{uuid.uuid4().hex[:16]}",
            first_name=str(claims.get("given_name") or given)[:150],
            last_name=str(claims.get("family_name") or family)[:150],
        )  # create_user without a password: unusable, the person signs in with ID-porten
    if not user.is_active:
        raise Refused("inactive_user")
    if patient is not None and not patient.user_id:
        patient.user = user
        patient.save(update_fields=["user"])
    for row in kin:
        if not row.user_id:
            row.user = user
            row.save(update_fields=["user"])
    return user
