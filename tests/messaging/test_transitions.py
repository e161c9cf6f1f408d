"""The care team hears of the pathway's six transitions: the coordinator, the active team and
the leaders of the stay's unit, never the one who made the change; e-mail for those who chose
it, naming nobody."""

from __future__ import annotations

import pytest
from django.core import mail

from ettervern.core import clock
from ettervern.directory.models import Staff
from ettervern.messaging import jobs
from ettervern.messaging.models import Notification, NotificationPreference
from ettervern.pathways import services
from ettervern.pathways.phases import Phase
from ettervern.pathways.transitions import Transition
from tests import factories
from tests.pathways.helpers import act, days_ago, plan_stay

pytestmark = pytest.mark.django_db


def kinds_of(person) -> list[str]:  # type: ignore[no-untyped-def]
    return list(Notification.objects.filter(user=person.user).order_by("id")
                .values_list("kind", flat=True))


@pytest.fixture
def leader(residential_unit):  # type: ignore[no-untyped-def]
    person = factories.staff(Staff.Profession.CLINICIAN, units=[residential_unit],
                             username="leder")
    residential_unit.leaders.add(person)
    return person


def test_planning_a_stay_with_both_dates_notifies_the_team_and_the_units_leader(
        pathway, coordinator, municipal, nav, residential_unit, leader, clinician):  # type: ignore[no-untyped-def]
    plan_stay(pathway, coordinator, residential_unit, clock.today(), days_ago(-30))
    expected = [Transition.ADMISSION_DATE_SET, Transition.DISCHARGE_DATE_SET]
    assert kinds_of(municipal) == expected
    assert kinds_of(nav) == expected
    assert kinds_of(leader) == expected
    assert kinds_of(clinician) == []  # the unit's staff hear it from their leader
    assert kinds_of(coordinator) == []  # the one who made the change
    note = Notification.objects.filter(user=municipal.user).first()
    assert note is not None
    assert note.text.startswith("Innleggelsesdato satt – " + pathway.patient.full_name)
    assert note.link == f"/forlop/{pathway.public_id}/"
    assert note.pathway_id == pathway.pk


def test_discharge_cancel_and_handover_notify_and_email_those_who_chose_it(
        pathway, coordinator, municipal, residential_unit, colleague):  # type: ignore[no-untyped-def]
    municipal.user.email = "kommune@example.no"
    municipal.user.save()
    NotificationPreference.objects.create(user=municipal.user, kind=Transition.DISCHARGED,
                                          email=True)
    services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                to_phase=Phase.PRE_ADMISSION, on=days_ago(12))
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(10))
    stay = services.stay_admit(actor=act(coordinator), stay=stay, on=days_ago(10))
    services.stay_discharge(actor=act(coordinator), stay=stay, on=clock.today())
    other = plan_stay(pathway, coordinator, residential_unit, days_ago(-40))
    other.refresh_from_db()
    services.stay_cancel(actor=act(coordinator), stay=other, expected_version=other.version,
                         reason="Pasienten ønsket det ikke.")
    pathway.refresh_from_db()
    services.coordinator_handover(actor=act(coordinator), pathway=pathway, to_staff=colleague,
                                  expected_version=pathway.version, reason="Permisjon.")
    assert kinds_of(municipal) == [Transition.ADMISSION_DATE_SET, Transition.DISCHARGED,
                                   Transition.ADMISSION_DATE_SET, Transition.STAY_CANCELLED,
                                   Transition.HANDOVER]
    # The new coordinator hears of the hand-over; the old one made it.
    assert kinds_of(colleague) == [Transition.HANDOVER]
    cancelled = Notification.objects.get(user=municipal.user, kind=Transition.STAY_CANCELLED)
    assert "ønsket" not in cancelled.text  # staff's reason stays on the pathway page
    jobs.run_pending()
    assert [m.to for m in mail.outbox] == [["kommune@example.no"]]
    assert pathway.patient.family_name not in mail.outbox[0].body
    assert residential_unit.name not in mail.outbox[0].body


def test_a_rolled_back_change_notifies_nobody(pathway, coordinator, municipal,
                                              residential_unit):  # type: ignore[no-untyped-def]
    from ettervern.core.errors import DomainError

    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(-5))
    before = Notification.objects.count()
    with pytest.raises(DomainError):
        services.stay_cancel(actor=act(coordinator), stay=stay,
                             expected_version=stay.version + 5, reason="x")
    assert Notification.objects.count() == before
