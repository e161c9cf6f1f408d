"""Reads of messages and notifications that the pages and the API share.

A thread is read under its action: MESSAGE_TEAM for the team's, MESSAGE_PATIENT for the one
with the patient (access.policy). A refusal is audited by `require` and answered "not found",
whoever asks: a thread is a read, and a read one may not make tells nothing (the policy would
say 403 to someone who may see the pathway, since the message actions are not among its
READ_ACTIONS).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ettervern.access import audit
from ettervern.access.policy import (
    MESSAGE_PATIENT,
    MESSAGE_TEAM,
    PERMISSIONS,
    Actor,
    Basis,
    permitted,
    require,
)
from ettervern.core.errors import Forbidden, NotFound
from ettervern.messaging.models import Message, Notification, Thread, ThreadRead
from ettervern.pathways.models import Pathway
from ettervern.pathways.selectors import pathway_lookup
from ettervern.pathways.team import accessible_pathways, bases_by_pathway

MESSAGES_PAGE = 30
INBOX_PAGE = 25
NOTIFICATIONS_PAGE = 30

ACTION = {Thread.Kind.TEAM: MESSAGE_TEAM, Thread.Kind.PATIENT: MESSAGE_PATIENT}
# The roles that reach each kind of thread, for the inbox's query (from the one policy).
ROLES = {kind: [role for role, actions in PERMISSIONS.items() if action in actions]
         for kind, action in ACTION.items()}


def kind_of(value: str) -> Thread.Kind:
    if value not in Thread.Kind.values:
        raise NotFound(_("Not found, or you have no access to it."))
    return Thread.Kind(value)


def require_thread(actor: Actor, pathway: Pathway, kind: str) -> Basis:
    """The basis on which the actor may read and write the thread (audited), or not found."""
    try:
        return require(actor, pathway, ACTION[kind_of(kind)])
    except Forbidden as refused:
        raise NotFound(_("Not found, or you have no access to it.")) from refused


def kinds_allowed(bases: Iterable[Basis]) -> list[Thread.Kind]:
    """The threads these bases may read, team first."""
    listed = list(bases)
    return [kind for kind in Thread.Kind if permitted(listed, ACTION[kind]) is not None]


def _unread_filter(user_id: int) -> Q:
    """The messages of a thread a user has not read: newer than their marker, not their own."""
    marker = ThreadRead.objects.filter(thread=OuterRef("pk"), user_id=user_id).values(
        "last_read_id")[:1]
    return Q(messages__id__gt=Coalesce(Subquery(marker, output_field=IntegerField()),
                                       Value(0))) & ~Q(messages__author_id=user_id)


def with_unread(threads: QuerySet[Thread], user_id: int) -> QuerySet[Thread]:
    return threads.annotate(unread=Count("messages", filter=_unread_filter(user_id)))


@dataclass
class ThreadView:
    kind: Thread.Kind
    thread: Thread | None
    page: Page
    unread: int = 0

    @property
    def label(self) -> str:
        return str(self.kind.label)


@dataclass
class PathwayThreads:
    pathway: Pathway
    basis: Basis
    threads: list[ThreadView] = field(default_factory=list)


def _messages_page(thread: Thread | None, page: int) -> Page:
    rows: Any = (Message.objects.filter(thread=thread).order_by("-at", "-id")
                 if thread is not None else Message.objects.none())
    return Paginator(rows, MESSAGES_PAGE).get_page(page)


def pathway_threads(*, actor: Actor, public_id: Any, kinds: Iterable[str] | None = None,
                    page: int = 1) -> PathwayThreads:
    """The pathway's threads the actor may read (both, one, or not found), each with its
    newest messages (page 1 = the newest) and the actor's unread count. Audited per thread."""
    pathway = pathway_lookup(public_id)
    bases = pathway.access_bases(actor.user)  # type: ignore[arg-type]
    allowed = kinds_allowed(bases)
    wanted = [kind_of(k) for k in kinds] if kinds is not None else allowed
    if not wanted or not allowed:
        # Nothing to read here: the refusal of the patient's thread is the audited one.
        require_thread(actor, pathway, Thread.Kind.PATIENT)
    basis = None
    for kind in wanted:
        basis = require_thread(actor, pathway, kind)
    assert basis is not None
    found = {t.kind: t for t in with_unread(Thread.objects.filter(pathway=pathway,
                                                                   kind__in=wanted),
                                            actor.user_pk)}
    views = []
    for kind in wanted:
        thread = found.get(kind)
        views.append(ThreadView(kind=kind, thread=thread, page=_messages_page(thread, page),
                                unread=getattr(thread, "unread", 0) if thread else 0))
    return PathwayThreads(pathway=pathway, basis=basis, threads=views)


