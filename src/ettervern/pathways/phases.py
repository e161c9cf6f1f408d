"""Pathway phases and which moves between them are possible. One table, one place."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    CONTACT = "contact", _("Contact / referral")
    PRE_ADMISSION = "pre_admission", _("Pre-admission")
    RESIDENTIAL = "residential", _("Residential stay")
    AFTERCARE = "aftercare", _("Discharged / aftercare")
    CLOSED = "closed", _("Closed")


# Moves into RESIDENTIAL happen by admitting a stay and into AFTERCARE by discharging it,
# so those edges exist only together with a stay. A residential stay cannot be closed directly:
# the pathway ends in the outpatient clinic, after discharge.
ALLOWED: dict[str, frozenset[str]] = {
    Phase.CONTACT: frozenset({Phase.PRE_ADMISSION, Phase.CLOSED}),
    Phase.PRE_ADMISSION: frozenset({Phase.CONTACT, Phase.RESIDENTIAL, Phase.CLOSED}),
    Phase.RESIDENTIAL: frozenset({Phase.AFTERCARE}),
    # Sequential admissions: from aftercare back to pre-admission or straight into the next stay.
    Phase.AFTERCARE: frozenset({Phase.PRE_ADMISSION, Phase.RESIDENTIAL, Phase.CLOSED}),
    Phase.CLOSED: frozenset(),
}

ORDER = [Phase.CONTACT, Phase.PRE_ADMISSION, Phase.RESIDENTIAL, Phase.AFTERCARE, Phase.CLOSED]


def can_move(from_phase: str, to_phase: str) -> bool:
    return to_phase in ALLOWED.get(from_phase, frozenset())
