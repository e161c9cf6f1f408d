"""Who stands where on a bed agreement: the bases of its pathway (the patient, the care team,
a consenting next of kin), and `unit:beds` for the staff of the agreement's unit, at any trust,
once the patient has accepted it and unless the patient has blocked them. The unit's staff
reach the agreement and its bookings, never the rest of the pathway; until the patient accepts,
the unit does not learn that the person it offered an agreement to has a pathway at all
(beds.services.agreement_offer)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ettervern.access.policy import Bases, Basis
from ettervern.directory.selectors import standing
from ettervern.pathways.team import bases_for

if TYPE_CHECKING:
    from ettervern.beds.models import Agreement

UNIT_ROLE = "unit:beds"


def agreement_bases(user: Any, agreement: Agreement) -> Bases:
    on_pathway = bases_for(user, agreement.pathway)
    bases = list(on_pathway)
    if (user.is_authenticated and not on_pathway.blocked
            and agreement.accepted_at is not None
            and agreement.pathway.closed_at is None
            and agreement.programme.unit_id in standing(user, fresh=False).unit_ids):
        bases.append(Basis(UNIT_ROLE, str(agreement.programme.public_id)))
    return Bases(bases, blocked=on_pathway.blocked)
