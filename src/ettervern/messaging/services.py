"""Writes of messages and notifications: one function per use case, each asking the access
policy first (messages) and writing in one transaction.

A new message notifies the thread's other people (kind "message"): in the app with a text fit
for each (staff: who wrote, about which patient; the patient: that the clinic wrote), and by
e-mail for those who chose it, saying only that there is a new message in Ettervern.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from ettervern.access.policy import Actor, Basis, permitted
from ettervern.core import clock
from ettervern.core.errors import InvalidInput
from ettervern.messaging.models import (
    MESSAGE_MAX_LENGTH,
    Message,
    Notification,
    NotificationPreference,
    Thread,
    ThreadRead,
)
from ettervern.messaging.notify import KINDS, notify
from ettervern.messaging.selectors import ACTION, kind_of, require_thread
from ettervern.messaging.transitions import care_team_users
from ettervern.pathways.models import CareTeamMember, Pathway

User = get_user_model()

# The service a message's author writes for, by the basis they write on.
_SERVICE_BY_ROLE = {
    "coordinator": Message.Service.OUTPATIENT,
    "unit:coordinating": Message.Service.OUTPATIENT,
    "unit:treating": Message.Service.RESIDENTIAL,
    "team:municipal_contact": Message.Service.MUNICIPAL,
    "team:nav_contact": Message.Service.NAV,
    "team:gp": Message.Service.GP,
    "patient": Message.Service.PATIENT,
}


def _service(actor: Actor, basis: Basis) -> str:
    """The author's service: from the role they write in, else from their first unit's kind
    (a specialist contact may work at the clinic or at a residential unit)."""
    if basis.role in _SERVICE_BY_ROLE:
        return _SERVICE_BY_ROLE[basis.role]
    kind = getattr(actor._home_unit, "kind", "")
    return str(kind) if kind in Message.Service.values else Message.Service.OTHER


def clean_text(text: Any) -> str:
    value = str(text or "").strip()
    if not value:
        raise InvalidInput(_("Write a message before you send it."), field="text")
    if len(value) > MESSAGE_MAX_LENGTH:
        raise InvalidInput(_("The message is too long: at most %(limit)d characters.")
                           % {"limit": MESSAGE_MAX_LENGTH}, field="text")
    if "\x00" in value:
        raise InvalidInput(_("The message contains a character that cannot be stored."),
                           field="text")
    return value


def thread_people(pathway: Pathway, kind: str) -> list[Any]:
    """Who takes part in a thread and hears of its new messages: for the team's, the
    coordinator and the active care team; for the patient's, the patient, the coordinator and
    the specialist contacts. Besides them, whoever has written in it and still may."""
    if kind == Thread.Kind.TEAM:
        people = care_team_users(pathway)
    else:
        people = list(User.objects.filter(
            staff__team_roles__pathway=pathway, staff__team_roles__ended_at__isnull=True,
            staff__team_roles__role=CareTeamMember.Role.SPECIALIST_CONTACT, is_active=True))
        if pathway.coordinator_id is not None:
            people += list(User.objects.filter(staff__id=pathway.coordinator_id))
        patient_user = User.objects.filter(patient__id=pathway.patient_id).first()
        if patient_user is not None:
            people.append(patient_user)
    known = {u.pk for u in people}
    authors = User.objects.filter(
        pk__in=Message.objects.filter(thread__pathway=pathway, thread__kind=kind)
        .values("author_id").distinct()).exclude(pk__in=known)
    for author in authors:
        if permitted(pathway.access_bases(author), ACTION[kind_of(kind)]) is not None:
            people.append(author)
    return people


def _notify_message(message: Message, thread: Thread, actor: Actor) -> None:
    pathway = thread.pathway
    people = [u for u in thread_people(pathway, thread.kind) if u.pk != actor.user_pk]
    patient_user_id = pathway.patient.user_id
    patients = [u for u in people if u.pk == patient_user_id]
    staff = [u for u in people if u.pk != patient_user_id]
    with override("nb"):
        if staff:
            text = str(_("New message from %(author)s (%(thread)s) – %(patient)s")
                       % {"author": message.author_name, "thread": thread.get_kind_display(),
                          "patient": pathway.patient.full_name})
            notify(users=staff, kind="message", text=text, pathway=pathway,
                   link=reverse("messaging:pathway", kwargs={"public_id": pathway.public_id})
                   + f"#{thread.kind}")
        if patients:
            notify(users=patients, kind="message", pathway=pathway,
                   text=str(_("You have a new message from your clinic.")),
                   link=reverse("messaging:portal"))


def message_post(*, actor: Actor, pathway: Pathway, kind: str, text: str) -> Message:
    """Write a message in the pathway's thread of `kind` (the thread is made on the first)."""
    kind = kind_of(kind)
    basis = require_thread(actor, pathway, kind)
    value = clean_text(text)
    with transaction.atomic():
        thread, _made = Thread.objects.get_or_create(pathway=pathway, kind=kind)
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        now = clock.now()
        message = Message.objects.create(
            thread=thread, author_id=actor.user_pk, author_name=actor.identity[0][:200],
            service=_service(actor, basis), at=now, text=value)
        Thread.objects.filter(pk=thread.pk).update(last_message_at=now, updated_at=now)
        thread.last_message_at = now
        _mark(thread, actor.user_pk, message.pk)
        _notify_message(message, thread, actor)
    return message


