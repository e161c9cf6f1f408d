"""The consent, next-of-kin and what-matters endpoints: the happy path, who may, and bad input
(4xx with a message, nothing stored)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from ettervern.core import clock
from ettervern.patients.models import Consent, ConsentEvent, NextOfKin, WhatMatters
from tests import factories
from tests.api.conftest import signed_in

pytestmark = pytest.mark.django_db


def url(pathway: Any, tail: str) -> str:
    return f"/api/pathways/{pathway.public_id}/{tail}"


def put(client: Any, address: str, body: Any) -> Any:
    import json

    return client.client.put(address, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def as_patient(patient_user):  # type: ignore[no-untyped-def]
    return signed_in(patient_user)


@pytest.fixture
def person(pathway, as_patient):  # type: ignore[no-untyped-def]
    answer = as_patient.post(url(pathway, "next-of-kin"), {
        "kind": "trust_person", "name": "Tor Haugen", "relation": "lærer",
        "national_id": factories.national_id()})
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_the_patient_adds_a_trust_person_grants_and_withdraws(pathway, as_patient, person):
    assert person["kind"] == "trust_person" and person["can_sign_in"] is False
    answer = as_patient.post(url(pathway, "consents"),
                             {"next_of_kin": person["id"], "kind": "crisis_plan"})
    assert answer.status_code == 201, answer.content
    consent = answer.json()
    assert consent["active"] and consent["recorded_as"] == "patient"
    answer = as_patient.post(url(pathway, f"consents/{consent['id']}/withdraw"), {})
    assert answer.status_code == 200 and answer.json()["withdrawn_at"]
    listing = as_patient.get(url(pathway, "consents")).json()
    assert [k["code"] for k in listing["kinds"]] == ["pathway", "plan", "crisis_plan", "mapping",
                                                     "beds", "meetings"]
    assert [p["name"] for p in listing["people"]] == ["Tor Haugen"]
    assert [e["action"] for e in listing["history"]] == ["withdrawn", "granted"]
    assert listing["consents"][0]["active"] is False


def test_the_coordinator_records_a_consent_given_by_phone(pathway, as_coordinator, person):
    answer = as_coordinator.post(url(pathway, "consents"), {
        "next_of_kin": person["id"], "kind": "plan", "method": "phone",
        "valid_until": str(clock.today() + dt.timedelta(days=30))})
    assert answer.status_code == 201, answer.content
    assert answer.json()["recorded_as"] == "clinician" and answer.json()["method"] == "phone"


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"kind": "bed_agreement"}, 422, "kind"),
    ({"kind": "plan", "valid_from": "2030-05-02", "valid_until": "2030-05-01"}, 422,
     "valid_until"),
    ({"kind": "plan", "valid_from": "not a date"}, 422, None),
])
def test_bad_consent_input_is_refused_and_nothing_stored(pathway, as_patient, person, body,
                                                         status, field):
    answer = as_patient.post(url(pathway, "consents"), {"next_of_kin": person["id"], **body})
    assert answer.status_code == status, answer.content
    assert answer.json()["message"]
    if field:
        assert answer.json()["field"] == field
    assert not Consent.objects.exists() and not ConsentEvent.objects.exists()


@pytest.mark.parametrize("number", ["12345678901", "0101", "", "010190123AB"])
def test_an_invalid_fodselsnummer_is_refused_and_nothing_stored(pathway, as_patient, number):
    before = NextOfKin.objects.count()
    answer = as_patient.post(url(pathway, "next-of-kin"), {
        "kind": "next_of_kin", "name": "Mor", "relation": "mor", "national_id": number})
    assert answer.status_code == 422, answer.content
    assert answer.json()["field"] == "national_id" and answer.json()["message"]
    assert NextOfKin.objects.count() == before


def test_unknown_person_kind_is_refused(pathway, as_patient):
    answer = as_patient.post(url(pathway, "next-of-kin"), {
        "kind": "cousin", "name": "X", "national_id": factories.national_id()})
    assert answer.status_code == 422 and answer.json()["field"] == "kind"


def test_a_next_of_kin_learns_nothing_of_consents(pathway, kin_user, person):
    client = signed_in(kin_user)
    assert client.get(url(pathway, "consents")).status_code == 404
    assert client.get(url(pathway, "what-matters")).status_code == 404
    answer = client.post(url(pathway, "consents"), {"next_of_kin": person["id"], "kind": "plan"})
    assert answer.status_code == 403  # they see the pathway (consent), not the right to share
    assert not Consent.objects.filter(kind="plan").exists()


def test_strangers_get_404(pathway, as_outsider, person):
    assert as_outsider.get(url(pathway, "consents")).status_code == 404
    answer = as_outsider.post(url(pathway, "consents"),
                              {"next_of_kin": person["id"], "kind": "plan"})
    assert answer.status_code == 404


def test_what_matters_round_trip(pathway, as_patient, as_coordinator):
    assert as_patient.get(url(pathway, "what-matters")).json()["text"] == ""
    answer = put(as_patient, url(pathway, "what-matters"),
                 {"text": "Jeg har en datter.", "contact_preference": "SMS"})
    assert answer.status_code == 200 and answer.json()["updated_at"]
    seen = as_coordinator.get(url(pathway, "what-matters")).json()
    assert seen["text"] == "Jeg har en datter." and seen["contact_preference"] == "SMS"
    assert put(as_coordinator, url(pathway, "what-matters"), {"text": "x"}).status_code == 403
    assert put(as_patient, url(pathway, "what-matters"),
               {"text": "x" * 2001}).status_code == 422
    assert WhatMatters.objects.get().text == "Jeg har en datter."


def test_withdrawal_counts_on_the_next_api_request(pathway, as_patient, person):
    user = get_user_model().objects.create_user("tor", password=None)
    NextOfKin.objects.filter(public_id=person["id"]).update(user=user)
    consent = as_patient.post(url(pathway, "consents"),
                              {"next_of_kin": person["id"], "kind": "pathway"}).json()
    client = signed_in(user)
    assert client.get(f"/api/pathways/{pathway.public_id}").status_code == 200
    as_patient.post(url(pathway, f"consents/{consent['id']}/withdraw"), {})
    assert client.get(f"/api/pathways/{pathway.public_id}").status_code == 404
