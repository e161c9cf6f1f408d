"""The patient's portal card: the thread with the clinic and how many messages are new."""

from __future__ import annotations

from typing import Any

from ettervern.access.policy import MESSAGE_PATIENT
from ettervern.messaging.models import Thread
from ettervern.messaging.selectors import with_unread


def portal_card(page: Any) -> dict[str, Any] | None:
    """For the patient only (not a next of kin): unread count of the thread with the clinic.
    The portal page has read the pathway for the patient; the thread's own page asks again."""
    if page.basis.role != "patient" or MESSAGE_PATIENT not in page.allowed:
        return None
    thread = with_unread(Thread.objects.filter(pathway=page.pathway, kind=Thread.Kind.PATIENT),
                         page.actor.user_pk).first()
    return {"unread": getattr(thread, "unread", 0)}