def _mark(thread: Thread, user_id: int, up_to: int) -> None:
    updated = ThreadRead.objects.filter(thread=thread, user_id=user_id,
                                        last_read_id__lt=up_to).update(
        last_read_id=up_to, read_at=clock.now())
    if not updated and not ThreadRead.objects.filter(thread=thread, user_id=user_id).exists():
        ThreadRead.objects.create(thread=thread, user_id=user_id, last_read_id=up_to)


def thread_mark_read(*, actor: Actor, pathway: Pathway, kind: str) -> int:
    """The actor has read the thread to its newest message; how many were unread."""
    kind = kind_of(kind)
    require_thread(actor, pathway, kind)
    thread = Thread.objects.filter(pathway=pathway, kind=kind).first()
    if thread is None:
        return 0
    with transaction.atomic():
        marker = ThreadRead.objects.filter(thread=thread, user_id=actor.user_pk).first()
        since = marker.last_read_id if marker else 0
        newest = thread.messages.aggregate(m=Max("id"))["m"] or 0
        unread = thread.messages.filter(id__gt=since).exclude(author_id=actor.user_pk).count()
        if newest > since:
            _mark(thread, actor.user_pk, newest)
        # The notifications of these messages are read too.
        Notification.objects.filter(user_id=actor.user_pk, kind="message", pathway=pathway,
                                    read_at__isnull=True).update(read_at=clock.now())
    return unread


def threads_seen(*, user_id: int, pathway: Pathway, threads: Iterable[Thread]) -> None:
    """The reader has just been shown these threads (read under the policy by the page):
    they are read to their newest message, and the message notifications of the pathway too."""
    shown = list(threads)
    if not shown:
        return
    newest = dict(Message.objects.filter(thread__in=shown).values("thread_id")
                  .annotate(m=Max("id")).values_list("thread_id", "m"))
    with transaction.atomic():
        for thread in shown:
            if newest.get(thread.pk):
                _mark(thread, user_id, newest[thread.pk])
        Notification.objects.filter(user_id=user_id, kind="message", pathway=pathway,
                                    read_at__isnull=True).update(read_at=clock.now())


# --- notifications -------------------------------------------------------------------------

def notifications_mark_read(*, actor: Actor, ids: Iterable[int] | None = None) -> int:
    """Mark my notifications read (the given ones, or all); how many changed. Only one's own:
    others' ids are ignored (their existence is not told)."""
    rows = Notification.objects.filter(user_id=actor.user_pk, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=clock.now())


def preferences(user_id: int) -> dict[str, bool]:
    """Per kind, whether the person also gets e-mail."""
    chosen = dict(NotificationPreference.objects.filter(user_id=user_id)
                  .values_list("kind", "email"))
    return {kind: bool(chosen.get(kind, False)) for kind in KINDS}


def preferences_set(*, actor: Actor, email: dict[str, bool]) -> dict[str, bool]:
    """Choose per kind whether to also get e-mail (kinds not named keep their choice)."""
    unknown = sorted(set(email) - set(KINDS))
    if unknown:
        raise InvalidInput(_("Unknown kind of notification: %(kinds)s.")
                           % {"kinds": ", ".join(unknown)}, field="email")
    user_id = actor.user_pk
    with transaction.atomic():
        for kind, wanted in email.items():
            NotificationPreference.objects.update_or_create(
                user_id=user_id, kind=kind, defaults={"email": bool(wanted)})
    return preferences(user_id)
