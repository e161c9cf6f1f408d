"""Writing and reading the audit log. Every access decision lands here, allowed or denied."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q, QuerySet

from ettervern.access.models import SEEN_BY_COLUMNS, AuditEvent
from ettervern.core import clock

if TYPE_CHECKING:
    from ettervern.access.policy import Actor, Basis


def _actor_fields(actor: Actor) -> dict[str, Any]:
    name, organisation = actor.identity
    return {
        "actor_id": actor.user.pk,
        "actor_name": name,
        "actor_organisation": organisation,
        "channel": actor.channel,
        "ip": actor.ip,
    }


def _object_fields(obj: object | None) -> dict[str, str]:
    if obj is None:
        return {"object_type": "", "object_id": ""}
    return {
        "object_type": type(obj).__name__,
        "object_id": str(getattr(obj, "public_id", getattr(obj, "pk", ""))),
    }


def build(actor: Actor, *, action: str, patient_id: int | None, obj: object | None = None,
          pathway: object | None = None, pathway_id: int | None = None,
          basis: Basis | None = None, denied_because: str = "") -> AuditEvent:
    if pathway_id is None and pathway is not None:
        pathway_id = getattr(pathway, "pk", None)
    return AuditEvent(
        at=clock.now(),
        patient_id=patient_id,
        pathway_id=pathway_id,
        action=action,
        outcome=AuditEvent.Outcome.DENIED if denied_because else AuditEvent.Outcome.ALLOWED,
        basis=denied_because or (str(basis) if basis else ""),
        **_actor_fields(actor),
        **_object_fields(obj),
    )


def record(actor: Actor, **fields: Any) -> AuditEvent:
    """Write one row now (never held back by `batched`)."""
    event = build(actor, **fields)
    _insert([event])
    return event


# Rows that `batched` holds back to write in one INSERT when its block ends.
_HELD: ContextVar[list[AuditEvent] | None] = ContextVar("ettervern_audit_held", default=None)
_INSERT_FIELDS = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
_INSERT_CHUNK = 500  # rows per statement (SQLite allows 32766 parameters)


def record_many(events: Iterable[AuditEvent]) -> None:
    """Write the rows in one plain INSERT (one round trip; a single statement needs no
    transaction around it), or hold them for the enclosing `batched` block."""
    rows = list(events)
    held = _HELD.get()
    if held is not None:
        held.extend(rows)
    else:
        _insert(rows)


def _insert(rows: list[AuditEvent]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in _INSERT_FIELDS)
    one = "(" + ", ".join(["%s"] * len(_INSERT_FIELDS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _INSERT_CHUNK):
            chunk = rows[start:start + _INSERT_CHUNK]
            params = [f.get_db_prep_save(getattr(row, f.attname), connection)
                      for row in chunk for f in _INSERT_FIELDS]
            cursor.execute(
                f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) "  # noqa: S608
                f"VALUES {', '.join([one] * len(chunk))}", params)


@contextmanager
def batched() -> Iterator[None]:
    """Rows that `record_many` is given inside the block are written together when it ends
    (one INSERT for a page that shows several lists). They are written even if the block
    fails: an access that happened is never left out of the log."""
    if _HELD.get() is not None:  # already inside one: the outer block writes them
        yield
        return
    held: list[AuditEvent] = []
    token = _HELD.set(held)
    try:
        yield
    finally:
        _HELD.reset(token)
        _insert(held)


def for_patient(patient_id: int) -> QuerySet[AuditEvent]:
    """Newest first, for 'who has seen my data' (index audit_patient_at)."""
    return AuditEvent.objects.filter(patient_id=patient_id).order_by("-at", "-id")


def seen_by(patient_id: int, *, limit: int = 50,
            before: tuple[dt.datetime, int] | None = None) -> list[dict[str, Any]]:
    """One page of the patient's access log, newest first: who, from where, when, what, on
    what basis. Keyset paging (`before` = the last row's (at, id)), never OFFSET, and only the
    columns the index holds, so PostgreSQL answers from audit_patient_at alone however long the
    log is (docs/decisions/0016-audit-log-at-scale.md)."""
    rows = for_patient(patient_id)
    if before is not None:
        at, event_id = before
        # `at <= t` bounds the index scan; the OR only sorts out ties on `at`. (The OR alone
        # would be a filter over every one of the patient's rows.)
        rows = rows.filter(at__lte=at).filter(Q(at__lt=at) | Q(id__lt=event_id))
    return list(rows.values("id", "at", *SEEN_BY_COLUMNS)[:limit])
