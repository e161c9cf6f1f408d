"""The checklist's services: made by the phase change, updated by owner or coordinator, and
every refusal clear and without a trace in the data."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from ettervern.access.models import AuditEvent
from ettervern.access.policy import PLAN_CONTRIBUTE, PLAN_EDIT
from ettervern.core import clock
from ettervern.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation, StaleVersion
from ettervern.pathways import services as pathway_services
from ettervern.pathways.phases import Phase
from ettervern.planning.checklist import services
from ettervern.planning.checklist.models import ChecklistItem, ChecklistItemType
from ettervern.planning.checklist.selectors import checklist_progress_for
from tests import factories
from tests.pathways.helpers import act, audit_count
from tests.planning.conftest import item, items_of

pytestmark = pytest.mark.django_db
STATUS = ChecklistItem.Status
SEEDED = 12


def update(who, it, **changes):  # type: ignore[no-untyped-def]
    fields = {"status": it.status, "note": it.note, "due_on": it.due_on}
    fields.update(changes)
    return services.checklist_item_update(actor=act(who), item=it,
                                          expected_version=fields.pop("version", it.version),
                                          **fields)


def test_entering_pre_admission_makes_one_item_per_active_type_in_order(pathway, coordinator):  # type: ignore[no-untyped-def]
    ChecklistItemType.objects.create(key="retired", name="Gammelt punkt", active=False)
    assert not ChecklistItem.objects.filter(pathway=pathway).exists()
    pathway_services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                        to_phase=Phase.PRE_ADMISSION, on=clock.today())
    found = items_of(pathway)
    assert len(found) == SEEDED
    assert [i.item_type.key for i in found][:2] == ["care-duties-children", "care-duties-others"]
    assert found[-1].item_type.key == "treatment-plan"
    assert all(i.status == STATUS.NOT_STARTED and i.owner is None for i in found)


def test_entering_again_keeps_what_was_clarified_and_adds_new_types(waiting, coordinator):  # type: ignore[no-untyped-def]
    update(coordinator, item(waiting, "pets"), status=STATUS.CLARIFIED, note="Naboen")
    ChecklistItemType.objects.create(key="dental", name="Tannhelse", order=5)
    actor = act(coordinator)
    pathway_services.pathway_transition(actor=actor, pathway=waiting, to_phase=Phase.CONTACT,
                                        on=clock.today())
    pathway_services.pathway_transition(actor=actor, pathway=waiting,
                                        to_phase=Phase.PRE_ADMISSION, on=clock.today())
    assert len(items_of(waiting)) == SEEDED + 1
    pets = item(waiting, "pets")
    assert pets.status == STATUS.CLARIFIED and pets.note == "Naboen"


def test_a_refused_phase_change_makes_no_checklist(pathway, gp):  # type: ignore[no-untyped-def]
    with pytest.raises(Forbidden):
        pathway_services.pathway_transition(actor=act(gp), pathway=pathway,
                                            to_phase=Phase.PRE_ADMISSION, on=clock.today())
    assert not ChecklistItem.objects.filter(pathway=pathway).exists()


def test_coordinator_sets_status_owner_note_and_date(waiting, coordinator, municipal):  # type: ignore[no-untyped-def]
    housing = item(waiting, "housing")
    on = clock.today() + dt.timedelta(days=7)
    updated = update(coordinator, housing, status=STATUS.CLARIFIED, owner=municipal,
                     note="Husleie betalt ut mars", due_on=on)
    housing.refresh_from_db()
    assert (housing.status, housing.owner_id, housing.note, housing.due_on) == (
        STATUS.CLARIFIED, municipal.pk, "Husleie betalt ut mars", on)
    assert housing.version == 2 == updated.version
    assert housing.updated_by_id == coordinator.user_id
    assert audit_count(action=PLAN_EDIT, outcome="allowed", pathway_id=waiting.pk,
                       object_id=str(housing.public_id)) == 1


def test_the_coordinator_can_be_owner_by_public_id(waiting, coordinator):  # type: ignore[no-untyped-def]
    update(coordinator, item(waiting, "travel"), owner=coordinator.public_id)
    assert item(waiting, "travel").owner_id == coordinator.pk


def test_an_owner_not_on_the_team_is_refused_and_nothing_saved(waiting, coordinator, outsider):  # type: ignore[no-untyped-def]
    housing = item(waiting, "housing")
    with pytest.raises(InvalidInput) as refused:
        update(coordinator, housing, owner=outsider, note="x")
    assert refused.value.field == "owner"
    assert "ikke på behandlingsteamet" in str(refused.value)
    with pytest.raises(InvalidInput):
        update(coordinator, housing, owner=uuid.uuid4())
    housing.refresh_from_db()
    assert housing.owner is None and housing.note == "" and housing.version == 1


def test_a_member_whose_role_ended_cannot_be_made_owner(waiting, coordinator, nav):  # type: ignore[no-untyped-def]
    member = waiting.team.get(staff=nav)
    pathway_services.careteam_end(actor=act(coordinator), member=member,
                                  expected_version=member.version)
    with pytest.raises(InvalidInput):
        update(coordinator, item(waiting, "finances"), owner=nav)


def test_a_note_over_the_limit_is_refused(waiting, coordinator):  # type: ignore[no-untyped-def]
    housing = item(waiting, "housing")
    with pytest.raises(InvalidInput) as refused:
        update(coordinator, housing, note="x" * 1001)
    assert refused.value.field == "note" and "1000" in str(refused.value)
    update(coordinator, housing, note="x" * 1000)  # the limit itself is fine


def test_a_date_years_ahead_is_refused(waiting, coordinator):  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        update(coordinator, item(waiting, "travel"), due_on=dt.date(2262, 1, 1))
    assert refused.value.field == "due_on"


def test_a_stale_version_is_a_conflict_and_changes_nothing(waiting, coordinator, specialist):  # type: ignore[no-untyped-def]
    housing = item(waiting, "housing")
    update(specialist, housing, note="Først")
    with pytest.raises(StaleVersion) as conflict:
        update(coordinator, housing, note="Etterpå", version=1)
    assert "endret" in str(conflict.value)
    housing.refresh_from_db()
    assert housing.note == "Først" and housing.version == 2


def test_an_owner_updates_their_own_item_and_nothing_else(waiting, coordinator, municipal):  # type: ignore[no-untyped-def]
    update(coordinator, item(waiting, "housing"), owner=municipal)
    update(municipal, item(waiting, "housing"), status=STATUS.CLARIFIED, note="Kontrakt ok")
    assert item(waiting, "housing").status == STATUS.CLARIFIED
    assert audit_count(action=PLAN_CONTRIBUTE, outcome="allowed", actor_id=municipal.user_id) == 1
    with pytest.raises(Forbidden) as refused:
        update(municipal, item(waiting, "pets"), status=STATUS.CLARIFIED)
    assert "ansvarlig for" in str(refused.value)
    assert item(waiting, "pets").status == STATUS.NOT_STARTED
    assert audit_count(action=PLAN_EDIT, outcome="denied", actor_id=municipal.user_id) == 1
    # Choosing the owner is the coordinator's, also for the item one owns.
    with pytest.raises(Forbidden):
        update(municipal, item(waiting, "housing"), owner=coordinator)
    assert item(waiting, "housing").owner_id == municipal.pk


@pytest.mark.parametrize("role", ["nav", "gp", "treating_clinician"])
def test_other_contributors_may_only_read_items_they_do_not_own(request, waiting, role):  # type: ignore[no-untyped-def]
    who = request.getfixturevalue(role)
    with pytest.raises(Forbidden):
        update(who, item(waiting, "finances"), status=STATUS.CLARIFIED)
    assert item(waiting, "finances").version == 1


def test_patient_may_not_update_and_next_of_kin_and_outsiders_learn_nothing(  # type: ignore[no-untyped-def]
        waiting, patient_user, kin_user, outsider):
    housing = item(waiting, "housing")
    with pytest.raises(Forbidden):
        update(patient_user, housing, status=STATUS.CLARIFIED)
    for who in (kin_user, outsider):
        with pytest.raises(NotFound):
            update(who, housing, status=STATUS.CLARIFIED)
        assert AuditEvent.objects.filter(actor_id=getattr(who, "user_id", who.pk),
                                         outcome="denied").exists()
    housing.refresh_from_db()
    assert housing.version == 1


def test_a_closed_pathway_is_read_only(waiting, coordinator):  # type: ignore[no-untyped-def]
    pathway_services.pathway_transition(actor=act(coordinator), pathway=waiting,
                                        to_phase=Phase.CLOSED, on=clock.today(),
                                        note="Ønsket ikke innleggelse")
    housing = item(waiting, "housing")
    with pytest.raises(RuleViolation) as refused:
        update(coordinator, housing, status=STATUS.CLARIFIED)
    assert "lukket" in str(refused.value) or "avsluttet" in str(refused.value)
    housing.refresh_from_db()
    assert housing.status == STATUS.NOT_STARTED


def test_progress_of_a_page_of_pathways_in_one_query(coordinator):  # type: ignore[no-untyped-def]
    pathways = [factories.open_pathway(coordinator) for _ in range(4)]
    for p in pathways[:3]:
        pathway_services.pathway_transition(actor=act(coordinator), pathway=p,
                                            to_phase=Phase.PRE_ADMISSION, on=clock.today())
        p.refresh_from_db()
    update(coordinator, item(pathways[0], "pets"), status=STATUS.NOT_RELEVANT)
    update(coordinator, item(pathways[0], "allergies"), status=STATUS.CLARIFIED)
    with CaptureQueriesContext(connection) as ctx:
        progress = checklist_progress_for(pathways)
    assert len(ctx.captured_queries) == 1
    assert str(progress[pathways[0].pk]) == f"2/{SEEDED}"
    assert str(pathways[1].checklist_progress) == f"0/{SEEDED}"  # type: ignore[attr-defined]
    assert pathways[3].checklist_progress is None  # type: ignore[attr-defined]
    with CaptureQueriesContext(connection) as ctx:
        assert checklist_progress_for(pathways[3:]) == {}
    assert len(ctx.captured_queries) == 0


def test_the_database_holds_one_item_per_type_and_the_note_limit(waiting):  # type: ignore[no-untyped-def]
    housing = item(waiting, "housing")
    with pytest.raises(IntegrityError), transaction.atomic():
        ChecklistItem.objects.create(pathway=waiting, item_type=housing.item_type)
    with pytest.raises(IntegrityError), transaction.atomic():
        ChecklistItem.objects.filter(pk=housing.pk).update(note="x" * 1001)
