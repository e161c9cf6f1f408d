"""Reads of the patient's rights over access, shared by pages and the API: the patient's
access log (who has looked at my data), their blocks, emergency accesses for the patient, the
coordinator and the unit's follow-up, and the pathway page's notices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, Q, QuerySet
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from ettervern.access import audit
from ettervern.access.models import AuditEvent
from ettervern.access.policy import HANDOVER, Actor, Basis, require_staff
from ettervern.core import clock, sqlrows
from ettervern.core.errors import InvalidInput, NotFound
from ettervern.directory.models import Staff, Unit
from ettervern.directory.selectors import standing
from ettervern.pathways.models import CareTeamMember, Pathway
from ettervern.pathways.notices import Notice
from ettervern.patients.models import Patient
from ettervern.rights import plain
from ettervern.rights.models import Block, EmergencyAccess
from ettervern.rights.services import is_uuid, patient_of

# How long the patient's first page and the coordinator's pathway page show an emergency access.
EMERGENCY_NOTICE_DAYS = 30
ACCESS_LOG_PAGE = 50          # entries on a page of the access log
ACCESS_LOG_READ = 200         # audit rows read at most for one page (lists fold many into one)
UNIT_PAGE = 50


# --- the pathway page's notices ----------------------------------------------------------------

# One query for both notices: whether the patient has an active block (any), and the recent
# emergency accesses to this pathway when the viewer keeps the pathway.
_NOTICES_SQL = (
    "SELECT 'block', '', '', NULL, NULL, '' WHERE EXISTS (SELECT 1 FROM rights_block "
    "WHERE patient_id = %s AND lifted_at IS NULL)")
_EMERGENCY_NOTICES_SQL = (
    " UNION ALL SELECT 'emergency', s.name, u.name, e.opened_at, e.expires_at, e.reason "
    "FROM rights_emergencyaccess e JOIN directory_staff s ON s.id = e.staff_id "
    "JOIN directory_unit u ON u.id = e.unit_id WHERE e.pathway_id = %s AND e.opened_at >= %s")
_AT = DateTimeField()


def pathway_notices(actor: Actor, pathway: Pathway, allowed: frozenset[str]) -> list[Notice]:
    """Staff are told that a block exists (not by whom or why); those who keep the pathway (the
    coordinator and the coordinating clinic) are told of emergency accesses at once. One
    query."""
    if standing(actor.user, fresh=False).staff_id is None:
        return []
    sql = _NOTICES_SQL
    params: list[Any] = [pathway.patient_id]
    if HANDOVER in allowed:
        since = clock.now() - dt.timedelta(days=EMERGENCY_NOTICE_DAYS)
        sql += _EMERGENCY_NOTICES_SQL
        params += [pathway.pk, since]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    notices: list[Notice] = []
    if any(row[0] == "block" for row in rows):
        notices.append(Notice(
            title=_("The patient has blocked named persons"),
            lines=(_("Some staff may not see this pathway at the patient's request. Who and "
                     "why is not shown."),)))
    accesses = sorted(
        ((sqlrows.convert(_AT, opened), sqlrows.convert(_AT, expires), name, unit, reason)
         for kind, name, unit, opened, expires, reason in rows if kind == "emergency"),
        reverse=True)[:10]
    if accesses:
        notices.append(Notice(title=_("Emergency access to this pathway"), level="warning",
                              lines=tuple(
            _("%(name)s (%(unit)s) opened emergency access %(at)s, until %(until)s. Reason: "
              "%(reason)s") % {"name": name, "unit": unit,
                               "at": localtime(opened).strftime("%d.%m.%Y %H:%M"),
                               "until": localtime(expires).strftime("%d.%m.%Y %H:%M"),
                               "reason": reason}
            for opened, expires, name, unit, reason in accesses)))
    return notices


# The emergency accesses to open pathways the reader coordinates, for the top of their worklist.
_WORKLIST_EMERGENCY_SQL = (
    "SELECT e.opened_at, s.name, u.name, e.reason, p.id, p.patient_id, p.public_id, "
    "pt.given_name, pt.family_name FROM rights_emergencyaccess e "
    "JOIN pathways_pathway p ON p.id = e.pathway_id "
    "JOIN patients_patient pt ON pt.id = p.patient_id "
    "JOIN directory_staff s ON s.id = e.staff_id JOIN directory_unit u ON u.id = e.unit_id "
    "WHERE p.coordinator_id = %s AND p.closed_at IS NULL AND e.opened_at >= %s "
    "ORDER BY e.opened_at DESC, e.id DESC LIMIT 10")


def worklist_notices(actor: Actor) -> list[Notice]:
    """The coordinator is told at once, at the top of their worklist, of emergency accesses to
    the pathways they coordinate (each patient named is an audited list read). One query."""
    me = standing(actor.user, fresh=False)
    if me.staff_id is None:
        return []
    since = connection.ops.adapt_datetimefield_value(
        clock.now() - dt.timedelta(days=EMERGENCY_NOTICE_DAYS))
    rows = sqlrows.fetch(_WORKLIST_EMERGENCY_SQL, [me.staff_id, since])
    if not rows:
        return []
    audit.record_many(
        audit.build(actor, action="pathway.list", patient_id=patient_id, pathway_id=pathway_id,
                    basis=Basis("coordinator"))
        for _at, _name, _unit, _reason, pathway_id, patient_id, _public, _given, _family in rows)
    return [Notice(title=_("Emergency access to your patients"), level="warning", lines=tuple(
        _("%(patient)s: %(name)s (%(unit)s) opened emergency access %(at)s. Reason: %(reason)s")
        % {"patient": f"{given} {family}", "name": name, "unit": unit, "reason": reason,
           "at": localtime(sqlrows.convert(_AT, opened)).strftime("%d.%m.%Y %H:%M")}
        for opened, name, unit, reason, _p, _pt, _public, given, family in rows))]


# --- emergency access -------------------------------------------------------------------------

def emergency_accesses_for_patient(patient: Patient) -> list[EmergencyAccess]:
    """The emergency accesses to the patient's pathways in the last EMERGENCY_NOTICE_DAYS days,
    newest first, for the patient's first page (template rights/_emergency_notice.html)."""
    since = clock.now() - dt.timedelta(days=EMERGENCY_NOTICE_DAYS)
    return list(EmergencyAccess.objects.filter(patient=patient, opened_at__gte=since)
                .select_related("staff", "unit__organisation").order_by("-opened_at", "-id")[:10])


