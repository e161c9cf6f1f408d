"""The timeline: each service writes its event, and render() turns it into a sentence."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from ettervern.core import clock
from ettervern.pathways import services
from ettervern.pathways.events import PLANNING_KINDS, SENTENCES, render
from ettervern.pathways.models import CareTeamMember, PathwayEvent
from ettervern.pathways.phases import Phase
from tests.pathways.helpers import act, days_ago, plan_stay

# Kinds of the capabilities above pathways that the services here do not write.
ABOVE_PATHWAYS = ("meeting.", "task.", "message.")


@pytest.mark.django_db
def test_every_service_leaves_its_event(pathway, coordinator, colleague, residential_unit,
                                        municipal):
    a = act(coordinator)
    services.pathway_update(actor=a, pathway=pathway, expected_version=pathway.version,
                            referral_received_on=pathway.referral_received_on,
                            referrer="Fastlege Hansen", first_contact_on=None, note="x")
    services.pathway_transition(actor=a, pathway=pathway, to_phase=Phase.PRE_ADMISSION,
                                on=days_ago(20))
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(10), days_ago(5))
    services.stay_update(actor=a, stay=stay, expected_version=stay.version,
                         unit=residential_unit, planned_start=days_ago(10),
                         planned_end=days_ago(4))
    stay.refresh_from_db()
    services.stay_admit(actor=a, stay=stay, on=days_ago(10))
    services.stay_discharge(actor=a, stay=stay, on=days_ago(4),
                            reason="Pasienten ønsket å reise hjem.")
    spare = plan_stay(pathway, coordinator, residential_unit, days_ago(2))
    services.stay_cancel(actor=a, stay=spare, expected_version=spare.version, reason="Flyttet.")
    member = CareTeamMember.objects.get(staff=municipal)
    services.careteam_end(actor=a, member=member, expected_version=member.version)
    pathway.refresh_from_db()
    services.coordinator_handover(actor=a, pathway=pathway,
                                  to_staff=colleague, expected_version=pathway.version,
                                  reason="Permisjon.")
    pathway.refresh_from_db()
    services.pathway_transition(actor=act(colleague), pathway=pathway, to_phase=Phase.CLOSED,
                                on=clock.today(), note="Ved en feil.")
    pathway.refresh_from_db()
    services.pathway_reopen(actor=act(colleague), pathway=pathway,
                            expected_version=pathway.version, reason="Avsluttet ved en feil.")
    kinds = set(PathwayEvent.objects.filter(pathway=pathway).values_list("kind", flat=True))
    # The individual plan's events are left by its own services (tests/planning).
    # Planning's events have their tests beside planning (tests/planning).
    # So are user-controlled beds' (tests/beds/test_services.py), the checkpoints' ticks
    # (tests/discharge) and the other capabilities' above pathways; the discharge above
    # passed the gate with a reason (discharge.override).
    assert kinds == {kind for kind in SENTENCES
                     if not kind.startswith((*PLANNING_KINDS, "beds.", "stay.user_controlled",
                                             "checkpoint.", *ABOVE_PATHWAYS))}
    for event in PathwayEvent.objects.filter(pathway=pathway):
        assert event.actor_name
        with override("en"):
            assert render(event) != event.kind, event.kind  # every kind renders a sentence


@pytest.mark.django_db
def test_render_translates_phase_and_role_labels(pathway, coordinator):
    services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                to_phase=Phase.PRE_ADMISSION, on=days_ago(3))
    event = pathway.events.get(kind="phase.changed")
    day = days_ago(3)
    # One date format whatever the language (dd.mm.åååå).
    with override("en"):
        assert render(event) == (
            f"Phase changed from Contact / referral to Pre-admission "
            f"(effective {day.day:02d}.{day.month:02d}.{day.year})")
    with override("nb"):
        assert render(event) == (
            f"Fase endret fra Kontakt / henvisning til Før innleggelse "
            f"(gjelder fra {day.day:02d}.{day.month:02d}.{day.year})")
    assert event.actor_unit == "TSB-poliklinikken"


@pytest.mark.django_db
def test_a_reason_follows_the_sentence(pathway, coordinator, residential_unit):
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(2))
    services.stay_cancel(reason="Pasienten ønsket et annet sted.", actor=act(coordinator),
                         stay=stay, expected_version=stay.version)
    with override("nb"):
        assert render(pathway.events.get(kind="stay.cancelled")).endswith(
            ": Pasienten ønsket et annet sted.")


@pytest.mark.django_db
def test_render_falls_back_to_the_kind(pathway):
    unknown = PathwayEvent.objects.create(pathway=pathway, actor_name="x", kind="future.kind",
                                          at=clock.now())
    broken = PathwayEvent.objects.create(pathway=pathway, actor_name="x", kind="stay.admitted",
                                         data={}, at=clock.now())
    assert render(unknown) == "future.kind"
    assert render(broken) == "stay.admitted"
