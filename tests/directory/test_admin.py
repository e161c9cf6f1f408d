"""The admin screens serve the directory only: they never become a way around the access policy."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission

from ettervern.directory.models import Organisation, Staff, Unit
from tests import factories

PATIENT_DATA_APPS = {"patients", "pathways", "access"}


def test_no_patient_data_model_is_registered_in_the_admin():  # type: ignore[no-untyped-def]
    registered = {model._meta.app_label for model in admin.site._registry}
    assert registered & PATIENT_DATA_APPS == set()
    assert Organisation in admin.site._registry and Unit in admin.site._registry


@pytest.mark.django_db
def test_unit_administrator_can_manage_units_but_not_reach_patient_pages(client, pathway):  # type: ignore[no-untyped-def]
    administrator = factories.staff(Staff.Profession.ADMIN, username="enhetsadmin")
    administrator.user.is_staff = True
    administrator.user.save()
    administrator.user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="directory"))
    client.force_login(administrator.user)

    assert client.get("/admin/directory/unit/").status_code == 200
    assert client.get("/admin/patients/patient/").status_code == 404
    assert client.get("/admin/pathways/pathway/").status_code == 404
    assert client.get(f"/forlop/{pathway.public_id}/").status_code == 404
    assert client.get(f"/api/pathways/{pathway.public_id}").status_code == 404


@pytest.mark.django_db
def test_directory_selectors_filter_by_kind_and_name(clinic, residential_unit):  # type: ignore[no-untyped-def]
    from ettervern.directory.selectors import staff_list, unit_list

    assert list(unit_list(kind=Unit.Kind.RESIDENTIAL)) == [residential_unit]
    assert list(unit_list(query="poliklinikk")) == [clinic]
    person = factories.staff(units=[clinic])
    assert list(staff_list(unit=clinic)) == [person]
    assert list(staff_list(unit=residential_unit)) == []


@pytest.mark.django_db
def test_staff_list_by_unit_kind(clinic, residential_unit):  # type: ignore[no-untyped-def]
    from ettervern.directory.selectors import staff_list

    both = factories.staff(units=[clinic, residential_unit])
    residential_only = factories.staff(Staff.Profession.CLINICIAN, units=[residential_unit])
    assert list(staff_list(unit_kind=Unit.Kind.OUTPATIENT)) == [both]
    assert set(staff_list(unit_kind=Unit.Kind.RESIDENTIAL)) == {both, residential_only}


def _post_staff(client, person, **changes):  # type: ignore[no-untyped-def]
    data = {"user": person.user_id, "name": person.name, "hpr_number": person.hpr_number,
            "profession": person.profession,
            "units": [u.pk for u in person.units.all()], "_save": "Save"}
    data.update(changes)
    return client.post(f"/admin/directory/staff/{person.pk}/change/", data)


@pytest.mark.django_db
def test_unit_administrator_cannot_give_themselves_a_unit(client, unit_administrator, clinic,  # type: ignore[no-untyped-def]
                                                          pathway):
    client.force_login(unit_administrator.user)
    _post_staff(client, unit_administrator, units=[clinic.pk])
    assert not unit_administrator.units.filter(pk=clinic.pk).exists()
    assert client.get(f"/api/pathways/{pathway.public_id}").status_code == 404


@pytest.mark.django_db
def test_unit_administrator_cannot_rebind_a_login_or_hpr_number(client, unit_administrator):  # type: ignore[no-untyped-def]
    colleague = factories.staff(units=[factories.unit()])
    colleague.hpr_number = "1234567"
    colleague.save()
    client.force_login(unit_administrator.user)
    spare_login = factories.staff(units=[]).user
    spare_login.staff.delete()
    _post_staff(client, colleague, hpr_number="7654321")
    _post_staff(client, colleague, user=spare_login.pk)
    colleague.refresh_from_db()
    assert colleague.hpr_number == "1234567"
    assert colleague.user_id != spare_login.pk


@pytest.mark.django_db
def test_staff_unit_changes_are_audited(client, unit_administrator, clinic):  # type: ignore[no-untyped-def]
    from ettervern.access.models import AuditEvent

    colleague = factories.staff(units=[factories.unit()])
    client.force_login(unit_administrator.user)
    response = _post_staff(client, colleague, units=[clinic.pk])
    assert response.status_code == 302, response.content[:500]
    assert list(colleague.units.all()) == [clinic]
    event = AuditEvent.objects.get(action="directory.staff.change")
    assert event.actor_id == unit_administrator.user_id
    assert event.object_id == str(colleague.public_id) and clinic.name in event.basis
