"""Sign-in, refused sign-in and sign-out in the one audit log (no patient is involved)."""

from __future__ import annotations

from typing import Any

from ettervern.access.models import AuditEvent
from ettervern.access.policy import Actor, actor_from_request

SIGN_IN = "auth.sign_in"
SIGN_IN_REFUSED = "auth.sign_in_refused"
SIGN_OUT = "auth.sign_out"


def record_auth_event(*, request: Any, action: str, method: str, user: Any = None,
                      provider: str = "", level: str = "", reason: str = "",
                      username: str = "") -> AuditEvent:
    """`method`: "local", "local+totp" or "oidc"; `provider`: e.g. "helseid", "idporten";
    `level`: the security level or acr; `reason`: why a sign-in was refused; `username`: what
    was typed or claimed when nobody could be identified."""
    actor = actor_from_request(request, "web")
    if user is not None:
        actor = Actor(user=user, channel="web", ip=actor.ip)
    basis = " ".join(part for part in (method, provider, f"level={level}" if level else "") if part)
    event = AuditEvent(
        action=action,
        patient_id=None,
        outcome=(AuditEvent.Outcome.DENIED if action == SIGN_IN_REFUSED
                 else AuditEvent.Outcome.ALLOWED),
        basis=(f"{basis}: {reason}" if reason else basis)[:200],
        channel=AuditEvent.Channel.WEB,
        ip=actor.ip,
        object_type="",
        object_id="",
    )
    if actor.user is not None and actor.user.is_authenticated:
        name, organisation = actor.identity
        event.actor_id = actor.user.pk
        event.actor_name = name
        event.actor_organisation = organisation
    else:
        event.actor_name = (username or "(unknown)")[:200]
    event.save(force_insert=True)
    return event
