"""Rules the database itself holds, on both SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from ettervern.core import clock
from ettervern.pathways.models import CareTeamMember, Pathway, Stay
from ettervern.pathways.phases import Phase
from tests.pathways.helpers import days_ago


@pytest.mark.django_db
def test_open_pathway_without_coordinator_is_refused_by_the_database(pathway):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pathway.objects.filter(pk=pathway.pk).update(coordinator=None)
    assert Pathway.objects.get(pk=pathway.pk).coordinator_id is not None


@pytest.mark.django_db
def test_closed_pathway_may_have_no_coordinator(pathway):
    Pathway.objects.filter(pk=pathway.pk).update(phase=Phase.CLOSED, closed_at=clock.now(),
                                                 coordinator=None)
    assert Pathway.objects.get(pk=pathway.pk).coordinator_id is None


@pytest.mark.django_db
def test_closed_iff_phase_closed(pathway):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pathway.objects.filter(pk=pathway.pk).update(phase=Phase.CLOSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pathway.objects.filter(pk=pathway.pk).update(closed_at=clock.now())


@pytest.mark.django_db
def test_second_open_pathway_for_a_patient_is_refused_by_the_database(pathway):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pathway.objects.create(patient=pathway.patient, coordinating_unit=pathway.coordinating_unit,
                               coordinator=pathway.coordinator, first_contact_on=days_ago(1))


@pytest.mark.django_db
def test_duplicate_active_care_team_role_is_refused_by_the_database(pathway, municipal):
    member = CareTeamMember.objects.get(pathway=pathway, staff=municipal)
    with pytest.raises(IntegrityError), transaction.atomic():
        CareTeamMember.objects.create(pathway=pathway, staff=municipal, role=member.role)
    CareTeamMember.objects.filter(pk=member.pk).update(ended_at=clock.now())
    CareTeamMember.objects.create(pathway=pathway, staff=municipal, role=member.role)  # allowed


@pytest.mark.django_db
def test_two_ongoing_stays_are_refused_by_the_database(pathway, residential_unit):
    Stay.objects.create(pathway=pathway, unit=residential_unit, planned_start=days_ago(9),
                        status=Stay.Status.ONGOING, admitted_on=days_ago(9))
    with pytest.raises(IntegrityError), transaction.atomic():
        Stay.objects.create(pathway=pathway, unit=residential_unit, planned_start=days_ago(5),
                            status=Stay.Status.ONGOING, admitted_on=days_ago(5))


@pytest.mark.django_db
def test_stay_dates_are_checked_by_the_database(pathway, residential_unit):
    with pytest.raises(IntegrityError), transaction.atomic():
        Stay.objects.create(pathway=pathway, unit=residential_unit, planned_start=days_ago(5),
                            planned_end=days_ago(6))
    with pytest.raises(IntegrityError), transaction.atomic():
        Stay.objects.create(pathway=pathway, unit=residential_unit, planned_start=days_ago(5),
                            admitted_on=days_ago(5), discharged_on=days_ago(6))
