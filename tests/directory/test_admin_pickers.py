"""Each organisation and unit picker in the admin offers only what fits, labelled so that
namesakes can be told apart."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from ettervern.directory.models import CooperationAgreement, Organisation, Unit
from tests import factories

Kind = Organisation.Kind


def _options(client, url: str, field: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The labels a plain select of an admin form offers (the empty choice left out)."""
    html = client.get(url).content.decode()
    select = re.search(rf'<select name="{field}".*?</select>', html, re.S)
    assert select is not None, f"no select {field!r} on {url}"
    return [label for value, label in
            re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[0]) if value]


def _choices(client, model: str, field: str, term: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    """What the admin's autocomplete offers for `field` of `model`, labels only."""
    response = client.get("/admin/autocomplete/", {"app_label": "directory", "model_name": model,
                                                   "field_name": field, "term": term})
    assert response.status_code == 200, response.content[:300]
    return [result["text"] for result in response.json()["results"]]


@pytest.fixture
def directory(db):  # type: ignore[no-untyped-def]
    """A trust, a municipality, other kinds of organisation, and two namesake GP practices."""
    trust = factories.organisation(Kind.HF, "Helse Bergen HF")
    municipality = factories.organisation(Kind.KOMMUNE, "Bergen kommune")
    practices = [factories.organisation(Kind.GP_PRACTICE, "Sentrum legesenter") for _ in range(2)]
    for practice, place in zip(practices, ["Bergen", "Voss"], strict=True):
        Unit.objects.create(organisation=practice, kind=Unit.Kind.GP, name="Sentrum legesenter",
                            municipality_name=place)
    factories.organisation(Kind.PRIVATE, "Bergen behandlingssenter")
    factories.organisation(Kind.NAV, "NAV Bergen")
    factories.organisation(Kind.RHF, "Helse Vest RHF")
    return {"trust": trust, "municipality": municipality, "practices": practices}


@pytest.fixture
def admin_client(client, unit_administrator):  # type: ignore[no-untyped-def]
    client.force_login(unit_administrator.user)
    return client


AGREEMENT = "/admin/directory/cooperationagreement/add/"


def test_an_agreements_trust_is_a_hospital_trust(admin_client, directory):  # type: ignore[no-untyped-def]
    offered = _options(admin_client, AGREEMENT, "trust")
    assert str(directory["trust"]) in offered
    assert offered == [str(org) for org in Organisation.objects.filter(kind=Kind.HF)]
    assert not any("legesenter" in label or "kommune" in label for label in offered)


def test_an_agreements_municipality_is_a_municipality(admin_client, directory):  # type: ignore[no-untyped-def]
    assert _options(admin_client, AGREEMENT, "municipality") == [str(directory["municipality"])]


def test_an_agreement_with_a_gp_practice_as_trust_is_refused(admin_client, directory):  # type: ignore[no-untyped-def]
    practice, municipality = directory["practices"][0], directory["municipality"]
    response = admin_client.post(AGREEMENT, {
        "trust": practice.pk, "municipality": municipality.pk, "valid_from": "01.01.2025",
        "_save": "Lagre"})
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.content.decode()
    assert not CooperationAgreement.objects.exists()
    # The model says so too, for any other way in.
    agreement = CooperationAgreement(trust=municipality, municipality=directory["trust"],
                                     valid_from=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError) as refused:
        agreement.full_clean()
    assert set(refused.value.message_dict) == {"trust", "municipality"}


def test_an_agreement_between_a_trust_and_a_municipality_is_saved(admin_client, directory):  # type: ignore[no-untyped-def]
    response = admin_client.post(AGREEMENT, {
        "trust": directory["trust"].pk, "municipality": directory["municipality"].pk,
        "valid_from": "01.01.2025", "_save": "Lagre"})
    assert response.status_code == 302, response.content[:500]
    agreement = CooperationAgreement.objects.get()
    assert str(agreement) == "Helse Bergen HF – Bergen kommune"


def test_a_units_organisation_may_be_of_any_kind_and_namesakes_differ(admin_client, directory):  # type: ignore[no-untyped-def]
    labels = _choices(admin_client, "unit", "organisation", "Bergen")
    assert len(labels) == 4  # trust, municipality, private provider, NAV
    assert len(_choices(admin_client, "unit", "organisation", "Helse")) == 2  # HF and RHF
    first, second = directory["practices"]
    assert sorted(_choices(admin_client, "unit", "organisation", "legesenter")) == sorted([
        f"Sentrum legesenter ({first.org_number})", f"Sentrum legesenter ({second.org_number})"])


def test_staff_units_show_their_organisation_and_namesakes_their_place(admin_client, directory):  # type: ignore[no-untyped-def]
    clinic = factories.unit(Unit.Kind.OUTPATIENT, org=directory["trust"],
                            name="TSB-poliklinikk Bergen")
    clinic.municipality_name = "Bergen"
    clinic.save()
    assert _choices(admin_client, "staff", "units", "Bergen") == [
        "Sentrum legesenter (Bergen)", "TSB-poliklinikk Bergen (Helse Bergen HF)"]
    assert sorted(_choices(admin_client, "staff", "units", "Sentrum")) == [
        "Sentrum legesenter (Bergen)", "Sentrum legesenter (Voss)"]
    # The organisation's name finds its units too.
    assert _choices(admin_client, "staff", "units", "Helse Bergen") == [
        "TSB-poliklinikk Bergen (Helse Bergen HF)"]


def test_the_staff_form_searches_units_instead_of_listing_them_all(admin_client, directory):  # type: ignore[no-untyped-def]
    html = admin_client.get("/admin/directory/staff/add/").content.decode()
    assert 'class="admin-autocomplete' in html and 'name="units"' in html
    assert "Sentrum legesenter" not in html  # nothing listed until searched
