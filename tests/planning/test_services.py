"""The plan's services: one plan per pathway, versions per save, the refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation, StaleVersion
from ettervern.pathways import services as pathway_services
from ettervern.pathways.phases import Phase
from ettervern.planning.plan import services
from ettervern.planning.plan.models import Measure, Plan, PlanSection, PlanVersion, SectionType
from tests import factories
from tests.pathways.helpers import act, days_ago


def add_measure(plan, who, responsible, **extra):  # type: ignore[no-untyped-def]
    fields = {"section": "housing", "description": "Søke kommunal bolig",
              "start_on": clock.today(), "end_on": clock.today() + dt.timedelta(days=30)}
    fields.update(extra)
    version = Plan.objects.get(pk=plan.pk).version  # as a page would have read it
    return services.measure_add(actor=act(who), plan=plan, expected_version=version,
                                responsible=responsible, **fields)


def test_the_template_sections_are_data(db):
    keys = list(SectionType.objects.values_list("key", flat=True))
    assert keys == ["housing", "finances", "functioning", "specialist_followup", "networks",
                    "next_of_kin", "dental_gp", "municipal_followup"]


def test_create_makes_every_section_and_the_first_version(plan, coordinator):
    assert plan.version == 1 and plan.coordinator == coordinator
    assert PlanSection.objects.filter(plan=plan).count() == 8
    first = PlanVersion.objects.get(plan=plan)
    assert first.number == 1 and first.kind == "plan.created"
    assert len(first.snapshot["sections"]) == 8


def test_one_plan_per_pathway(plan, pathway, coordinator):
    with pytest.raises(RuleViolation):
        services.plan_create(actor=act(coordinator), pathway=pathway)
    assert Plan.objects.count() == 1


def test_every_save_keeps_a_version(plan, coordinator, municipal):
    services.plan_update(actor=act(coordinator), plan=plan, expected_version=1,
                         coordinator=municipal, period_start=clock.today(),
                         period_end=clock.today() + dt.timedelta(days=180), next_revision_on=None,
                         goals="Jeg vil ha et sted å bo.")
    measure = add_measure(plan, coordinator, municipal)
    services.measure_update(actor=act(coordinator), measure=measure, expected_version=3,
                            description="Søke kommunal bolig i Bodø", responsible=municipal,
                            status=Measure.Status.ONGOING)
    plan.refresh_from_db()
    assert plan.version == 4 and plan.coordinator == municipal
    numbers = list(PlanVersion.objects.filter(plan=plan).order_by("number")
                   .values_list("number", "kind"))
    assert numbers == [(1, "plan.created"), (2, "plan.updated"), (3, "plan.measure_added"),
                       (4, "plan.measure_updated")]
    last = PlanVersion.objects.get(plan=plan, number=4).snapshot
    assert last["texts"]["goals"] == "Jeg vil ha et sted å bo."
    assert last["sections"][0]["measures"][0]["description"] == "Søke kommunal bolig i Bodø"


def test_stale_version_is_refused_and_nothing_is_saved(plan, coordinator, colleague):
    services.section_update(actor=act(coordinator), plan=plan, section="housing",
                            expected_version=1, goals="Egen leilighet")
    with pytest.raises(StaleVersion):
        services.section_update(actor=act(colleague), plan=plan, section="housing",
                                expected_version=1, goals="Bo hos mor")
    assert PlanSection.objects.get(plan=plan, section_type__key="housing").goals == \
        "Egen leilighet"
    assert PlanVersion.objects.filter(plan=plan).count() == 2


def test_end_before_start_is_refused(plan, coordinator):
    with pytest.raises(InvalidInput) as refused:
        add_measure(plan, coordinator, coordinator, start_on=clock.today(),
                    end_on=clock.today() - dt.timedelta(days=1))
    assert refused.value.field == "end_on"
    assert not Measure.objects.exists() and PlanVersion.objects.count() == 1


def test_responsible_not_on_the_care_team_is_refused(plan, coordinator, outsider):
    with pytest.raises(InvalidInput) as refused:
        add_measure(plan, coordinator, outsider)
    assert refused.value.field == "responsible"
    assert "ikke i behandlingsteamet" in str(refused.value.message)
    assert not Measure.objects.exists()


def test_coordinator_must_be_on_the_care_team(plan, coordinator, outsider):
    with pytest.raises(InvalidInput):
        services.plan_update(actor=act(coordinator), plan=plan, expected_version=1,
                             coordinator=outsider, period_start=None, period_end=None,
                             next_revision_on=None)
    plan.refresh_from_db()
    assert plan.coordinator == coordinator and plan.version == 1


def test_text_over_the_limit_is_refused(plan, coordinator):
    with pytest.raises(InvalidInput) as refused:
        add_measure(plan, coordinator, coordinator, description="x" * 1001)
    assert refused.value.field == "description"
    with pytest.raises(InvalidInput):
        services.plan_update(actor=act(coordinator), plan=plan, expected_version=1,
                             coordinator=coordinator, period_start=None, period_end=None,
                             next_revision_on=None, goals="x" * 2001)
    assert PlanVersion.objects.count() == 1


def test_a_measure_on_a_closed_pathway_is_refused(plan, pathway, coordinator):
    pathway_services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                        to_phase=Phase.CLOSED, on=clock.today(), note="Flyttet.")
    plan.pathway.refresh_from_db()
    with pytest.raises(RuleViolation) as refused:
        add_measure(plan, coordinator, coordinator)
    assert "avsluttet" in str(refused.value.message)
    assert not Measure.objects.exists()
    assert AuditEvent.objects.filter(basis="pathway closed", outcome="denied").exists()


def test_readers_may_not_edit(plan, gp, patient_user):
    with pytest.raises(Forbidden):
        services.plan_update(actor=act(gp), plan=plan, expected_version=1, coordinator=None,
                             period_start=None, period_end=None, next_revision_on=None)
    with pytest.raises(Forbidden):
        services.section_update(actor=act(patient_user), plan=plan, section="housing",
                                expected_version=1, goals="Mitt mål")
    assert PlanVersion.objects.count() == 1


def test_contributors_change_only_their_parts(plan, gp, municipal, coordinator):
    # The GP owns the dental and GP section.
    services.section_update(actor=act(gp), plan=plan, section="dental_gp", expected_version=1,
                            goals="Gå til tannlegen")
    with pytest.raises(Forbidden):
        services.section_update(actor=act(gp), plan=plan, section="housing",
                                expected_version=2, goals="Noe annet")
    # A measure the GP is responsible for, in another section, is theirs to change.
    measure = add_measure(plan, coordinator, gp, section="networks")
    services.measure_update(actor=act(gp), measure=measure, expected_version=3,
                            description="Treningsgruppe", responsible=gp)
    other = add_measure(plan, coordinator, municipal, section="networks")
    with pytest.raises(Forbidden):
        services.measure_update(actor=act(gp), measure=other, expected_version=5,
                                description="Noe annet", responsible=gp)
    # Naming oneself responsible does not open another service's section for a new measure.
    measures = Measure.objects.count()
    with pytest.raises(Forbidden):
        services.measure_add(actor=act(gp), plan=plan, expected_version=5, section="housing",
                             description="Fastlegen skaffer bolig", responsible=gp)
    assert Measure.objects.count() == measures


def test_next_of_kin_and_outsiders_change_nothing(plan, kin_user, outsider):
    # The next of kin may follow the pathway but not see the plan, and an outsider may see
    # neither: both are told "not found", so neither learns that a plan exists.
    with pytest.raises(NotFound):
        services.section_update(actor=act(kin_user), plan=plan, section="housing",
                                expected_version=1, goals="x")
    with pytest.raises(NotFound):
        services.section_update(actor=act(outsider), plan=plan, section="housing",
                                expected_version=1, goals="x")
    assert PlanVersion.objects.count() == 1


def test_agreement_is_asked_again_after_a_change(plan, patient_user, coordinator):
    agreed = services.plan_agree(actor=act(patient_user), plan=plan, expected_version=1)
    assert agreed.agreed_to_current and agreed.agreed_at is not None
    services.section_update(actor=act(coordinator), plan=plan, section="housing",
                            expected_version=1, goals="Egen leilighet")
    plan.refresh_from_db()
    assert plan.agreed_version == 1 and not plan.agreed_to_current
    with pytest.raises(StaleVersion):
        services.plan_agree(actor=act(patient_user), plan=plan, expected_version=1)


def test_only_the_patient_responds(plan, coordinator, patient_user):
    with pytest.raises(Forbidden):
        services.plan_comment(actor=act(coordinator), plan=plan, text="Hei")
    comment = services.plan_comment(actor=act(patient_user), plan=plan, text="Jeg vil ha hund.")
    assert comment.plan_version == 1
    with pytest.raises(InvalidInput):
        services.plan_comment(actor=act(patient_user), plan=plan, text="x" * 2001)


def test_the_database_holds_the_rules(plan, coordinator):
    from django.db import IntegrityError, transaction

    section = PlanSection.objects.filter(plan=plan).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(plan=plan, section=section, description="x",
                               responsible=coordinator, responsible_service="s",
                               start_on=clock.today(), end_on=clock.today() - dt.timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(plan=plan, section=section, description="x" * 1001,
                               responsible=coordinator, responsible_service="s")
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(goals="x" * 2001)


def test_a_treating_unit_contributes_to_the_specialist_section(plan, treating_clinician,
                                                              coordinator):
    services.section_update(actor=act(treating_clinician), plan=plan,
                            section="specialist_followup", expected_version=1,
                            goals="Samtaler hver uke")
    assert days_ago(0) == clock.today()
    assert factories  # the module's builders stay importable for other tests


def test_every_plan_service_leaves_its_event(plan, coordinator, patient_user):
    from ettervern.pathways.events import SENTENCES, render
    from ettervern.pathways.models import PathwayEvent

    services.plan_update(actor=act(coordinator), plan=plan, expected_version=1,
                         coordinator=coordinator, period_start=None, period_end=None,
                         next_revision_on=None, goals="Bo trygt")
    services.section_update(actor=act(coordinator), plan=plan, section="housing",
                            expected_version=2, goals="Leilighet")
    measure = add_measure(plan, coordinator, coordinator)
    services.measure_update(actor=act(coordinator), measure=measure, expected_version=4,
                            description="Bolig", responsible=coordinator)
    services.plan_comment(actor=act(patient_user), plan=plan, text="Fint")
    services.plan_agree(actor=act(patient_user), plan=plan, expected_version=5)
    events = PathwayEvent.objects.filter(pathway=plan.pathway, kind__startswith="plan.")
    assert {e.kind for e in events} == {k for k in SENTENCES if k.startswith("plan.")}
    assert all(render(e) != e.kind for e in events)