def emergency_card(page: Any) -> dict[str, Any] | None:
    """The portal's card (portal/sections.py): the patient's own recent emergency accesses, or
    nothing (a next of kin or trust person is not shown them)."""
    if page.basis.role != "patient":
        return None
    accesses = emergency_accesses_for_patient(page.pathway.patient)
    return {"emergency_accesses": accesses} if accesses else None


def emergency_units(actor: Actor) -> QuerySet[Unit]:
    """The units whose emergency accesses the actor may follow up: those they lead
    (Unit.leaders)."""
    require_staff(actor, "emergency.review")
    staff_id = standing(actor.user).staff_id
    return Unit.objects.filter(leaders=staff_id).order_by("name", "id")


def emergency_list_for_unit(*, actor: Actor, unit: Unit | Any,
                            before: Any = None) -> list[EmergencyAccess]:
    """The unit's emergency accesses, newest first, for the unit leader's follow-up; `before`
    is the id of the last one of the previous page (keyset on opened_at, id). For the unit's
    leaders only; each patient shown is audited as a list read."""
    require_staff(actor, "emergency.review")
    me = standing(actor.user, fresh=False)
    unit_id = unit.pk if isinstance(unit, Unit) else (Unit.objects.filter(
        public_id=unit).values_list("pk", flat=True).first() if is_uuid(unit) else None)
    if unit_id is None or not Unit.leaders.through.objects.filter(
            unit_id=unit_id, staff_id=me.staff_id).exists():
        audit.record(actor, action="emergency.review", patient_id=None,
                     denied_because="not a leader of the unit")
        raise NotFound(_("Not found, or you have no access to it."))
    rows = (EmergencyAccess.objects.filter(unit_id=unit_id)
            .select_related("staff", "unit", "patient", "pathway").order_by("-opened_at", "-id"))
    if before:
        last = (EmergencyAccess.objects.filter(unit_id=unit_id, public_id=before)
                .values_list("opened_at", "id").first() if is_uuid(before) else None)
        if last is None:
            raise InvalidInput(_("This page link is not valid. Start from the first page."),
                               field="before")
        rows = rows.filter(opened_at__lte=last[0]).filter(
            Q(opened_at__lt=last[0]) | Q(id__lt=last[1]))
    found = list(rows[:UNIT_PAGE])
    audit.record_many(
        audit.build(actor, action="emergency.review", patient_id=e.patient_id, obj=e,
                    pathway_id=e.pathway_id, basis=Basis("unit:emergency-review"))
        for e in found)
    return found


# --- blocks -----------------------------------------------------------------------------------

def block_list(*, actor: Actor) -> list[Block]:
    """The patient's blocks, active first, then lifted ones (their history)."""
    patient = patient_of(actor)
    return list(Block.objects.filter(patient=patient).select_related("staff")
                .order_by("lifted_at", "-created_at", "-id")[:100])


def block_candidates(*, actor: Actor) -> list[Staff]:
    """The people the patient can name in a block: those on their care teams and at the units
    that work with their pathways, except their coordinators (who cannot be blocked) and those
    already blocked."""
    patient = patient_of(actor)
    pathways = Pathway.objects.filter(patient=patient)
    coordinators = pathways.filter(closed_at__isnull=True).values("coordinator_id")
    units = (set(pathways.values_list("coordinating_unit_id", flat=True))
             | set(pathways.values_list("stays__unit_id", flat=True))) - {None}
    blocked = Block.objects.filter(patient=patient, lifted_at__isnull=True).values("staff_id")
    return list(Staff.objects.filter(
        Q(pk__in=CareTeamMember.objects.filter(pathway__in=pathways).values("staff_id"))
        | Q(units__in=units)).exclude(pk__in=coordinators).exclude(pk__in=blocked)
        .exclude(user_id=actor.user_pk).distinct().order_by("name", "id")[:200])


