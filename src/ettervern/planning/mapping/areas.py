"""The mapping's life areas as shipped: the central areas of the report's mapping of
functioning. More can be added (or retired with `active`) as data, without code."""

from __future__ import annotations

from typing import Any

AREAS = [
    ("housing", "Bolig", "Housing"),
    ("economy", "Økonomi", "Economy"),
    ("activity", "Arbeid, utdanning og aktivitet", "Work, education and activity"),
    ("physical_health", "Fysisk helse", "Physical health"),
    ("mental_health", "Psykisk helse", "Mental health"),
    ("substance_use", "Rusbruk", "Substance use"),
    ("network", "Nettverk og relasjoner", "Network and relationships"),
    ("leisure", "Fritid", "Leisure"),
    ("daily_living", "Dagliglivets gjøremål", "Daily living"),
]


def ensure_areas(life_area: Any = None) -> None:
    """Write the shipped areas where they are missing (idempotent). The data migration calls it
    with its historical model; the demo calls it because a database can be emptied after
    migrating (the test suite's flush), and a mapping needs its areas."""
    if life_area is None:
        from ettervern.planning.mapping.models import LifeArea as life_area
    for position, (code, name_nb, name_en) in enumerate(AREAS, start=1):
        life_area.objects.update_or_create(
            code=code, defaults={"position": position, "name_nb": name_nb, "name_en": name_en})
