"""The portal's own sections (portal/sections.py explains how others add theirs)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef

from ettervern.access.policy import (
    CONSENT_VIEW,
    CRISIS_VIEW,
    MAPPING_VIEW,
    PLAN_VIEW,
    WHAT_MATTERS_EDIT,
)
from ettervern.core import clock
from ettervern.patients.models import Consent, WhatMatters
from ettervern.planning.mapping.models import Assessment, MappingRound
from ettervern.planning.plan.models import Plan
from ettervern.portal.sections import PortalPage, Section, register

# The path of the access log ("who has looked at my data"), built by another change.
ACCESS_LOG_PATH = "/meg/innsyn/"


def next_step(page: PortalPage) -> dict[str, Any]:
    """The next planned stay or phase step (meetings will add theirs when they exist)."""
    today = clock.today()
    stays = page.detail.stays
    planned = [s for s in stays if s.status == "planned" and s.planned_start >= today]
    ongoing = next((s for s in stays if s.status == "ongoing"), None)
    return {"next_stay": min(planned, key=lambda s: s.planned_start) if planned else None,
            "ongoing": ongoing}


def plan(page: PortalPage) -> dict[str, Any] | None:
    if PLAN_VIEW not in page.allowed:
        return None
    found = (Plan.objects.filter(pathway=page.pathway)
             .only("id", "version", "seen_version", "agreed_version").first())
    return {"plan": found}


def crisis_plan(page: PortalPage) -> dict[str, Any] | None:
    return {} if CRISIS_VIEW in page.allowed else None


def mapping(page: PortalPage) -> dict[str, Any] | None:
    if MAPPING_VIEW not in page.allowed:
        return None
    own = Assessment.objects.filter(round=OuterRef("pk"), source=Assessment.Source.PATIENT)
    latest = (MappingRound.objects.filter(pathway=page.pathway).annotate(answered=Exists(own))
              .order_by("-on", "-id").first())
    return {"latest": latest}


def coordinator(page: PortalPage) -> dict[str, Any]:
    return {"coordinator": page.pathway.coordinator, "unit": page.pathway.coordinating_unit}


def what_matters(page: PortalPage) -> dict[str, Any] | None:
    if WHAT_MATTERS_EDIT not in page.allowed:
        return None
    return {"matters": WhatMatters.objects.filter(patient_id=page.pathway.patient_id).first()}


def consents(page: PortalPage) -> dict[str, Any] | None:
    if CONSENT_VIEW not in page.allowed:
        return None
    today = clock.today()
    active = [c for c in Consent.objects.filter(patient_id=page.pathway.patient_id,
                                                withdrawn_at__isnull=True)
              .select_related("next_of_kin") if c.is_active_on(today)]
    people = sorted({c.next_of_kin.name for c in active})
    return {"people": people, "count": len(active)}


def access_log(page: PortalPage) -> dict[str, Any]:
    return {"url": ACCESS_LOG_PATH}


for _section in (
    Section("next_step", 10, "portal/cards/next_step.html", next_step),
    Section("crisis_plan", 20, "portal/cards/crisis_plan.html", crisis_plan),
    Section("plan", 30, "portal/cards/plan.html", plan),
    Section("mapping", 40, "portal/cards/mapping.html", mapping),
    Section("coordinator", 50, "portal/cards/coordinator.html", coordinator),
    Section("what_matters", 60, "portal/cards/what_matters.html", what_matters),
    Section("consents", 70, "portal/cards/consents.html", consents),
    Section("access_log", 90, "portal/cards/access_log.html", access_log),
):
    register(_section)

