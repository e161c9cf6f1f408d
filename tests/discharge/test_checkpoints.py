"""The checkpoints before discharge: derived from the data where it can tell, and changing as
the data changes; ticked by hand, with a name and a date, only where it cannot."""

from __future__ import annotations

import pytest

from ettervern.access.models import AuditEvent
from ettervern.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from ettervern.discharge import checkpoints, services
from ettervern.discharge.models import CheckpointTick, CheckpointType
from ettervern.pathways import services as pathway_services
from ettervern.pathways.models import CareTeamMember
from ettervern.planning.plan import services as plan_services
from tests.discharge.conftest import agreed_plan, crisis_plan, meeting
from tests.pathways.helpers import act, days_ago, plan_stay

KEYS = ["plan_agreed", "team_named", "housing", "economy", "crisis_plan", "before_meeting_held",
        "after_meeting_booked", "measures_owned", "bed_decision", "gp_informed"]


def state(stay, key: str) -> checkpoints.State:  # type: ignore[no-untyped-def]
    return next(s for s in checkpoints.states_for([stay])[stay.pk] if s.key == key)


def test_the_list_is_the_reports_and_all_are_open_for_a_new_stay(stay):  # type: ignore[no-untyped-def]
    states = checkpoints.states_for([stay])[stay.pk]
    assert [s.key for s in states] == KEYS
    assert not any(s.done for s in states)


def test_all_met(all_met):  # type: ignore[no-untyped-def]
    states = checkpoints.states_for([all_met])[all_met.pk]
    assert [s.key for s in states if not s.done] == []
    assert {s.key for s in states if s.source == "tick"} == {"gp_informed"}


def test_plan_agreed_follows_the_plan_and_a_later_change_opens_it_again(  # type: ignore[no-untyped-def]
        stay, pathway, coordinator, patient_user, section_types):
    assert not state(stay, "plan_agreed").done
    plan = agreed_plan(pathway, coordinator, patient_user, housing=False, finances=False)
    assert state(stay, "plan_agreed").done
    assert state(stay, "plan_agreed").source == "data"
    plan_services.section_update(actor=act(coordinator), plan=plan, section="housing",
                                 expected_version=plan.version, goals="Bolig i kommunen.")
    assert not state(stay, "plan_agreed").done   # the patient has not seen this version
    assert state(stay, "housing").done and not state(stay, "economy").done


def test_team_named_needs_both_contact_persons(stay, pathway, coordinator, specialist, municipal):  # type: ignore[no-untyped-def]
    assert state(stay, "team_named").done
    role = CareTeamMember.objects.get(pathway=pathway, staff=municipal)
    pathway_services.careteam_end(actor=act(coordinator), member=role,
                                  expected_version=role.version)
    found = state(stay, "team_named")
    assert not found.done and "kommunen" in found.detail


def test_crisis_plan_and_measures(stay, pathway, coordinator, municipal, patient_user,  # type: ignore[no-untyped-def]
                                  section_types):
    assert not state(stay, "crisis_plan").done and not state(stay, "measures_owned").done
    crisis_plan(pathway, coordinator)
    agreed_plan(pathway, coordinator, patient_user, measure_by=municipal)
    assert state(stay, "crisis_plan").done and state(stay, "measures_owned").done


def test_meetings_count_when_held_or_booked_and_not_when_cancelled(stay):  # type: ignore[no-untyped-def]
    before = meeting(stay, "before_discharge", "planned", days_from_now=2)
    assert not state(stay, "before_meeting_held").done
    before.status, before.held_at = "held", before.starts_at
    before.save(update_fields=["status", "held_at"])
    assert state(stay, "before_meeting_held").done
    after = meeting(stay, "after_discharge", "planned", days_from_now=20)
    assert state(stay, "after_meeting_booked").done
    after.status, after.cancelled_at = "cancelled", after.starts_at
    after.save(update_fields=["status", "cancelled_at"])
    assert not state(stay, "after_meeting_booked").done


