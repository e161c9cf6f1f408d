"""The team overview ("samtidighet"): for one pathway, what each service — the outpatient
clinic, the residential unit, the municipality, NAV, the GP, and the patient — is doing now and
next: its people, its open tasks, its next meetings and its last contact on the pathway.

It reads across capabilities (tasks, meetings, the timeline, messages), a query per kind
whatever the size of the team, after one access decision on the pathway."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from ettervern.access.policy import OVERVIEW_VIEW, Actor, allowed_actions, require_all
from ettervern.core import clock
from ettervern.directory.models import Staff, Unit
from ettervern.meetings.models import Meeting
from ettervern.pathways.models import CareTeamMember, Pathway, PathwayEvent, Stay
from ettervern.pathways.selectors import pathway_lookup
from ettervern.tasks.models import Service, Task
from ettervern.tasks.selectors import open_tasks_by_service

ROLE = CareTeamMember.Role
# Meetings shown per service, and tasks before "and N more".
NEXT_MEETINGS = 3
TASKS_SHOWN = 5


@dataclass
class Person:
    name: str
    role: str
    user_id: int | None = None


@dataclass
class Column:
    service: Service
    people: list[Person] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    last_at: dt.datetime | None = None
    last_by: str = ""
    # Users whose activity on the pathway counts as this service's contact.
    user_ids: set[int] = field(default_factory=set)

    @property
    def label(self) -> str:
        return str(self.service.label)

    @property
    def shown_tasks(self) -> list[Task]:
        return self.tasks[:TASKS_SHOWN]

    @property
    def more_tasks(self) -> int:
        return max(len(self.tasks) - TASKS_SHOWN, 0)

    @property
    def overdue(self) -> int:
        today = clock.today()
        return sum(1 for task in self.tasks if task.due_on < today)

    @property
    def idle(self) -> bool:
        """Nothing open and nothing planned: the column a reader should look at twice."""
        return not self.tasks and not self.meetings


@dataclass
class Overview:
    pathway: Pathway
    columns: list[Column]
    allowed: frozenset[str]


def _first_unit_kind(staff: Staff) -> str:
    units = sorted(staff.units.all(), key=lambda unit: unit.pk)
    return units[0].kind if units else ""


def team_overview(*, actor: Actor, public_id: Any) -> Overview:
    pathway = pathway_lookup(public_id)
    _basis, bases = require_all(actor, pathway, OVERVIEW_VIEW)
    columns = {service: Column(service) for service in Service}
    outpatient, residential = columns[Service.OUTPATIENT], columns[Service.RESIDENTIAL]
    if pathway.coordinator_id is not None:
        coordinator = Staff.objects.get(pk=pathway.coordinator_id)
        outpatient.people.append(Person(coordinator.name, _("Coordinator"), coordinator.user_id))
    outpatient.units.append(pathway.coordinating_unit.name)

    by_role = {ROLE.MUNICIPAL_CONTACT: Service.MUNICIPALITY, ROLE.NAV_CONTACT: Service.NAV,
               ROLE.GP: Service.GP}
    for member in (CareTeamMember.objects.filter(pathway=pathway, ended_at__isnull=True)
                   .select_related("staff").prefetch_related("staff__units")
                   .order_by("started_at")):
        service = by_role.get(member.role)  # type: ignore[call-overload]
        if service is None:  # the specialist contact works at a clinic or a residential unit
            at_unit = _first_unit_kind(member.staff) == Unit.Kind.RESIDENTIAL
            service = Service.RESIDENTIAL if at_unit else Service.OUTPATIENT
        columns[service].people.append(Person(member.staff.name, str(member.get_role_display()),
                                               member.staff.user_id))

    stays = list(Stay.objects.filter(pathway=pathway, status__in=[Stay.Status.PLANNED,
                                                                  Stay.Status.ONGOING])
                 .select_related("unit").order_by("planned_start"))
    unit_ids = {pathway.coordinating_unit_id: Service.OUTPATIENT}
    for stay in stays:
        residential.units.append(stay.unit.name if stay.status == Stay.Status.ONGOING
                                 else _("%(unit)s (planned from %(on)s)") % {
                                     "unit": stay.unit.name,
                                     "on": stay.planned_start.strftime("%d.%m.%Y")})
        unit_ids.setdefault(stay.unit_id, Service.RESIDENTIAL)
    # The staff of the coordinating clinic and the residential units: their activity on the
    # pathway is their service's contact, whoever of them it was.
    for user_id, unit_id in Staff.objects.filter(units__in=list(unit_ids)).values_list(
            "user_id", "units"):
        columns[unit_ids[unit_id]].user_ids.add(user_id)
    patient = pathway.patient
    columns[Service.PATIENT].people.append(Person(patient.full_name, _("Patient"),
                                                  patient.user_id))
    for column in columns.values():
        column.user_ids |= {p.user_id for p in column.people if p.user_id is not None}

    for service, tasks in open_tasks_by_service(pathway).items():
        columns[service].tasks = tasks
    _meetings(pathway, columns)
    _last_contact(pathway, columns)
    return Overview(pathway=pathway, columns=list(columns.values()),
                    allowed=allowed_actions(bases))


def _meetings(pathway: Pathway, columns: dict[Service, Column]) -> None:
    """The next planned meetings each service takes part in."""
    upcoming = list(Meeting.objects.filter(pathway=pathway, status=Meeting.Status.PLANNED,
                                           ends_at__gte=clock.now())
                    .prefetch_related("participants__staff").order_by("starts_at")[:20])
    for meeting in upcoming:
        taking_part = {p.staff.user_id for p in meeting.participants.all() if p.staff is not None}
        if any(p.patient_id for p in meeting.participants.all()):
            taking_part.add(pathway.patient.user_id or -1)
        for column in columns.values():
            if column.user_ids & taking_part and len(column.meetings) < NEXT_MEETINGS:
                column.meetings.append(meeting)


def _last_contact(pathway: Pathway, columns: dict[Service, Column]) -> None:
    """The last thing each service did on the pathway (the timeline), and who."""
    everyone = set().union(*(column.user_ids for column in columns.values()))
    latest = (PathwayEvent.objects.filter(pathway=pathway, actor_id__in=everyone)
              .values("actor_id", "actor_name").annotate(last=Max("at")))
    for row in latest:
        for column in columns.values():
            if row["actor_id"] in column.user_ids and (
                    column.last_at is None or row["last"] > column.last_at):
                column.last_at, column.last_by = row["last"], row["actor_name"]
