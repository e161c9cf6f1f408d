"""Notifications: one row per recipient in the app, and an e-mail to those who asked for it.

`notify(users=…, kind=…, text=…, link=…)` is what other apps call (pathways' transitions from
here, tasks, meetings). The in-app text may name the patient to staff who may see the pathway;
the e-mail never does: it says only that there is something new in Ettervern, with a link
(messaging.mail's rule). Kinds are registered in `KINDS` with a label people choose by on the
preferences page; by default a kind is in the app only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override, pgettext_lazy

from ettervern.core import clock
from ettervern.messaging.mail import absolute, mail_later
from ettervern.messaging.models import (
    LINK_MAX_LENGTH,
    NOTIFICATION_TEXT_MAX_LENGTH,
    Notification,
    NotificationPreference,
)
from ettervern.pathways.transitions import Transition

if TYPE_CHECKING:
    from ettervern.pathways.models import Pathway

User = get_user_model()

# kind -> label (what the preferences page shows). Other apps add theirs with register_kind.
# (A context keeps these labels apart from the same words elsewhere: "Discharge" is a button.)
KINDS: dict[str, Any] = {
    Transition.ADMISSION_DATE_SET.value: pgettext_lazy("notification", "Admission date set"),
    Transition.DISCHARGE_DATE_SET.value: pgettext_lazy("notification", "Discharge date set"),
    Transition.DISCHARGED.value: pgettext_lazy("notification", "Discharge"),
    Transition.HANDOVER.value: pgettext_lazy("notification", "Coordinator hand-over"),
    Transition.STAY_CANCELLED.value: pgettext_lazy("notification", "Stay cancelled"),
    Transition.USER_CONTROLLED_STARTED.value: pgettext_lazy("notification",
                                                            "User-controlled stay started"),
    "message": pgettext_lazy("notification", "New message"),
    "task": pgettext_lazy("notification", "Tasks (assigned to me, due tomorrow)"),
    "meeting": pgettext_lazy("notification", "Meetings (invited, changed, cancelled)"),
}


def register_kind(kind: str, label: str | Promise) -> None:
    """Add (or relabel) a kind of notification; call it from an AppConfig.ready()."""
    KINDS[kind] = label


def email_subject() -> str:
    with override("nb"):
        return str(_("New in Ettervern"))


def email_body(link: str) -> str:
    """The whole e-mail: that there is something new, and where. Nothing about whom or what."""
    with override("nb"):
        return str(_("There is something new for you in Ettervern.\n\nSign in to read it:\n"
                     "%(link)s\n\nThis e-mail is sent automatically; do not reply to it.\n")
                   % {"link": absolute(link)})


def notify(*, users: Iterable[Any], kind: str, text: str, link: str,
           pathway: Pathway | None = None) -> None:
    """Notify each user (once, however often named) in the app, and by e-mail those who chose
    e-mail for `kind`. Runs in the caller's transaction; the e-mail is sent by the worker."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}; register it in KINDS")
    if not link.startswith("/") or len(link) > LINK_MAX_LENGTH:
        raise ValueError("A notification links to a path inside the app")
    text = text.strip()
    if len(text) > NOTIFICATION_TEXT_MAX_LENGTH:
        text = text[: NOTIFICATION_TEXT_MAX_LENGTH - 1] + "…"
    if not text:
        raise ValueError("A notification needs a text")
    recipients: dict[int, Any] = {}
    for user in users:
        if user is not None and user.pk is not None and user.is_active:
            recipients.setdefault(int(user.pk), user)
    if not recipients:
        return
    now = clock.now()
    Notification.objects.bulk_create([
        Notification(user_id=pk, kind=kind, text=text, link=link, pathway=pathway,
                     created_at=now)
        for pk in recipients])
    wants_email = NotificationPreference.objects.filter(
        user_id__in=list(recipients), kind=kind, email=True).values_list("user_id", flat=True)
    addresses = [recipients[pk].email for pk in wants_email if recipients[pk].email]
    if addresses:
        mail_later(to=addresses, subject=email_subject(), body=email_body(link))
