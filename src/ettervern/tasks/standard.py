"""Standard tasks: a transition creates the tasks its rows in StandardTask name.

`on_transition` listens to pathways.transitions (tasks.apps). It runs inside the service's
transaction, right after the timeline event, so the tasks commit or roll back with the change
itself. The transition was decided and audited by the service that made it; the tasks are its
consequence, written as the actor who made it.

A role no one holds is skipped (no GP on the team: no GP task). The same standard task is open
once per stay (or, without a stay, once per owner): the database refuses a second, and the
insert skips it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ettervern.core import clock, workdays
from ettervern.directory.models import Staff, Unit
from ettervern.pathways.models import CareTeamMember, Pathway, Stay
from ettervern.pathways.team import is_blocked
from ettervern.pathways.transitions import Transition
from ettervern.tasks.models import Service, StandardTask, Task, Whom

_TEAM_SERVICE = {
    Whom.MUNICIPAL_CONTACT: Service.MUNICIPALITY,
    Whom.NAV_CONTACT: Service.NAV,
    Whom.GP: Service.GP,
}
_ACTIVE = (Stay.Status.PLANNED, Stay.Status.ONGOING)


def stay_of(event: Any, transition: str) -> Stay | None:
    """The stay a transition is about, read off the pathway as the service just left it (the
    event names the unit and dates; `stay`, the stay's public id, where an event gives it)."""
    data: dict[str, str] = event.data
    stays = Stay.objects.filter(pathway_id=event.pathway_id).select_related("unit")
    if data.get("stay"):
        return stays.filter(public_id=data["stay"]).first()
    if transition == Transition.HANDOVER:
        return None
    if data.get("unit"):
        stays = stays.filter(unit__name=data["unit"])
    latest = ("-updated_at", "-id")
    if transition == Transition.DISCHARGED:
        found = stays.filter(status=Stay.Status.DISCHARGED, kind=Stay.Kind.RESIDENTIAL)
        if data.get("on"):
            found = found.filter(discharged_on=data["on"])
        return found.order_by(*latest).first()
    if transition == Transition.USER_CONTROLLED_STARTED:
        return stays.filter(kind=Stay.Kind.USER_CONTROLLED,
                            status=Stay.Status.ONGOING).order_by(*latest).first()
    if transition == Transition.STAY_CANCELLED:
        return stays.filter(status=Stay.Status.CANCELLED).order_by(*latest).first()
    residential = stays.filter(kind=Stay.Kind.RESIDENTIAL, status__in=_ACTIVE)
    if event.kind == "stay.planned":
        return residential.order_by("-id").first()
    if data.get("start"):
        residential = residential.filter(planned_start=data["start"])
    return residential.order_by(*latest).first()


def _holders(pathway: Pathway, stay: Stay | None,
             wanted: set[str]) -> dict[str, tuple[int, Service]]:
    """Whom -> (user id, service) for the roles someone holds now (and is not blocked by the
    patient, except the coordinator, whom a block cannot reach)."""
    found: dict[str, tuple[int, Service]] = {}
    if Whom.COORDINATOR in wanted and pathway.coordinator_id is not None:
        user_id = Staff.objects.filter(pk=pathway.coordinator_id).values_list(
            "user_id", flat=True).first()
        if user_id is not None:
            found[Whom.COORDINATOR] = (user_id, Service.OUTPATIENT)
    team_roles = wanted & {Whom.SPECIALIST_CONTACT, Whom.MUNICIPAL_CONTACT, Whom.NAV_CONTACT,
                           Whom.GP}
    if team_roles:
        members = (CareTeamMember.objects.filter(pathway=pathway, ended_at__isnull=True,
                                                 role__in=team_roles)
                   .order_by("started_at", "id")
                   .values_list("role", "staff_id", "staff__user_id"))
        for role, staff_id, user_id in members:
            if role in found or is_blocked(staff_id, pathway.patient_id):
                continue
            if role == Whom.SPECIALIST_CONTACT:
                first = (Unit.objects.filter(staff__pk=staff_id).order_by("id")
                         .values_list("kind", flat=True).first())
                service = (Service.RESIDENTIAL if first == Unit.Kind.RESIDENTIAL
                           else Service.OUTPATIENT)
            else:
                service = _TEAM_SERVICE[Whom(role)]
            found[role] = (user_id, service)
    if Whom.PATIENT in wanted:
        user_id = pathway.patient.user_id
        if user_id is not None:
            found[Whom.PATIENT] = (user_id, Service.PATIENT)
    if Whom.TREATING_LEADER in wanted and stay is not None \
            and stay.kind == Stay.Kind.RESIDENTIAL:
        leader = (stay.unit.leaders.order_by("id").values_list("pk", "user_id").first())
        if leader is not None and not is_blocked(leader[0], pathway.patient_id):
            found[Whom.TREATING_LEADER] = (leader[1], Service.RESIDENTIAL)
    return found


def _counted_from(event: Any) -> dt.date:
    """Due dates count from the day the transition took effect (a discharge recorded late
    counts from the discharge), never from a day in the future."""
    try:
        on = dt.date.fromisoformat(event.data.get("on", ""))
    except ValueError:
        return clock.today()
    return min(on, clock.today())


def on_transition(event: Any, transition: Transition, actor: Any) -> None:
    """Create the transition's standard tasks (pathways.transitions calls this)."""
    rows = list(StandardTask.objects.filter(transition=transition, active=True))
    if not rows:
        return
    pathway = event.pathway
    stay = stay_of(event, transition)
    holders = _holders(pathway, stay, {row.whom for row in rows})
    start = _counted_from(event)
    made = [Task(pathway=pathway, stay=stay, standard=row, owner_id=holders[row.whom][0],
                 service=holders[row.whom][1], title=row.title_nb,
                 due_on=workdays.add_working_days(start, row.working_days),
                 checkpoint=row.checkpoint, source=f"{Task.STANDARD_PREFIX}{transition}",
                 created_by_id=actor.user_pk)
            for row in rows if row.whom in holders]
    # An open one for the same stay (or, without a stay, owner) stays as it is: left out here,
    # and refused by the database (skipped) should a concurrent change make it meanwhile.
    open_now = set(Task.objects.filter(pathway=pathway, status=Task.Status.OPEN,
                                       standard__in=rows)
                   .values_list("stay_id", "standard_id", "owner_id"))
    made = [t for t in made if not any(
        standard_id == t.standard_id and (stay_id == t.stay_id if t.stay_id else (
            stay_id is None and owner_id == t.owner_id))
        for stay_id, standard_id, owner_id in open_now)]
    # No notification of its own: the team hears of the transition itself (messaging), and
    # the owner finds the task in "Mine oppgaver" and is reminded the day before it is due.
    Task.objects.bulk_create(made, ignore_conflicts=True)
