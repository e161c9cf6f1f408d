"""The check every planning write makes inside its transaction."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ettervern.access.policy import Actor, permitted
from ettervern.core.errors import Forbidden, RuleViolation
from ettervern.pathways.models import Pathway


def lock_open_pathway(actor: Actor, pathway_id: int, action: str, *, closed: Any) -> Pathway:
    """Lock the pathway's row for the rest of the transaction, then check again, now that
    nobody can close it or change its team under us, that it is open (else `closed`, the
    capability's own message) and that the actor may still do `action`. The access check
    before the transaction was audited; this one guards the race and is not."""
    locked = Pathway.objects.select_for_update().get(pk=pathway_id)
    if not locked.is_open:
        raise RuleViolation(closed)
    if permitted(locked.access_bases(actor.user), action) is None:  # type: ignore[arg-type]
        raise Forbidden(_("Your access to this pathway changed in the meantime. Reload the "
                          "page."))
    return locked
