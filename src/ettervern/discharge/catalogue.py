"""The checkpoints of integrated aftercare before discharge, as the report lists them, and
`ensure_checkpoints` for a database emptied after migrating (the test suite's flush). Data: an
administrator may rename, reorder or retire them; the key names the rule that decides each
(discharge/checkpoints.py)."""

from __future__ import annotations

from typing import Any

CHECKPOINTS = [
    # key, Norwegian name, English name, rule
    ("plan_agreed", "Individuell plan finnes, og pasienten har sett og godtatt den",
     "The individual plan exists and the patient has seen and agreed to it", "derived"),
    ("team_named", "Koordinator og kontaktpersoner i spesialisthelsetjenesten og kommunen er "
     "navngitt", "The coordinator and the contact persons in specialist care and the "
     "municipality are named", "derived"),
    ("housing", "Bolig er ivaretatt", "Housing is addressed", "derived"),
    ("economy", "Økonomi er ivaretatt", "Economy is addressed", "derived"),
    ("crisis_plan", "Kriseplanen er på plass", "The crisis plan is in place", "derived"),
    ("before_meeting_held", "Samarbeidsmøte før utskriving er holdt",
     "The cooperation meeting before discharge has been held", "derived"),
    ("after_meeting_booked", "Møte etter utskriving er avtalt",
     "The meeting after discharge is booked", "derived"),
    ("measures_owned", "Tiltakene i ettervernet har en ansvarlig",
     "The aftercare measures have owners", "derived"),
    ("bed_decision", "Det er tatt stilling til brukerstyrt seng og/eller sekvensiell innleggelse",
     "There is a decision on a user-controlled bed and/or sequential admission",
     "derived_or_manual"),
    ("gp_informed", "Fastlegen er informert", "The GP is informed", "manual"),
]



def ensure_checkpoints(model: Any = None) -> None:
    """Write the missing checkpoints (idempotent); one renamed or retired by an administrator
    is left as it is."""
    if model is None:
        from ettervern.discharge.models import CheckpointType as model
    for order, (key, title, title_en, rule) in enumerate(CHECKPOINTS, start=1):
        model.objects.get_or_create(key=key, defaults={
            "title": title, "title_en": title_en, "rule": rule, "order": order * 10})
