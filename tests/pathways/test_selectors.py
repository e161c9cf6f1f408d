"""pathway_worklist, pathway_get, stay_get, careteam_member_get, pathway_detail."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ettervern.access.models import AuditEvent
from ettervern.access.policy import EDIT, STAY, TEAM, VIEW
from ettervern.core import clock
from ettervern.core.errors import Forbidden, InvalidInput, NotFound
from ettervern.pathways import services
from ettervern.pathways.models import CareTeamMember, Pathway
from ettervern.pathways.phases import Phase
from ettervern.pathways.selectors import (
    careteam_member_get,
    pathway_detail,
    pathway_get,
    pathway_worklist,
    stay_get,
)
from ettervern.patients.models import Patient
from tests import factories
from tests.access.test_policy import EXPECTED, ROLE_FIXTURE
from tests.pathways.helpers import act, days_ago, plan_stay
from tests.pathways.test_phases import bring_to


def _ids(worklist):  # type: ignore[no-untyped-def]
    return [row.pathway.pk for row in worklist.rows]


def _new_user(username: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username=username, password=None)


def _name(pathway: Pathway, given: str, family: str) -> None:
    Patient.objects.filter(pk=pathway.patient_id).update(given_name=given, family_name=family)


@pytest.mark.django_db
def test_scope_mine_and_unit(pathway, coordinator, colleague, treating_clinician, gp, outsider):
    assert _ids(pathway_worklist(actor=act(coordinator))) == [pathway.pk]
    assert _ids(pathway_worklist(actor=act(gp))) == [pathway.pk]                  # team role
    assert _ids(pathway_worklist(actor=act(colleague))) == []
    assert _ids(pathway_worklist(actor=act(colleague), scope="unit")) == [pathway.pk]
    assert _ids(pathway_worklist(actor=act(treating_clinician))) == []
    assert _ids(pathway_worklist(actor=act(treating_clinician), scope="unit")) == [pathway.pk]
    for scope in ("mine", "unit"):
        assert _ids(pathway_worklist(actor=act(outsider), scope=scope)) == []


@pytest.mark.django_db
def test_patient_and_next_of_kin_see_their_pathway_in_mine(pathway, patient_user, kin_user):
    assert _ids(pathway_worklist(actor=act(patient_user))) == [pathway.pk]
    assert _ids(pathway_worklist(actor=act(kin_user))) == [pathway.pk]


@pytest.mark.django_db
def test_invalid_scope_or_phase(coordinator):
    with pytest.raises(InvalidInput):
        pathway_worklist(actor=act(coordinator), scope="everyone")
    with pytest.raises(InvalidInput):
        pathway_worklist(actor=act(coordinator), phase="limbo")


@pytest.mark.django_db
def test_phase_filter_and_closed_hidden_by_default(coordinator, residential_unit):
    patient_user = _new_user("pasient2")
    contact = factories.open_pathway(coordinator)
    pre = factories.open_pathway(coordinator)
    bring_to(pre, Phase.PRE_ADMISSION, coordinator, residential_unit)
    closed = factories.open_pathway(coordinator)
    bring_to(closed, Phase.CLOSED, coordinator, residential_unit)
    me = act(coordinator)
    assert set(_ids(pathway_worklist(actor=me))) == {contact.pk, pre.pk}
    assert _ids(pathway_worklist(actor=me, phase=Phase.PRE_ADMISSION)) == [pre.pk]
    assert _ids(pathway_worklist(actor=me, phase=Phase.CONTACT)) == [contact.pk]
    # The coordinating clinic finds its closed pathways with the phase filter.
    assert _ids(pathway_worklist(actor=me, phase=Phase.CLOSED)) == [closed.pk]
    # The patient keeps seeing their closed pathway when they ask for it.
    Patient.objects.filter(pk=closed.patient_id).update(user=patient_user)
    assert _ids(pathway_worklist(actor=act(patient_user), phase=Phase.CLOSED)) == [closed.pk]


@pytest.mark.django_db
def test_name_search(coordinator):
    a, b, c = (factories.open_pathway(coordinator) for _ in range(3))
    _name(a, "Kari", "Nordmann")
    _name(b, "Ola", "Nordmann")
    _name(c, "Kari", "Hansen")
    me = act(coordinator)
    assert set(_ids(pathway_worklist(actor=me, query="nordmann"))) == {a.pk, b.pk}
    assert _ids(pathway_worklist(actor=me, query="kari nord")) == [a.pk]
    assert _ids(pathway_worklist(actor=me, query="Per")) == []


@pytest.mark.django_db
def test_pagination_and_one_audit_row_per_pathway_shown(coordinator):
    pathways = [factories.open_pathway(coordinator) for _ in range(5)]
    newest_first = [p.pk for p in reversed(pathways)]
    me = act(coordinator)
    before = AuditEvent.objects.count()
    first = pathway_worklist(actor=me, page_size=2)
    assert _ids(first) == newest_first[:2]
    assert first.page.paginator.count == 5 and first.page.has_next()
    listed = AuditEvent.objects.filter(id__gt=0, action="pathway.list").order_by("id")
    assert AuditEvent.objects.count() == before + 2
    assert [e.pathway_id for e in listed] == newest_first[:2]
    assert all(e.outcome == "allowed" and e.basis == "coordinator" for e in listed)
    assert {e.patient_id for e in listed} == {
        p.patient_id for p in pathways if p.pk in newest_first[:2]}
    last = pathway_worklist(actor=me, page=3, page_size=2)
    assert _ids(last) == newest_first[4:]
    assert _ids(pathway_worklist(actor=me, page=99, page_size=2)) == newest_first[4:]
    assert AuditEvent.objects.filter(action="pathway.list").count() == 4


@pytest.mark.django_db
def test_empty_worklist_writes_no_audit(outsider):
    pathway_worklist(actor=act(outsider))
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_row_values_while_waiting(coordinator, residential_unit, clinic):
    p = factories.open_pathway(coordinator, referral_on=days_ago(12))
    services.pathway_transition(actor=act(coordinator), pathway=p, to_phase=Phase.PRE_ADMISSION,
                                on=days_ago(2))
    later = clock.today() + dt.timedelta(days=20)
    soon = clock.today() + dt.timedelta(days=6)
    plan_stay(p, coordinator, residential_unit, later, later + dt.timedelta(days=10))
    plan_stay(p, coordinator, residential_unit, soon, soon + dt.timedelta(days=5))
    (row,) = pathway_worklist(actor=act(coordinator)).rows
    assert row.days_waiting == 12
    assert row.next_planned_date == soon
    assert row.responsible_unit_name == clinic.name


@pytest.mark.django_db
def test_row_values_during_and_after_a_stay(coordinator, residential_unit, clinic):
    p = factories.open_pathway(coordinator, referral_on=days_ago(40))
    services.pathway_transition(actor=act(coordinator), pathway=p, to_phase=Phase.PRE_ADMISSION,
                                on=days_ago(30))
    end = clock.today() + dt.timedelta(days=4)
    stay = plan_stay(p, coordinator, residential_unit, days_ago(25), end)
    services.stay_admit(actor=act(coordinator), stay=stay, on=days_ago(26 - 1))
    (row,) = pathway_worklist(actor=act(coordinator)).rows
    assert row.days_waiting == 15                      # referral to first admission
    assert row.next_planned_date == end                # the expected discharge
    assert row.responsible_unit_name == residential_unit.name
    services.stay_discharge(actor=act(coordinator), stay=stay, on=days_ago(1),
                            reason="Pasienten ønsket å reise hjem.")
    (row,) = pathway_worklist(actor=act(coordinator)).rows
    assert row.days_waiting == 15
    assert row.next_planned_date is None
    assert row.responsible_unit_name == clinic.name


@pytest.mark.django_db
def test_closed_without_admission_has_no_waiting_time(coordinator):
    patient_user = _new_user("pasient2")
    p = factories.open_pathway(coordinator)
    services.pathway_transition(actor=act(coordinator), pathway=p, to_phase=Phase.CLOSED,
                                on=days_ago(1), note="Ferdig.")
    Patient.objects.filter(pk=p.patient_id).update(user=patient_user)
    (row,) = pathway_worklist(actor=act(patient_user), phase=Phase.CLOSED).rows
    assert row.days_waiting is None


@pytest.mark.django_db
def test_worklist_query_count_does_not_grow_with_rows(coordinator, residential_unit):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            worklist = pathway_worklist(actor=act(coordinator))
            [(r.days_waiting, r.next_planned_date, r.responsible_unit_name,
              r.pathway.patient.full_name, r.pathway.coordinator.name) for r in worklist.rows]
        return len(ctx)

    p = factories.open_pathway(coordinator)
    plan_stay(p, coordinator, residential_unit, days_ago(3))
    few = count()
    for _ in range(6):
        plan_stay(factories.open_pathway(coordinator), coordinator, residential_unit,
                  days_ago(3))
    assert count() == few
    # The standing, the count and the page (one UNION each), the bases, one audit insert.
    assert few <= 5


@pytest.mark.django_db
def test_empty_worklist_reads_the_standing_and_one_page_of_ids(pathway, outsider):
    with CaptureQueriesContext(connection) as ctx:
        worklist = pathway_worklist(actor=act(outsider), scope="unit")
    assert worklist.rows == [] and worklist.page.paginator.count == 0
    assert len(ctx) == 2  # no count, no rows, no audit row: nobody was shown


@pytest.mark.django_db
def test_whole_worklist_iterates_past_the_first_page(coordinator):
    for _ in range(3):
        factories.open_pathway(coordinator)
    worklist = pathway_worklist(actor=act(coordinator), page_size=2)
    assert len(list(worklist.page.paginator.object_list)) == 3


# --- single pathway reads ----------------------------------------------------------------

@pytest.mark.django_db
def test_pathway_get(pathway, coordinator, gp, outsider):
    assert pathway_get(actor=act(coordinator), public_id=pathway.public_id) == pathway
    assert pathway_get(actor=act(gp), public_id=str(pathway.public_id)) == pathway
    with pytest.raises(Forbidden):
        pathway_get(actor=act(gp), public_id=pathway.public_id, action=EDIT)
    with pytest.raises(NotFound):
        pathway_get(actor=act(outsider), public_id=pathway.public_id)
    assert AuditEvent.objects.filter(outcome="denied").count() == 2
    for bad in (uuid.uuid4(), "not-a-uuid", None, 12):
        with pytest.raises(NotFound):
            pathway_get(actor=act(coordinator), public_id=bad)


@pytest.mark.django_db
def test_stay_get_and_member_get(pathway, coordinator, residential_unit, municipal, outsider):
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(3))
    member = CareTeamMember.objects.get(staff=municipal)
    assert stay_get(actor=act(coordinator), public_id=stay.public_id, action=STAY) == stay
    assert careteam_member_get(actor=act(coordinator), public_id=member.public_id,
                               action=TEAM) == member
    event = AuditEvent.objects.latest("id")
    assert (event.object_type, event.object_id) == ("CareTeamMember", str(member.public_id))
    with pytest.raises(NotFound):
        stay_get(actor=act(outsider), public_id=stay.public_id, action=VIEW)
    with pytest.raises(NotFound):
        careteam_member_get(actor=act(outsider), public_id=member.public_id, action=VIEW)
    with pytest.raises(Forbidden):
        stay_get(actor=act(municipal), public_id=stay.public_id, action=STAY)
    for fn in (stay_get, careteam_member_get):
        with pytest.raises(NotFound):
            fn(actor=act(coordinator), public_id="nope", action=VIEW)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ROLE_FIXTURE))
def test_detail_allowed_actions_per_role(role, request, pathway):
    person = request.getfixturevalue(ROLE_FIXTURE[role])
    detail = pathway_detail(actor=act(getattr(person, "user", person)),
                            public_id=pathway.public_id)
    assert detail.allowed == EXPECTED[role]
    assert detail.basis.role in {role, "coordinator"}


@pytest.mark.django_db
def test_detail_refused_without_role(pathway, outsider):
    with pytest.raises(NotFound):
        pathway_detail(actor=act(outsider), public_id=pathway.public_id)
    event = AuditEvent.objects.get(actor_id=outsider.user.pk)
    assert (event.action, event.outcome, event.actor_id) == (VIEW, "denied", outsider.user.pk)


@pytest.mark.django_db
def test_detail_content_and_query_count(pathway, coordinator, colleague, residential_unit,
                                        municipal, gp):
    plan_stay(pathway, coordinator, residential_unit, days_ago(3))
    services.careteam_end(actor=act(coordinator),
                          member=CareTeamMember.objects.get(staff=gp), expected_version=1)
    services.coordinator_handover(actor=act(coordinator), pathway=pathway, to_staff=colleague,
                                  expected_version=pathway.version, reason="Permisjon.")
    with CaptureQueriesContext(connection) as ctx:
        detail = pathway_detail(actor=act(colleague), public_id=pathway.public_id)
        [(s.unit.organisation.name) for s in detail.stays]
        [(m.staff.name) for m in detail.team]
        [(h.from_staff.name, h.to_staff.name) for h in detail.handovers]
        list(detail.events)
    # Nine: the pathway, the user's standing, one query for the bases, the audit row, then
    # stays, team, hand-overs, and the events page with its count.
    assert len(ctx) <= 9
    assert [s.unit for s in detail.stays] == [residential_unit]
    assert [m.staff for m in detail.team] == [municipal]          # the ended GP role is gone
    assert [h.to_staff for h in detail.handovers] == [colleague]
    kinds = [e.kind for e in detail.events]
    assert kinds[0] == "coordinator.handover" and kinds[-1] == "pathway.opened"
    assert detail.treating_unit_name == pathway.coordinating_unit.name
    assert detail.basis.role == "coordinator"