def patient_pathway_id(actor: Actor) -> Any:
    """The signed-in patient's current pathway (the open one opened last, else the last one),
    as its public id; not found for anyone who is not a patient with a pathway."""
    found = (Pathway.objects.filter(patient__user_id=actor.user_pk)
             .order_by(F("closed_at").desc(nulls_first=True), "-opened_at", "-id")
             .values_list("public_id", flat=True).first())
    if found is None:
        raise NotFound(_("You have no pathway in Ettervern yet."))
    return found


def inbox(*, actor: Actor, page: int = 1) -> Page:
    """My threads with messages, newest first, each with its pathway (and patient) and my
    unread count. The threads are those of the pathways where my roles may read that kind
    of thread; each pathway on the page is audited as a list read (one INSERT)."""
    user: Any = actor.user
    reach = Q()
    for kind in Thread.Kind:
        reach |= Q(kind=kind, pathway__in=accessible_pathways(user, roles=ROLES[kind]))
    threads = with_unread(
        Thread.objects.filter(reach, last_message_at__isnull=False)
        .select_related("pathway__patient"), actor.user_pk).order_by("-last_message_at", "-id")
    current = Paginator(threads, INBOX_PAGE).get_page(page)
    pathways = {t.pathway_id: t.pathway for t in current.object_list}
    bases = bases_by_pathway(user, list(pathways.values()))
    audit.record_many(
        audit.build(actor, action="message.list", patient_id=p.patient_id, obj=p, pathway=p,
                    basis=bases.get(p.pk))
        for p in pathways.values())
    return current


def unread_threads(user_id: int, thread_ids: Iterable[int]) -> dict[int, int]:
    """Unread counts of given threads (the portal card)."""
    return {t.pk: t.unread  # type: ignore[attr-defined]
            for t in with_unread(Thread.objects.filter(pk__in=list(thread_ids)), user_id)}


def last_contact(pathway_ids: Iterable[int]) -> dict[int, dict[str, dt.datetime]]:
    """Per pathway (internal id) and per service of the author (Message.Service values:
    "outpatient", "residential", "municipal", "nav", "gp", "patient", "other"), the time of the
    newest message in either thread. One query. The caller has decided the reader may see the
    pathways (e.g. the team overview, under OVERVIEW_VIEW); no text leaves here."""
    ids = list(pathway_ids)
    result: dict[int, dict[str, dt.datetime]] = {pk: {} for pk in ids}
    if not ids:
        return result
    rows = (Message.objects.filter(thread__pathway_id__in=ids)
            .values_list("thread__pathway_id", "service").annotate(last=Max("at"))
            .order_by())
    for pathway_id, service, last in rows:
        result[pathway_id][service] = last
    return result


# --- notifications -------------------------------------------------------------------------

def unread_notifications(user_id: int) -> int:
    """The badge in the menu: one COUNT on a partial index."""
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()


def notification_list(*, actor: Actor, page: int = 1, unread_only: bool = False) -> Page:
    """My notifications, newest first. They are mine: written for me, with a text fit for me;
    what they link to is read under the policy when opened."""
    rows = Notification.objects.filter(user_id=actor.user_pk).order_by("-created_at", "-id")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return Paginator(rows, NOTIFICATIONS_PAGE).get_page(page)
