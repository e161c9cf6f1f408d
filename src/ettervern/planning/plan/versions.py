"""Snapshots of the plan (one per save) and the readable difference between two of them.

A snapshot holds values, not sentences: keys and dates in ISO form. It is turned into labelled
lines in the reader's language when read, and two versions' lines are compared with difflib,
so a reader sees line by line what was added and removed.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ettervern.catalogue.models import GENERIC_PROVIDER
from ettervern.core.dates import display_date
from ettervern.planning.plan.models import (
    PLAN_TEXT_FIELDS,
    Measure,
    Plan,
    PlanSection,
    SectionType,
)

# What each of the plan's texts is called on the pages, the PDF and in a difference.
TEXT_LABELS: dict[str, Any] = {
    "goals": gettext_lazy("Goals, in the patient's own words"),
    "resources": gettext_lazy("Resources"),
    "needs": gettext_lazy("Needs"),
    "patient_contribution": gettext_lazy("What the patient contributes"),
    "services_contribution": gettext_lazy("What the services contribute"),
    "next_of_kin_contribution": gettext_lazy("What next of kin contribute"),
    "participants": gettext_lazy("Others who take part"),
}

# What a save was, by PlanVersion.kind.
KINDS: dict[str, Any] = {
    "plan.created": gettext_lazy("Plan created"),
    "plan.updated": gettext_lazy("Plan details changed"),
    "plan.section_updated": gettext_lazy("Goals of a section changed"),
    "plan.measure_added": gettext_lazy("Measure added"),
    "plan.measure_updated": gettext_lazy("Measure changed"),
}


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def measure_snapshot(measure: Measure) -> dict[str, Any]:
    offer = measure.offer
    return {"id": str(measure.public_id), "description": measure.description,
            # The offer as it was named when saved: its name, level and providing organisation
            # ("" for a generic offer, which the reader's language names).
            "offer": {"id": str(offer.public_id), "name": offer.name, "level": offer.level,
                      "organisation": offer.organisation.name if offer.organisation else ""}
            if offer is not None else None,
            "responsible": measure.responsible.name, "service": measure.responsible_service,
            "start": _iso(measure.start_on), "end": _iso(measure.end_on),
            "status": measure.status}


def take(plan: Plan, sections: list[PlanSection], measures: list[Measure]) -> dict[str, Any]:
    """The whole plan as plain values (sections and measures as loaded by the caller)."""
    by_section: dict[int, list[Measure]] = {}
    for measure in measures:
        by_section.setdefault(measure.section_id, []).append(measure)
    return {
        "coordinator": plan.coordinator.name if plan.coordinator else "",
        "period_start": _iso(plan.period_start), "period_end": _iso(plan.period_end),
        "next_revision_on": _iso(plan.next_revision_on),
        "texts": {name: getattr(plan, name) for name in PLAN_TEXT_FIELDS},
        "sections": [{"key": s.section_type.key, "goals": s.goals,
                      "measures": [measure_snapshot(m) for m in by_section.get(s.pk, [])]}
                     for s in sections],
    }


def _date(value: str) -> str:
    return display_date(dt.date.fromisoformat(value)) if value else "–"


def _status(value: str) -> str:
    return str(Measure.Status(value).label) if value in Measure.Status.values else value


def _what(measure: dict[str, Any]) -> str:
    """A measure's text and its offer (snapshots before offers have none)."""
    offer = measure.get("offer")
    if not offer:
        return str(measure["description"])
    provider = offer["organisation"] or str(GENERIC_PROVIDER.get(offer["level"], ""))
    named = _("Offer: %(name)s (%(provider)s)") % {"name": offer["name"], "provider": provider}
    return f"{measure['description']} – {named}" if measure["description"] else named


def lines(snapshot: dict[str, Any], titles: dict[str, str]) -> list[str]:
    """The snapshot as labelled lines, one fact or one line of text each."""
    out = [f"{_('Coordinator')}: {snapshot.get('coordinator') or '–'}",
           f"{_('Plan period')}: {_date(snapshot.get('period_start', ''))} – "
           f"{_date(snapshot.get('period_end', ''))}",
           f"{_('Next revision')}: {_date(snapshot.get('next_revision_on', ''))}"]
    for name, label in TEXT_LABELS.items():
        text = snapshot.get("texts", {}).get(name, "")
        out += [f"{label}: {line}" for line in text.splitlines() if line.strip()]
    for section in snapshot.get("sections", []):
        title = titles.get(section["key"], section["key"])
        out.append(f"[{title}]")
        out += [f"{title} – {_('Goals')}: {line}"
                for line in section.get("goals", "").splitlines() if line.strip()]
        for m in section.get("measures", []):
            out.append(f"{title} – {_('Measure')}: {_what(m)} ({m['responsible']}, "
                       f"{m['service']}; {_date(m['start'])} – {_date(m['end'])}; "
                       f"{_status(m['status'])})")
    return out


@dataclass
class DiffLine:
    op: str  # "same", "added" or "removed"
    text: str


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[DiffLine]:
    titles = {t.key: t.title for t in SectionType.objects.all()}
    a, b = lines(old, titles), lines(new, titles)
    result: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            result += [DiffLine("same", line) for line in a[i1:i2]]
            continue
        result += [DiffLine("removed", line) for line in a[i1:i2]]
        result += [DiffLine("added", line) for line in b[j1:j2]]
    return result