def test_a_meeting_of_another_stay_does_not_count(stay, pathway, coordinator):  # type: ignore[no-untyped-def]
    from ettervern.meetings.models import Meeting

    other = plan_stay(pathway, coordinator, stay.unit, days_ago(-40), days_ago(-70))
    held = meeting(stay, "before_discharge", "held", days_from_now=-1)
    Meeting.objects.filter(pk=held.pk).update(stay=other)
    assert not state(stay, "before_meeting_held").done
    Meeting.objects.filter(pk=held.pk).update(stay=None)  # on the pathway, since the admission
    assert state(stay, "before_meeting_held").done


def test_bed_decision_from_a_sequential_admission_or_a_tick(stay, pathway, coordinator):  # type: ignore[no-untyped-def]
    assert not state(stay, "bed_decision").done
    services.checkpoint_tick(actor=act(coordinator), stay=stay, key="bed_decision",
                             note="Ikke behov nå.")
    ticked = state(stay, "bed_decision")
    assert ticked.done and ticked.source == "tick"
    services.checkpoint_untick(actor=act(coordinator), stay=stay, key="bed_decision")
    assert not state(stay, "bed_decision").done
    plan_stay(pathway, coordinator, stay.unit, days_ago(-40), days_ago(-70))
    derived = state(stay, "bed_decision")
    assert derived.done and derived.source == "data"


def test_a_tick_names_the_person_and_the_date_and_untick_keeps_the_row(stay, coordinator):  # type: ignore[no-untyped-def]
    services.checkpoint_tick(actor=act(coordinator), stay=stay, key="gp_informed",
                             note="Ringte fastlegen.")
    ticked = state(stay, "gp_informed")
    assert ticked.done and coordinator.name in ticked.detail and ticked.tick is not None
    services.checkpoint_untick(actor=act(coordinator), stay=stay, key="gp_informed")
    assert not state(stay, "gp_informed").done
    row = CheckpointTick.objects.get(stay=stay)
    assert row.withdrawn_at is not None and row.withdrawn_by_id == coordinator.user_id
    assert stay.pathway.events.filter(kind="checkpoint.unticked").exists()


def test_a_derived_checkpoint_cannot_be_ticked(stay, coordinator):  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation):
        services.checkpoint_tick(actor=act(coordinator), stay=stay, key="crisis_plan")
    with pytest.raises(InvalidInput):
        services.checkpoint_tick(actor=act(coordinator), stay=stay, key="no-such-thing")
    services.checkpoint_tick(actor=act(coordinator), stay=stay, key="gp_informed")
    with pytest.raises(RuleViolation):
        services.checkpoint_tick(actor=act(coordinator), stay=stay, key="gp_informed")
    assert CheckpointTick.objects.filter(stay=stay).count() == 1


@pytest.mark.parametrize("who", ["gp", "nav", "patient_user", "kin_user", "outsider"])
def test_who_may_not_tick_is_refused_and_audited(request, stay, who):  # type: ignore[no-untyped-def]
    person = request.getfixturevalue(who)
    with pytest.raises((NotFound, Forbidden)):
        services.checkpoint_tick(actor=act(person), stay=stay, key="gp_informed")
    assert not CheckpointTick.objects.exists()
    user = getattr(person, "user", person)
    assert AuditEvent.objects.filter(actor_id=user.pk, action="checkpoint.tick",
                                     outcome="denied").exists()


def test_the_list_is_data(stay):  # type: ignore[no-untyped-def]
    CheckpointType.objects.filter(key="economy").update(active=False)
    CheckpointType.objects.filter(key="housing").update(title="Bolig avklart med kommunen")
    states = checkpoints.states_for([stay])[stay.pk]
    assert "economy" not in [s.key for s in states]
    assert "Bolig avklart med kommunen" in [s.title for s in states]


def test_many_stays_at_once_cost_the_same_queries(django_assert_max_num_queries, stay):  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(12):
        checkpoints.states_for([stay])


def test_a_meeting_dated_before_the_admission_does_not_count(stay):  # type: ignore[no-untyped-def]
    meeting(stay, "before_discharge", "held", days_from_now=-30)  # admitted ten days ago
    assert not state(stay, "before_meeting_held").done
