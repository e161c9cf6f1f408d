"""The team overview ("samtidighet"): what each service is doing now and next."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ettervern.discharge.overview import team_overview
from ettervern.tasks.models import Service, Task
from tests.discharge.conftest import meeting
from tests.pathways.helpers import act, days_ago
from tests.planning.conftest import client_of


def _task(pathway, owner, service: Service, title: str, due: dt.date):  # type: ignore[no-untyped-def]
    return Task.objects.create(pathway=pathway, owner=owner.user if hasattr(owner, "user")
                               else owner, service=service, title=title, due_on=due,
                               created_by=pathway.coordinator.user)


def _column(overview, service: Service):  # type: ignore[no-untyped-def]
    return next(c for c in overview.columns if c.service == service)


def test_each_service_with_its_people_tasks_meetings_and_last_contact(  # type: ignore[no-untyped-def]
        stay, pathway, coordinator, municipal, nav, gp, treating_clinician):
    _task(pathway, municipal, Service.MUNICIPALITY, "Planlegg bolig", days_ago(2))
    _task(pathway, coordinator, Service.OUTPATIENT, "Avtal møte etter utskriving", days_ago(-3))
    held = meeting(stay, "before_discharge", "planned", days_from_now=3)
    from ettervern.meetings.models import Participant

    Participant.objects.create(meeting=held, staff=municipal, name=municipal.name)
    found = team_overview(actor=act(coordinator), public_id=pathway.public_id)
    assert [c.service for c in found.columns] == list(Service)
    municipality = _column(found, Service.MUNICIPALITY)
    assert [p.name for p in municipality.people] == [municipal.name]
    assert [t.title for t in municipality.tasks] == ["Planlegg bolig"]
    assert municipality.overdue == 1 and municipality.meetings == [held]
    outpatient = _column(found, Service.OUTPATIENT)
    assert coordinator.name in [p.name for p in outpatient.people]
    # The coordinator admitted the stay and added the team: the clinic's last contact.
    assert outpatient.last_at is not None and outpatient.last_by == coordinator.name
    residential = _column(found, Service.RESIDENTIAL)
    assert residential.units == [stay.unit.name]
    nav_column = _column(found, Service.NAV)
    assert nav_column.idle and not nav_column.tasks


def test_the_page_and_the_api(stay, pathway, coordinator, municipal):  # type: ignore[no-untyped-def]
    _task(pathway, municipal, Service.MUNICIPALITY, "Planlegg bolig", days_ago(2))
    client = client_of(coordinator)
    page = client.get(reverse("discharge:team_overview", args=[pathway.public_id]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Hvem gjør hva nå" in html and "Planlegg bolig" in html and "forfalt siden" in html
    assert reverse("discharge:team_overview", args=[pathway.public_id]) in client.get(
        reverse("pathways:pathway", args=[pathway.public_id])).content.decode()
    body = client.get(f"/api/pathways/{pathway.public_id}/overview").json()
    municipality = next(s for s in body["services"] if s["service"] == "municipality")
    assert municipality["open_tasks"][0]["overdue"] is True


@pytest.mark.parametrize("who,status", [("gp", 200), ("nav", 200), ("patient_user", 404),
                                        ("kin_user", 404), ("outsider", 404)])
def test_who_reads_it(request, stay, pathway, who, status):  # type: ignore[no-untyped-def]
    client = client_of(request.getfixturevalue(who))
    assert client.get(reverse("discharge:team_overview", args=[pathway.public_id])
                      ).status_code == status
    assert client.get(f"/api/pathways/{pathway.public_id}/overview").status_code == status
