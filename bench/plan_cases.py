"""The individual plan's cases: its page, and a save, on plans with 30 versions or more.

The seeded data has no plans, so the first build of a case writes them through the services,
as each pathway's coordinator (30 saves each; once, as they stay run after run). A save carries
the plan's version, so a stream is the run of versions from the current one upwards: one
stream per plan, sent in order by one worker, every save succeeds (a stale version would be a
409, not a save)."""

from __future__ import annotations

from typing import Any

from bench.cases import Case, Context, Streams, add, headers_for

VERSIONS = 30
# More saves per stream than a run sends to it (requests are bounded by count and time).
STREAM_LENGTH = 5000


def ensure_plan(public_id: str, versions: int = VERSIONS) -> int:
    """The plan of the pathway `public_id`, with at least `versions` versions: its version."""
    from ettervern.access.policy import Actor
    from ettervern.pathways.models import Pathway
    from ettervern.planning.plan import services
    from ettervern.planning.plan.models import Plan

    pathway = Pathway.objects.select_related("coordinator__user").get(public_id=public_id)
    assert pathway.coordinator is not None
    actor = Actor(user=pathway.coordinator.user, channel="cli")
    plan = Plan.objects.filter(pathway=pathway).first()
    if plan is None:
        plan = services.plan_create(actor=actor, pathway=pathway)
    sections = ["housing", "finances", "networks", "municipal_followup"]
    while plan.version < versions:
        plan.pathway = pathway
        services.section_update(actor=actor, plan=plan, section=sections[plan.version % 4],
                                expected_version=plan.version,
                                goals=f"Mål skrevet i lagring {plan.version + 1}.")
        plan = Plan.objects.get(pk=plan.pk)
    return plan.version


def _page(ctx: Context) -> Streams:
    ensure_plan(ctx.pathway)
    return [[{"method": "GET", "path": f"/forlop/{ctx.pathway}/plan/",
              "headers": headers_for(ctx, "page", "typical")}]]


def _saves(ctx: Context) -> Streams:
    headers = headers_for(ctx, "api", "large")
    streams: Streams = []
    for public_id in ctx.write_pool:
        start = ensure_plan(public_id)
        path = f"/api/pathways/{public_id}/plan/sections/housing"
        streams.append([{"method": "PATCH", "path": path, "headers": headers,
                         "body": {"version": v, "goals": f"Egen leilighet (lagring {v + 1})."}}
                        for v in range(start, start + STREAM_LENGTH)])
    return streams


def _pathway(ctx: Context) -> dict[str, Any]:
    return {"pathway": ctx.pathway}


add(Case("plan_page", "GET /forlop/{id}/plan/ (typical, 30 versions)", "page", "typical",
         _page, what="the individual plan's editor: sections, measures, comments, the team"))
add(Case("plan_save_api", "PATCH /api/pathways/{id}/plan/sections/housing (large)", "write",
         "large", _saves,
         what="a save of a section's goals on a plan of 30+ versions: lock, version, snapshot "
              "of the whole plan, event and audit rows, and the plan read back"))