# --- who has looked at my data -----------------------------------------------------------------

@dataclass
class LogEntry:
    """One line of the access log: one access, or a run of list views folded into one."""

    at: dt.datetime
    person: str
    organisation: str
    what: str
    basis: str
    role: str
    allowed: bool
    emergency: bool = False
    count: int = 1
    first_at: dt.datetime | None = None  # the earliest of a folded run
    channel: str = ""


@dataclass
class AccessLog:
    entries: list[LogEntry]
    # The keyset of the next page: the (at, id) of the last audit row this page used.
    next_before: tuple[dt.datetime, int] | None
    patient: Patient | None = None
    emergency_reasons: dict[str, str] = field(default_factory=dict)

    @property
    def next_cursor(self) -> str:
        return encode_cursor(self.next_before) if self.next_before else ""


def encode_cursor(before: tuple[dt.datetime, int]) -> str:
    at, event_id = before
    return f"{at.timestamp():.6f}_{event_id}"


def decode_cursor(raw: str | None) -> tuple[dt.datetime, int] | None:
    if not raw:
        return None
    try:
        stamp, event_id = raw.split("_", 1)
        at = dt.datetime.fromtimestamp(float(stamp), tz=dt.UTC)
        return at, int(event_id)
    except (ValueError, OverflowError, OSError):
        raise InvalidInput(_("This page link is not valid. Start from the first page."),
                           field="before") from None


def _folds(row: dict[str, Any], entry: LogEntry | None, key: tuple[str, str] | None) -> bool:
    return (entry is not None and key is not None and row["action"] == "pathway.list"
            and row["outcome"] == AuditEvent.Outcome.ALLOWED
            and (row["actor_name"], row["actor_organisation"]) == key)


def access_log_for(patient_id: int, *, before: tuple[dt.datetime, int] | None = None,
                   page_size: int = ACCESS_LOG_PAGE) -> AccessLog:
    """A page of the patient's access log, newest first: each access as a line in plain
    words; a run of list views by one person folded into one line. One index-only read of at
    most ACCESS_LOG_READ audit rows (access.audit.seen_by), and one more query only when the
    page shows an emergency access (for its reason)."""
    rows = audit.seen_by(patient_id, limit=ACCESS_LOG_READ + 1, before=before)
    more = len(rows) > ACCESS_LOG_READ
    rows = rows[:ACCESS_LOG_READ]
    entries: list[LogEntry] = []
    last: dict[str, Any] | None = None
    key: tuple[str, str] | None = None
    used = 0
    for row in rows:
        entry = entries[-1] if entries else None
        if _folds(row, entry, key) and entry is not None:
            entry.count += 1
            entry.first_at = row["at"]
            last, used = row, used + 1
            continue
        if len(entries) == page_size:
            more = True
            break
        entries.append(_entry(row))
        key = ((row["actor_name"], row["actor_organisation"])
               if row["action"] == "pathway.list" and row["outcome"] == "allowed" else None)
        last, used = row, used + 1
    if used < len(rows):
        more = True
    reasons = _emergency_reasons(entries)
    for entry in entries:
        if entry.emergency:
            entry.basis = reasons.get(entry.basis, plain.emergency_basis(""))
    next_before = (last["at"], last["id"]) if more and last is not None else None
    return AccessLog(entries=entries, next_before=next_before)


def _entry(row: dict[str, Any]) -> LogEntry:
    basis: str = row["basis"] or ""
    role, _space, detail = basis.partition(" ")
    allowed = row["outcome"] == AuditEvent.Outcome.ALLOWED
    return LogEntry(
        at=row["at"], first_at=row["at"], person=row["actor_name"],
        organisation=row["actor_organisation"], what=plain.action(row["action"]),
        role=plain.role(role) if allowed else "",
        basis=(f"emergency:{detail}" if role == "emergency" and allowed
               else plain.basis(role, allowed=allowed)),
        allowed=allowed, emergency=role == "emergency", channel=row["channel"])


def _emergency_reasons(entries: list[LogEntry]) -> dict[str, str]:
    ids = {int(e.basis.split(":", 1)[1]) for e in entries
           if e.emergency and e.basis.startswith("emergency:") and e.basis[10:].isdigit()}
    if not ids:
        return {}
    return {f"emergency:{pk}": plain.emergency_basis(reason)
            for pk, reason in EmergencyAccess.objects.filter(pk__in=ids)
            .values_list("pk", "reason")}


def access_log(*, actor: Actor, before: str | None = None) -> AccessLog:
    """The signed-in patient's own access log (pasientjournalloven § 18). Only the patient
    reads it, and their reading it is not written to it: a line "you read this list" at the
    top of every page would tell them nothing (docs/decisions/0020)."""
    patient = patient_of(actor)
    log = access_log_for(patient.pk, before=decode_cursor(before))
    log.patient = patient
    return log
