"""The demo's messages and notifications: both threads of the pasient's pathway with a few
days of conversation, notifications for the koordinator, the behandler and kommune (besides
those the seeded pathways' transitions gave them), and kommune's choice of e-mail for new
messages and discharges (the worker prints those e-mails on the console)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F

from ettervern.access.policy import Actor
from ettervern.messaging import services
from ettervern.messaging.models import Message, Notification, NotificationPreference, Thread
from ettervern.messaging.notify import notify
from ettervern.pathways.models import Pathway
from ettervern.pathways.transitions import Transition

# (days ago, hour, who, thread, text)
_CONVERSATION = [
    (6, 9, "koordinator", "team", "Utskriving fra døgn er planlagt om to uker. Kan vi ta "
                                  "samarbeidsmøtet før det, tirsdag eller onsdag?"),
    (6, 13, "kommune", "team", "Onsdag passer for kommunen. Boligkontoret har en leilighet "
                               "klar fra den 1."),
    (5, 10, "behandler", "team", "Onsdag kl. 12 her på avdelingen. Jonas ønsker at moren er med "
                                 "på deler av møtet."),
    (2, 15, "kommune", "team", "Husleiegaranti er søkt. Vi trenger kontaktinformasjon til NAV "
                               "før møtet."),
    (4, 11, "pasient", "patient", "Hei. Jeg lurer på om jeg kan få time hos dere uka etter at "
                                  "jeg kommer hjem?"),
    (4, 14, "koordinator", "patient", "Hei Jonas. Ja, vi setter opp en time til deg. Du får "
                                      "den i Ettervern når den er klar."),
    (1, 18, "pasient", "patient", "Takk. Kan jeg ta med mamma på den første timen?"),
]


def demo_messages(*, pathway: Pathway, users: dict[str, Any], now: dt.datetime) -> None:
    """`users`: the demo logins' users by username. Once, with the pasient's pathway."""
    if Thread.objects.filter(pathway=pathway).exists():
        return
    kommune = users["kommune"]
    kommune.email = "sissel.brekke@kommune.example"
    kommune.save(update_fields=["email"])
    for kind in ("message", Transition.DISCHARGED):
        NotificationPreference.objects.update_or_create(user=kommune, kind=kind,
                                                        defaults={"email": True})
    for days_ago, hour, who, kind, text in sorted(_CONVERSATION, key=lambda r: (-r[0], r[1])):
        message = services.message_post(actor=Actor(user=users[who], channel="system"),
                                        pathway=pathway, kind=kind, text=text)
        at = (now - dt.timedelta(days=days_ago)).replace(hour=hour, minute=5)
        Message.objects.filter(pk=message.pk).update(at=at)
        Thread.objects.filter(pk=message.thread_id).update(last_message_at=at)
        Notification.objects.filter(kind="message", created_at__gte=message.at).update(
            created_at=at)
    # The koordinator has read the team's thread up to yesterday; the behandler has read it all.
    team = Thread.objects.get(pathway=pathway, kind=Thread.Kind.TEAM)
    newest = team.messages.order_by("-id").values_list("id", flat=True)
    team.reads.filter(user=users["behandler"]).update(last_read_id=newest[0])
    Notification.objects.filter(user=users["behandler"], read_at__isnull=True).update(
        read_at=F("created_at"))
    # A reminder-like notification for each of the three, as tasks and meetings will write.
    link = f"/forlop/{pathway.public_id}/"
    name = pathway.patient.full_name
    for who, text in (("koordinator", f"Møtet etter utskriving er ikke booket – {name}"),
                      ("behandler", f"Samarbeidsmøte før utskriving onsdag kl. 12 – {name}"),
                      ("kommune", f"Samarbeidsmøte før utskriving onsdag kl. 12 – {name}")):
        notify(users=[users[who]], kind="meeting" if "onsdag" in text else "task", text=text,
               link=link, pathway=pathway)
