"""The patient's access log ("who has looked at my data"): its page and its endpoint, read by
the patient of the typical coordinator's busiest pathway, whose log holds at least 10 000
audit rows (in a table of millions at the 50k and national scales).

The patient gets a login (a session and a bearer token, as the coordinators do) and, once,
the audit rows that make up 10 000: reads and runs of worklist rows by the care team, spread
over the last two years, written in bulk as the app writes them (access.audit.record_many)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from bench.cases import Case, Context, Streams, add, headers_for
from bench.users import BenchUser, sign_in

AUDIT_ROWS = 10_000
PATIENT = "patient"


def ensure_patient(ctx: Context) -> BenchUser:
    """The patient of `ctx.pathway`, signed in, with AUDIT_ROWS audit rows (once)."""
    if PATIENT in ctx.users:
        return ctx.users[PATIENT]
    from django.contrib.auth import get_user_model

    from ettervern.pathways.models import Pathway

    pathway = Pathway.objects.select_related("patient").get(public_id=ctx.pathway)
    patient = pathway.patient
    if patient.user_id is None:
        user, _created = get_user_model().objects.get_or_create(
            username=f"bench-pasient-{patient.pk}")
        patient.user = user
        patient.save(update_fields=["user"])
    _top_up(pathway)
    assert patient.user is not None
    who = BenchUser(role=PATIENT, username=patient.user.get_username(),
                    user_id=patient.user.pk, staff_id=0, caseload=0)
    sign_in(who)
    ctx.users[PATIENT] = who
    return who


def _top_up(pathway: Any) -> None:
    from ettervern.access import audit
    from ettervern.access.models import AuditEvent
    from ettervern.core import clock

    have = AuditEvent.objects.filter(patient_id=pathway.patient_id).count()
    missing = AUDIT_ROWS - have
    if missing <= 0:
        return
    rng = random.Random(f"bench-access-log-{pathway.pk}")
    people = [("Koordinator " + str(n), "Helseforetaket") for n in range(3)] + [
        ("Kontaktperson kommunen", "Kommunen"), ("Fastlege", "Legekontoret")]
    now = clock.now()
    rows: list[AuditEvent] = []
    while len(rows) < missing:
        at = now - dt.timedelta(seconds=rng.randint(600, 2 * 365 * 86400))
        name, organisation = rng.choice(people)
        listed = rng.random() < 0.4
        for step in range(rng.randint(2, 6) if listed else 1):
            rows.append(AuditEvent(
                at=at + dt.timedelta(seconds=step * 90), patient_id=pathway.patient_id,
                pathway_id=pathway.pk, action="pathway.list" if listed else "pathway.view",
                outcome="allowed", basis="coordinator", channel="web", actor_name=name,
                actor_organisation=organisation, object_type="Pathway",
                object_id=str(pathway.public_id)))
    audit.record_many(rows[:missing])


def _get(path: str, kind: str) -> Any:
    def build(ctx: Context) -> Streams:
        ensure_patient(ctx)
        return [[{"method": "GET", "path": path, "headers": headers_for(ctx, kind, PATIENT)}]]
    return build


def _patient(ctx: Context) -> dict[str, Any]:
    from ettervern.pathways.models import Pathway

    return {"patient": Pathway.objects.values_list("patient_id", flat=True).get(
        public_id=ctx.pathway)}


add(Case("access_log_page", "GET /meg/innsyn/ (patient, 10 000 audit rows)", "page", PATIENT,
         _get("/meg/innsyn/", "page"), raw="access_log", raw_params=_patient,
         what="who has looked at my data: the newest 50 entries, list views folded"))
add(Case("access_log_api", "GET /api/me/access-log (patient, 10 000 audit rows)", "api",
         PATIENT, _get("/api/me/access-log", "api"), raw="access_log", raw_params=_patient,
         what="the same, as JSON"))
