"""The offers catalogue: the report's table loaded, offers_for's idea of "relevant", the page
and GET /api/offers for staff only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ettervern.catalogue.models import Level, Offer
from ettervern.catalogue.selectors import offers_for
from ettervern.directory.models import CooperationAgreement, Organisation, Unit
from ettervern.patients.models import Patient
from tests import factories
from tests.pathways.helpers import days_ago, plan_stay

pytestmark = pytest.mark.django_db
REPORT_OFFERS = 27


@pytest.fixture(autouse=True)
def _norwegian():  # type: ignore[no-untyped-def]
    with translation.override("nb"):
        yield


@pytest.fixture
def places(db):  # type: ignore[no-untyped-def]
    """Two municipalities with a NAV office each, and an offer of each."""
    result = {}
    for name in ("Lunner", "Gran"):
        kommune = factories.organisation(Organisation.Kind.KOMMUNE, f"{name} kommune")
        nav = factories.organisation(Organisation.Kind.NAV, f"NAV {name}")
        Unit.objects.create(organisation=nav, kind=Unit.Kind.NAV, name=f"NAV {name}",
                            municipality_name=name)
        Offer.objects.create(level=Level.MUNICIPALITY, organisation=kommune,
                             name=f"Ettervernsgruppe {name}")
        Offer.objects.create(level=Level.NAV, organisation=nav, name=f"Jobbklubb {name}")
        result[name] = kommune
    return result


def names(offers) -> set[str]:  # type: ignore[no-untyped-def]
    return {offer.name for offer in offers}


def test_the_reports_table_is_the_starting_catalogue():  # type: ignore[no-untyped-def]
    offers = Offer.objects.filter(organisation=None)
    assert offers.count() == REPORT_OFFERS
    by_level = {level: offers.filter(level=level).count() for level in Level.values}
    assert by_level == {"specialist": 8, "municipality": 10, "nav": 5, "next_of_kin": 4}
    assert offers.filter(name="Brukerstyrt seng", starts_before_discharge=False).exists()
    assert offers.filter(name="Økonomisk rådgivning", level="nav").exists()


def test_offers_for_a_municipality_are_its_own_its_navs_and_the_generic_ones(places):  # type: ignore[no-untyped-def]
    found = names(offers_for(places["Lunner"]))
    assert {"Ettervernsgruppe Lunner", "Jobbklubb Lunner", "Fastlege"} <= found
    assert not {"Ettervernsgruppe Gran", "Jobbklubb Gran"} & found
    assert offers_for(places["Lunner"]).count() == REPORT_OFFERS + 2


def test_offers_for_a_pathway_add_its_trust_and_its_providers(places, coordinator,  # type: ignore[no-untyped-def]
                                                             pathway, residential_unit):
    Patient.objects.filter(pk=pathway.patient_id).update(municipality=places["Gran"])
    pathway.patient.refresh_from_db()
    trust = coordinator.units.get().organisation
    other_trust = factories.organisation(Organisation.Kind.HF, "Annet HF")
    Offer.objects.create(level=Level.SPECIALIST, organisation=trust, name="Brukerstyrt seng, Vår")
    Offer.objects.create(level=Level.SPECIALIST, organisation=other_trust, name="Annen seng")
    Offer.objects.create(level=Level.SPECIALIST, organisation=residential_unit.organisation,
                         name="Oppfølging fra døgnavdelingen")
    agreed = factories.organisation(Organisation.Kind.HF, "Samarbeids-HF")
    CooperationAgreement.objects.create(trust=agreed, municipality=places["Gran"],
                                        valid_from=days_ago(400))
    Offer.objects.create(level=Level.SPECIALIST, organisation=agreed, name="Ambulant team Gran")
    found = names(offers_for(pathway))
    assert "Brukerstyrt seng, Vår" in found and "Ambulant team Gran" in found
    assert "Oppfølging fra døgnavdelingen" not in found  # no stay there yet
    plan_stay(pathway, coordinator, residential_unit, days_ago(5))
    found = names(offers_for(pathway))
    assert "Oppfølging fra døgnavdelingen" in found
    assert {"Ettervernsgruppe Gran", "Jobbklubb Gran"} <= found
    assert not {"Annen seng", "Ettervernsgruppe Lunner"} & found
    with CaptureQueriesContext(connection) as ctx:
        list(offers_for(pathway, level=Level.NAV, query="jobb"))
    assert len(ctx.captured_queries) == 1
    assert names(offers_for(pathway, level=Level.NAV, query="jobb")) == {
        "Jobbklubb Gran", "IPS – jobbspesialister"}


def test_offers_for_leaves_out_retired_offers(places):  # type: ignore[no-untyped-def]
    Offer.objects.filter(name="Fastlege").update(active=False)
    assert "Fastlege" not in names(offers_for(places["Lunner"]))


def test_offers_for_refuses_other_things(db):  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError):
        offers_for("Lunner")


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(user)
    return client


def test_the_api_lists_filters_and_pages(coordinator, places):  # type: ignore[no-untyped-def]
    client = _client(coordinator.user)
    body = client.get("/api/offers").json()
    assert body["total"] == REPORT_OFFERS + 4 and body["pages"] == 1
    nav = client.get("/api/offers", {"level": "nav"}).json()
    assert {item["level"] for item in nav["items"]} == {"nav"} and nav["total"] == 7
    generic = next(item for item in nav["items"] if item["organisation"] is None)
    assert generic["provider"] == "Alle NAV-kontorer"
    lunner = client.get("/api/offers", {"organisation_id": str(places["Lunner"].public_id)})
    assert [i["name"] for i in lunner.json()["items"]] == ["Ettervernsgruppe Lunner"]
    found = client.get("/api/offers", {"q": "pårørende"}).json()
    assert found["total"] >= 1
    assert client.get("/api/offers", {"level": "hotel"}).status_code == 422
    unknown = client.get("/api/offers", {"organisation_id": "00000000-0000-0000-0000-000000000000"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "organisation_id"


def test_the_api_and_the_page_are_for_staff_only(db):  # type: ignore[no-untyped-def]
    person = get_user_model().objects.create_user("pasient", password=None)
    assert _client(person).get("/api/offers").status_code == 403
    assert _client(person).get("/tilbud/").status_code == 403
    assert Client().get("/api/offers").status_code == 401
    assert Client().get("/tilbud/").status_code == 302


def test_the_page_shows_filters_and_offers(coordinator):  # type: ignore[no-untyped-def]
    client = _client(coordinator.user)
    html = client.get("/tilbud/").content.decode()
    assert "Tilbudskatalog" in html and "Brukerstyrt seng" in html
    # (Words that start with Æ, Ø or Å match case-insensitively on PostgreSQL only: SQLite's
    # LIKE folds ASCII letters alone.)
    html = client.get("/tilbud/", {"level": "nav", "q": "rådgivning"}).content.decode()
    assert "Økonomisk rådgivning" in html and "Brukerstyrt seng" not in html
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/tilbud/").status_code == 200
    assert len(ctx.captured_queries) <= 7  # with the menu's notification badge


def test_administrators_edit_offers_and_item_types_in_the_admin(db):  # type: ignore[no-untyped-def]
    admin = get_user_model().objects.create_superuser("rot", password=None)
    client = _client(admin)
    assert "Brukerstyrt seng" in client.get("/admin/catalogue/offer/").content.decode()
    html = client.get("/admin/planning/checklistitemtype/").content.decode()
    assert "Kjæledyr" in html
