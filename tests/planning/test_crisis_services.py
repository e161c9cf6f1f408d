"""The crisis plan's service and selector: saving whole against a version, limits, phone
numbers, who may write and read, a closed pathway — and that a refusal saves nothing."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from ettervern.access.models import AuditEvent
from ettervern.access.policy import CRISIS_EDIT
from ettervern.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation, StaleVersion
from ettervern.pathways import services as pathway_services
from ettervern.pathways.phases import Phase
from ettervern.planning.crisis import selectors
from ettervern.planning.crisis.models import CrisisContact, CrisisPlan
from ettervern.planning.crisis.services import ContactData, crisisplan_save
from tests.pathways.helpers import act, days_ago

pytestmark = pytest.mark.django_db


def save(who, pathway, version=0, **changes):  # type: ignore[no-untyped-def]
    fields = {"warning_signs": "Sover dårlig", "own_actions": "Ringer Per",
              "others_actions": "Mamma ringer meg", "bed": "Døgnavdelingen, 5 døgn",
              "contacts": [ContactData("Per", "412 34 567", "Om kvelden"),
                           ContactData("Legevakt", "116 117")]}
    fields.update(changes)
    return crisisplan_save(actor=act(who), pathway=pathway, expected_version=version, **fields)


def test_first_save_creates_the_plan_with_normalised_numbers(pathway, coordinator):
    plan = save(coordinator, pathway)
    assert plan.version == 1
    assert [(c.name, c.phone, c.when) for c in plan.contacts.all()] == [
        ("Per", "+4741234567", "Om kvelden"), ("Legevakt", "116117", "")]
    assert plan.updated_by_name == coordinator.name
    assert AuditEvent.objects.filter(action=CRISIS_EDIT, outcome="allowed").count() == 1


def test_a_save_replaces_texts_and_contacts_and_bumps_the_version(pathway, coordinator):
    save(coordinator, pathway)
    plan = save(coordinator, pathway, version=1, warning_signs="Nytt",
                contacts=[ContactData("Kari", "+47 22 11 33 44", "")])
    assert plan.version == 2
    plan.refresh_from_db()
    assert plan.warning_signs == "Nytt"
    assert list(plan.contacts.values_list("name", "phone")) == [("Kari", "+4722113344")]


def test_a_stale_version_changes_nothing(pathway, coordinator, specialist):
    save(coordinator, pathway)
    save(specialist, pathway, version=1, warning_signs="Spesialistens")
    with pytest.raises(StaleVersion) as stale:
        save(coordinator, pathway, version=1, warning_signs="Koordinatorens")
    assert "Last siden på nytt" in str(stale.value)
    plan = CrisisPlan.objects.get(pathway=pathway)
    assert (plan.version, plan.warning_signs) == (2, "Spesialistens")


def test_a_second_first_save_is_stale(pathway, coordinator):
    save(coordinator, pathway)
    with pytest.raises(StaleVersion):
        save(coordinator, pathway, version=0)
    assert CrisisPlan.objects.count() == 1


@pytest.mark.parametrize(("field", "value"), [
    ("warning_signs", "x" * 2001), ("own_actions", "x" * 2001), ("others_actions", "x" * 2001),
    ("bed", "x" * 1001),
])
def test_text_over_its_limit_is_refused(pathway, coordinator, field, value):
    with pytest.raises(InvalidInput) as refused:
        save(coordinator, pathway, **{field: value})
    assert refused.value.field == field
    assert not CrisisPlan.objects.exists()


@pytest.mark.parametrize(("contact", "field"), [
    (ContactData("Per", "12345"), "contacts.0.phone"),
    (ContactData("", "41234567"), "contacts.0.name"),
    (ContactData("x" * 101, "41234567"), "contacts.0.name"),
    (ContactData("Per", "41234567", "x" * 301), "contacts.0.when"),
])
def test_a_bad_contact_is_refused_on_its_field(pathway, coordinator, contact, field):
    with pytest.raises(InvalidInput) as refused:
        save(coordinator, pathway, contacts=[contact])
    assert refused.value.field == field
    assert not CrisisPlan.objects.exists()


def test_at_most_ten_contacts(pathway, coordinator):
    with pytest.raises(InvalidInput):
        save(coordinator, pathway, contacts=[ContactData("Per", "41234567")] * 11)


@pytest.mark.parametrize("role", ["treating_clinician", "nav", "gp", "patient_user"])
def test_roles_that_only_read_are_refused(request, pathway, coordinator, role):
    save(coordinator, pathway)
    person = request.getfixturevalue(role)
    with pytest.raises(Forbidden):
        save(person, pathway, version=1, warning_signs="Endret")
    assert CrisisPlan.objects.get().warning_signs == "Sover dårlig"
    assert selectors.crisisplan_get(actor=act(person), public_id=pathway.public_id).plan


@pytest.mark.parametrize("role", ["colleague", "specialist", "municipal"])
def test_the_care_team_with_the_right_may_edit(request, pathway, role):
    person = request.getfixturevalue(role)
    assert save(person, pathway).version == 1


def test_next_of_kin_and_outsiders_see_nothing(pathway, coordinator, kin_user, outsider):
    save(coordinator, pathway)
    for person in (kin_user, outsider):
        with pytest.raises(NotFound):
            selectors.crisisplan_get(actor=act(person), public_id=pathway.public_id)
    with pytest.raises(NotFound):
        save(outsider, pathway, version=1)


def test_a_closed_pathway_is_read_only(pathway, coordinator):
    save(coordinator, pathway)
    pathway_services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                        to_phase=Phase.CLOSED, on=days_ago(0), note="Ferdig")
    pathway.refresh_from_db()
    with pytest.raises((Forbidden, RuleViolation)):
        save(coordinator, pathway, version=1, warning_signs="Etterpå")
    view = selectors.crisisplan_get(actor=act(coordinator), public_id=pathway.public_id)
    assert view.plan is not None and view.plan.warning_signs == "Sover dårlig"
    assert not view.can_edit


def test_the_patient_reads_the_plan(pathway, coordinator, patient_user):
    save(coordinator, pathway)
    view = selectors.crisisplan_get(actor=act(patient_user), public_id=pathway.public_id)
    assert [c.name for c in view.contacts] == ["Per", "Legevakt"]
    assert not view.can_edit


def test_before_any_plan_the_reader_gets_version_0(pathway, coordinator):
    view = selectors.crisisplan_get(actor=act(coordinator), public_id=pathway.public_id)
    assert (view.plan, view.version, view.is_empty, view.can_edit) == (None, 0, True, True)


@pytest.mark.parametrize(("changes"), [
    {"warning_signs": "x" * 2001}, {"bed": "x" * 1001},
])
def test_the_database_holds_the_text_limits(pathway, coordinator, changes):
    plan = save(coordinator, pathway)
    with pytest.raises(IntegrityError), transaction.atomic():
        CrisisPlan.objects.filter(pk=plan.pk).update(**changes)


@pytest.mark.parametrize("phone", ["41234567", "+46701234567", "+4701234567", ""])
def test_the_database_holds_normalised_phone_numbers(pathway, coordinator, phone):
    plan = save(coordinator, pathway)
    with pytest.raises(IntegrityError), transaction.atomic():
        CrisisContact.objects.create(plan=plan, position=5, name="X", phone=phone)
