"""The messaging endpoints (tag "messages"): a pathway's threads and their messages, writing
and marking read, my inbox, and my notifications with their e-mail preferences.

Each endpoint parses input, builds the Actor, and calls the selector or service the pages
call too; access (and its audit) lives there. A thread one may not read is 404.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from ettervern.access.policy import actor_from_request
from ettervern.api.schemas import ERRORS, In, PageOut, PageQuery, Text, page_fields
from ettervern.messaging import selectors, services
from ettervern.messaging.models import MESSAGE_MAX_LENGTH, Message, Notification, Thread
from ettervern.messaging.notify import KINDS
from ettervern.pathways.selectors import pathway_lookup

router = Router(tags=["messages"])

ThreadKind = Annotated[str, Field(pattern="^(team|patient)$",
                                  description="team: the care team's thread; patient: the "
                                              "thread with the patient")]


# --- schemas -----------------------------------------------------------------------------------

class MessageOut(Schema):
    id: int
    author: str
    service: str = Field(description="The author's service: outpatient, residential, "
                                     "municipal, nav, gp, patient or other")
    at: dt.datetime
    text: str
    mine: bool


class ThreadOut(Schema):
    kind: str
    label: str
    unread: int
    messages: list[MessageOut] = Field(description="Newest first; `page` pages back in time")
    page: int
    pages: int
    total: int


class MessageIn(In):
    text: Annotated[Text, Field(min_length=1, max_length=MESSAGE_MAX_LENGTH)]


class MarkedOut(Schema):
    marked: int = Field(description="How many were unread and are read now")


class InboxItem(Schema):
    pathway_id: uuid.UUID
    patient: str
    kind: str
    label: str
    last_message_at: dt.datetime
    unread: int
    link: str


class InboxPage(PageOut):
    items: list[InboxItem]


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    link: str
    created_at: dt.datetime
    read: bool


class NotificationPage(PageOut):
    unread: int
    items: list[NotificationOut]


class NotificationsQuery(PageQuery):
    unread: bool = False


class MarkReadIn(In):
    ids: list[int] | None = Field(default=None, max_length=500,
                                  description="The notifications to mark; none: all of mine")


class PreferenceOut(Schema):
    kind: str
    label: str
    email: bool


class PreferencesIn(In):
    email: dict[Annotated[str, Field(max_length=40)], bool] = Field(
        description="kind -> whether to also get e-mail (kinds not named keep their choice)")


# --- helpers -----------------------------------------------------------------------------------

def message_out(message: Message, user_id: int) -> MessageOut:
    return MessageOut(id=message.pk, author=message.author_name, service=message.service,
                      at=message.at, text=message.text, mine=message.author_id == user_id)


def notification_out(n: Notification) -> NotificationOut:
    return NotificationOut(id=n.pk, kind=n.kind, text=n.text, link=n.link,
                           created_at=n.created_at, read=n.read_at is not None)


def _thread_out(request: HttpRequest, id: uuid.UUID, kind: str, page: int) -> ThreadOut:
    actor = actor_from_request(request, "api")
    view = selectors.pathway_threads(actor=actor, public_id=id, kinds=[kind],
                                     page=page).threads[0]
    return ThreadOut(kind=view.kind, label=view.label, unread=view.unread,
                     messages=[message_out(m, actor.user_pk) for m in view.page.object_list],
                     **page_fields(view.page))


# --- threads and messages ----------------------------------------------------------------------

@router.get("/pathways/{id}/threads/team", response={200: ThreadOut, **ERRORS},
            summary="The care team's thread")
def pathway_team_thread(request: HttpRequest, id: uuid.UUID,
                        params: Query[PageQuery]) -> ThreadOut:
    """The care team's thread (everyone on the team; not the patient), newest messages first
    (`page` goes back in time), with the caller's unread count. Reading marks nothing read."""
    return _thread_out(request, id, Thread.Kind.TEAM, params.page)


@router.get("/pathways/{id}/threads/patient", response={200: ThreadOut, **ERRORS},
            summary="The thread with the patient")
def pathway_patient_thread(request: HttpRequest, id: uuid.UUID,
                           params: Query[PageQuery]) -> ThreadOut:
    """The thread between the patient and the coordinating clinic (the patient, the
    coordinator, the clinic's staff and the specialist contact), as the team's."""
    return _thread_out(request, id, Thread.Kind.PATIENT, params.page)


