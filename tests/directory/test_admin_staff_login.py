"""A new staff member gets their login from the staff form itself: one form, one transaction,
one audit record. A unit administrator's new login has no password (HelseID signs the person in)
and can never be an existing login; only a superuser may set a password or bind a login."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from ettervern.access.models import AuditEvent
from ettervern.directory.models import Staff, Unit
from tests import factories

User = get_user_model()
ADD = "/admin/directory/staff/add/"


@pytest.fixture
def admin_client(client, unit_administrator):  # type: ignore[no-untyped-def]
    client.force_login(unit_administrator.user)
    return client


@pytest.fixture
def superuser_client(client, superuser):  # type: ignore[no-untyped-def]
    client.force_login(superuser)
    return client


def _add(client, **fields):  # type: ignore[no-untyped-def]
    data = {"name": "Kari Nordmann", "hpr_number": "", "profession": "coordinator",
            "units": [], "_save": "Lagre"}
    data.update(fields)
    return client.post(ADD, data)


def _errors(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, "the form was expected back with errors"
    return response.content.decode()


@pytest.mark.django_db
def test_a_unit_administrator_adds_staff_with_a_new_login(admin_client, unit_administrator,  # type: ignore[no-untyped-def]
                                                          clinic):
    response = _add(admin_client, username="kari.nordmann", hpr_number="9144889",
                    units=[clinic.pk])
    assert response.status_code == 302, response.content[:800]
    person = Staff.objects.get(name="Kari Nordmann")
    login = person.user
    assert login.username == "kari.nordmann"
    assert (login.first_name, login.last_name) == ("Kari", "Nordmann")
    assert not login.has_usable_password()  # signs in with HelseID, by the HPR number
    assert login.is_active and not login.is_staff and not login.is_superuser
    assert person.hpr_number == "9144889" and list(person.units.all()) == [clinic]
    event = AuditEvent.objects.get(action="directory.staff.add")
    assert event.actor_id == unit_administrator.user_id
    assert event.object_id == str(person.public_id)
    assert "new login kari.nordmann without a password" in event.basis
    assert clinic.name in event.basis


@pytest.mark.django_db
def test_helseid_signs_the_new_staff_member_in_by_the_hpr_number(admin_client):  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from ettervern.oidc import conf, identity

    assert _add(admin_client, username="kari", hpr_number="9144889").status_code == 302
    helseid: Any = SimpleNamespace(kind=conf.STAFF, identity_claim=conf.HELSEID_HPR_NUMBER)
    login = identity.user_for(helseid, {conf.HELSEID_HPR_NUMBER: "9144889"})
    assert login == User.objects.get(username="kari")


@pytest.mark.django_db
def test_the_unit_administrators_form_offers_no_existing_login_and_no_password(admin_client):  # type: ignore[no-untyped-def]
    html = admin_client.get(ADD).content.decode()
    assert 'name="username"' in html
    assert 'name="user"' not in html and 'name="password1"' not in html


@pytest.mark.django_db
def test_a_unit_administrator_cannot_bind_an_existing_login(admin_client, unit_administrator):  # type: ignore[no-untyped-def]
    spare = User.objects.create_user("ledig", password=None)
    for target in (spare, unit_administrator.user):
        # Without a username the form is refused; the posted login is not even looked at.
        assert "Dette feltet er påkrevd" in _errors(_add(admin_client, user=target.pk))
        response = _add(admin_client, user=target.pk, username=f"ny-{target.pk}")
        assert response.status_code == 302
        person = Staff.objects.get(user__username=f"ny-{target.pk}")
        assert person.user_id != target.pk
        person.delete()
    assert not Staff.objects.filter(user=spare).exists()
    assert Staff.objects.get(user=unit_administrator.user) == unit_administrator


@pytest.mark.django_db
def test_a_unit_administrator_cannot_take_over_a_login_by_its_username(admin_client,  # type: ignore[no-untyped-def]
                                                                       unit_administrator):
    colleague = factories.staff(units=[factories.unit()])
    spare = User.objects.create_user("Ledig", password=None)
    for username in (spare.username, "ledig", colleague.user.username,
                     unit_administrator.user.username):
        html = _errors(_add(admin_client, username=username))
        assert "Det finnes allerede en brukerkonto med dette brukernavnet" in html
    assert Staff.objects.count() == 2
    assert User.objects.count() == 3


@pytest.mark.django_db
def test_a_unit_administrator_cannot_give_the_login_a_password(admin_client):  # type: ignore[no-untyped-def]
    secret = "et-langt-og-godt-passord-2024"
    response = _add(admin_client, username="kari", password1=secret, password2=secret)
    assert response.status_code == 302
    login = User.objects.get(username="kari")
    assert not login.has_usable_password() and not login.check_password(secret)


@pytest.mark.django_db
def test_an_hpr_number_names_one_staff_member(admin_client, unit_administrator):  # type: ignore[no-untyped-def]
    colleague = factories.staff(units=[factories.unit()])
    colleague.hpr_number = "1234567"
    colleague.save()
    html = _errors(_add(admin_client, username="kari", hpr_number="1234567"))
    assert "En annen medarbeider har allerede dette HPR-nummeret" in html
    assert "Et HPR-nummer har høyst ni sifre" in _errors(
        _add(admin_client, username="kari", hpr_number="12a4567"))
    assert not User.objects.filter(username="kari").exists()


@pytest.mark.django_db
def test_an_invalid_username_is_refused_in_norwegian(admin_client):  # type: ignore[no-untyped-def]
    html = _errors(_add(admin_client, username="kari nordmann!"))
    assert "Oppgi et gyldig brukernavn" in html
    assert not Staff.objects.filter(name="Kari Nordmann").exists()


@pytest.mark.django_db
def test_login_staff_record_and_audit_are_one_transaction(admin_client, monkeypatch):  # type: ignore[no-untyped-def]
    from ettervern.directory import admin as directory_admin

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(directory_admin.audit, "record", broken)
    with pytest.raises(RuntimeError):
        _add(admin_client, username="kari")
    assert not User.objects.filter(username="kari").exists()
    assert not Staff.objects.filter(name="Kari Nordmann").exists()


# --- a superuser ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_superuser_may_set_an_initial_password(superuser_client):  # type: ignore[no-untyped-def]
    secret = "et-langt-og-godt-passord-2024"
    response = _add(superuser_client, username="kari", password1=secret, password2=secret)
    assert response.status_code == 302, response.content[:800]
    login = Staff.objects.get(name="Kari Nordmann").user
    assert login.username == "kari" and login.check_password(secret)
    assert "new login kari with a password" in AuditEvent.objects.get(
        action="directory.staff.add").basis


@pytest.mark.django_db
def test_a_superusers_password_is_checked(superuser_client):  # type: ignore[no-untyped-def]
    assert "Passordet er for kort" in _errors(
        _add(superuser_client, username="kari", password1="kort", password2="kort"))
    assert "Skriv passordet to ganger" in _errors(
        _add(superuser_client, username="kari", password1="et-langt-og-godt-passord-2024"))
    assert not User.objects.filter(username="kari").exists()


@pytest.mark.django_db
def test_a_superuser_may_bind_a_login_that_belongs_to_nobody(superuser_client):  # type: ignore[no-untyped-def]
    spare = User.objects.create_user("ledig", password=None)
    response = _add(superuser_client, user=spare.pk)
    assert response.status_code == 302, response.content[:800]
    assert Staff.objects.get(name="Kari Nordmann").user == spare
    assert "login ledig" in AuditEvent.objects.get(action="directory.staff.add").basis


@pytest.mark.django_db
def test_not_even_a_superuser_binds_a_login_that_belongs_to_someone(superuser_client, pathway):  # type: ignore[no-untyped-def]
    colleague = factories.staff(units=[factories.unit(Unit.Kind.ADMIN)])
    patient_login = User.objects.create_user("pasient", password=None)
    pathway.patient.user = patient_login
    pathway.patient.save()
    for taken in (colleague.user, patient_login):
        assert "Velg et gyldig valg" in _errors(_add(superuser_client, user=taken.pk))
    assert "ikke begge deler" in _errors(
        _add(superuser_client, user=User.objects.create_user("ledig").pk, username="kari"))
    assert "Oppgi et brukernavn for en ny brukerkonto" in _errors(_add(superuser_client))
    assert not Staff.objects.filter(name="Kari Nordmann").exists()


@pytest.mark.django_db
def test_a_superuser_rebinds_only_to_a_login_that_belongs_to_nobody(superuser_client):  # type: ignore[no-untyped-def]
    person, other = (factories.staff(units=[factories.unit()]) for _ in range(2))
    spare = User.objects.create_user("ledig", password=None)

    def change(user):  # type: ignore[no-untyped-def]
        return superuser_client.post(f"/admin/directory/staff/{person.pk}/change/", {
            "user": user.pk, "name": person.name, "hpr_number": "", "profession": "coordinator",
            "units": [u.pk for u in person.units.all()], "_save": "Lagre"})

    assert "Velg et gyldig valg" in _errors(change(other.user))
    assert change(spare).status_code == 302
    person.refresh_from_db()
    assert person.user == spare
    assert "login ledig" in AuditEvent.objects.get(action="directory.staff.change").basis
