"""The care team hears of the pathway's transitions (pathways.transitions), in the app and, for
those who chose it, by e-mail.

Who: the coordinator, the active care-team members, and the leaders of the unit whose stay it
is (not all its staff: a residential unit's whole staff would be notified of every admission
date of every patient; the leaders pass it on, and the staff see the unit's worklist). A unit
without leaders is skipped for the same reason. Never the one who made the change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import override

from ettervern.messaging.notify import KINDS, notify
from ettervern.pathways.events import render
from ettervern.pathways.models import Pathway
from ettervern.pathways.transitions import Transition

User = get_user_model()


def care_team_users(pathway: Pathway, *, unit_ids: Iterable[int] = ()) -> list[Any]:
    """The coordinator, the active care-team members and the leaders of `unit_ids` (one query)."""
    who = Q(staff__team_roles__pathway=pathway, staff__team_roles__ended_at__isnull=True)
    if pathway.coordinator_id is not None:
        who |= Q(staff__id=pathway.coordinator_id)
    units = list(unit_ids)
    if units:
        who |= Q(staff__led_units__in=units)
    return list(User.objects.filter(who, is_active=True).distinct().order_by("id"))


def on_transition(event: Any, transition: Transition, actor: Any) -> None:
    pathway: Pathway = event.pathway
    unit_name = event.data.get("unit")
    unit_ids = (list(pathway.stays.filter(unit__name=unit_name)
                     .values_list("unit_id", flat=True).distinct()) if unit_name else [])
    users = [user for user in care_team_users(pathway, unit_ids=unit_ids)
             if user.pk != getattr(actor.user, "pk", None)]
    if not users:
        return
    with override("nb"):
        text = (f"{KINDS[transition.value]} – {pathway.patient.full_name}: "
                f"{render(event, with_reason=False)}")
    notify(users=users, kind=transition.value, text=text, pathway=pathway,
           link=reverse("pathways:pathway", kwargs={"public_id": pathway.public_id}))