@router.post("/pathways/{id}/threads/{kind}/messages", response={201: MessageOut, **ERRORS},
             summary="Write a message")
def post_message(request: HttpRequest, id: uuid.UUID, kind: ThreadKind,
                 payload: MessageIn) -> Status[MessageOut]:
    """Write in the thread; its other people are notified (e-mail says only that there is a
    new message). At most 2000 characters."""
    actor = actor_from_request(request, "api")
    message = services.message_post(actor=actor, pathway=pathway_lookup(id), kind=kind,
                                     text=payload.text)
    return Status(201, message_out(message, actor.user_pk))


@router.post("/pathways/{id}/threads/{kind}/read", response={200: MarkedOut, **ERRORS},
             summary="Mark a thread read")
def mark_thread_read(request: HttpRequest, id: uuid.UUID, kind: ThreadKind) -> MarkedOut:
    """The caller has read the thread to its newest message."""
    marked = services.thread_mark_read(actor=actor_from_request(request, "api"),
                                       pathway=pathway_lookup(id), kind=kind)
    return MarkedOut(marked=marked)


@router.get("/messages/inbox", response={200: InboxPage, **ERRORS}, summary="My threads")
def message_inbox(request: HttpRequest, params: Query[PageQuery]) -> InboxPage:
    """The threads of my pathways that have messages, newest first, with my unread counts."""
    found = selectors.inbox(actor=actor_from_request(request, "api"), page=params.page)
    items = []
    for thread in found.object_list:
        assert thread.last_message_at is not None
        items.append(InboxItem(
            pathway_id=thread.pathway.public_id, patient=thread.pathway.patient.full_name,
            kind=thread.kind, label=str(Thread.Kind(thread.kind).label),
            last_message_at=thread.last_message_at, unread=thread.unread,
            link=reverse("messaging:pathway", kwargs={"public_id": thread.pathway.public_id})
            + f"#{thread.kind}"))
    return InboxPage(items=items, **page_fields(found))


# --- notifications -----------------------------------------------------------------------------

@router.get("/notifications", response={200: NotificationPage, **ERRORS},
            summary="My notifications")
def notifications(request: HttpRequest, params: Query[NotificationsQuery]) -> NotificationPage:
    """My notifications, newest first, and how many are unread. Listing marks nothing read."""
    actor = actor_from_request(request, "api")
    found = selectors.notification_list(actor=actor, page=params.page,
                                        unread_only=params.unread)
    return NotificationPage(unread=selectors.unread_notifications(actor.user_pk),
                            items=[notification_out(n) for n in found.object_list],
                            **page_fields(found))


@router.post("/notifications/read", response={200: MarkedOut, **ERRORS},
             summary="Mark notifications read")
def mark_notifications_read(request: HttpRequest, payload: MarkReadIn) -> MarkedOut:
    """The given notifications of mine (or all of them) are read. Ids that are not mine
    change nothing."""
    return MarkedOut(marked=services.notifications_mark_read(
        actor=actor_from_request(request, "api"), ids=payload.ids))


def _preferences_out(chosen: dict[str, bool]) -> list[PreferenceOut]:
    return [PreferenceOut(kind=kind, label=str(KINDS[kind]), email=email)
            for kind, email in chosen.items()]


@router.get("/notifications/preferences", response={200: list[PreferenceOut], **ERRORS},
            summary="My e-mail choices")
def notification_preferences(request: HttpRequest) -> list[PreferenceOut]:
    """Per kind of notification, whether I also get an e-mail (always in the app)."""
    actor = actor_from_request(request, "api")
    return _preferences_out(services.preferences(actor.user_pk))


@router.put("/notifications/preferences", response={200: list[PreferenceOut], **ERRORS},
            summary="Choose e-mail per kind")
def set_notification_preferences(request: HttpRequest,
                                 payload: PreferencesIn) -> list[PreferenceOut]:
    """Choose, per kind, whether to also get an e-mail. An unknown kind is 422."""
    return _preferences_out(services.preferences_set(
        actor=actor_from_request(request, "api"), email=payload.email))
