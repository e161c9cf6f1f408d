from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ettervern.core import clock
from ettervern.pathways.models import Pathway
from ettervern.patients.models import Patient
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("pathways:pathway_open")
TODAY = clock.today()


def data(clinic, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "national_id": factories.national_id(), "given_name": "Per", "family_name": "Hansen",
        "coordinating_unit": str(clinic.public_id), "start": "referral",
        "referral_received_on": (TODAY - dt.timedelta(days=3)).isoformat(),
        "referrer": "Fastlege Berg", "first_contact_on": "", "note": "",
    }
    values.update(overrides)
    return values


def test_form_offers_only_my_outpatient_clinics(coord_client, clinic, residential_unit):  # type: ignore[no-untyped-def]
    html = coord_client.get(URL).content.decode()
    assert str(clinic.public_id) in html
    assert str(residential_unit.public_id) not in html
    assert '<label for="id_national_id">Fødselsnummer eller D-nummer' in html


def test_open_from_referral(coord_client, clinic, coordinator):  # type: ignore[no-untyped-def]
    response = coord_client.post(URL, data(clinic), follow=True)
    pathway = Pathway.objects.get()
    assert response.redirect_chain[-1][0] == reverse("pathways:pathway", args=[pathway.public_id])
    assert "Forløpet for Per Hansen er opprettet." in response.content.decode()
    assert pathway.coordinator == coordinator and pathway.referrer == "Fastlege Berg"


def test_open_from_contact_before_referral_with_d_number(coord_client, clinic):  # type: ignore[no-untyped-def]
    response = coord_client.post(URL, data(
        clinic, national_id=factories.national_id(d_number=True), start="contact",
        first_contact_on=TODAY.isoformat(), referral_received_on="", referrer=""))
    assert response.status_code == 302
    pathway = Pathway.objects.get()
    assert pathway.referral_received_on is None and pathway.first_contact_on == TODAY
    assert pathway.patient.id_kind == "dnr"


def test_wrong_check_digit_shows_norwegian_message_and_creates_nothing(coord_client, clinic):  # type: ignore[no-untyped-def]
    nid = factories.national_id()
    wrong = nid[:-1] + str((int(nid[-1]) + 1) % 10)
    response = coord_client.post(URL, data(clinic, national_id=wrong))
    html = response.content.decode()
    assert response.status_code == 422
    assert "Kontrollsifrene stemmer ikke" in html
    assert 'aria-describedby="id_national_id-help id_national_id-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'href="#id_national_id"' in html  # error summary links to the field
    assert not Patient.objects.exists() and not Pathway.objects.exists()


def test_referral_needs_a_referrer(coord_client, clinic):  # type: ignore[no-untyped-def]
    response = coord_client.post(URL, data(clinic, referrer=""))
    assert response.status_code == 422
    assert 'id="id_referrer-error"' in response.content.decode()
    assert not Pathway.objects.exists()


def test_future_referral_date_lands_on_that_field(coord_client, clinic):  # type: ignore[no-untyped-def]
    response = coord_client.post(URL, data(
        clinic, referral_received_on=(TODAY + dt.timedelta(days=2)).isoformat()))
    assert response.status_code == 422
    assert 'id="id_referral_received_on-error"' in response.content.decode()
    assert not Pathway.objects.exists()


def test_other_clinic_is_not_a_choice(coord_client):  # type: ignore[no-untyped-def]
    other = factories.unit(factories.Unit.Kind.OUTPATIENT)
    response = coord_client.post(URL, data(other))
    assert response.status_code == 422
    assert not Pathway.objects.exists()


def test_non_staff_gets_403(client_for, clinic):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("pasient", password=None)
    client = client_for(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data(clinic)).status_code == 403
    assert not Pathway.objects.exists()
