"""A measure is free text or an offer from the catalogue: the offers available to the pathway
(catalogue.selectors.offers_for) and no other, in the services, on the pages, in the API, in
versions and the PDF."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.test import Client

from ettervern.catalogue.models import Level, Offer
from ettervern.core import clock
from ettervern.core.errors import InvalidInput, NotFound
from ettervern.directory.models import Organisation, Unit
from ettervern.patients.models import Patient
from ettervern.planning.plan import services
from ettervern.planning.plan.models import Measure, Plan, PlanSection, PlanVersion
from tests import factories
from tests.pathways.helpers import act
from tests.planning.conftest import api_client, page_client

TODAY = clock.today()
NOT_AVAILABLE = "Dette tilbudet kan ikke velges for denne pasienten"
NEITHER = "Beskriv tiltaket, eller velg et tilbud fra katalogen."


@pytest.fixture
def offers(pathway):  # type: ignore[no-untyped-def]
    """The patient lives in Lunner. Offers of their own (generic, Lunner's) and of others (Gran
    and its NAV office, a trust the pathway has nothing to do with), and a retired one. Made
    here, not taken from the catalogue's data migration: a transactional test empties it."""
    lunner = factories.organisation(Organisation.Kind.KOMMUNE, "Lunner kommune")
    gran = factories.organisation(Organisation.Kind.KOMMUNE, "Gran kommune")
    nav_gran = factories.organisation(Organisation.Kind.NAV, "NAV Gran")
    Unit.objects.create(organisation=nav_gran, kind=Unit.Kind.NAV, name="NAV Gran",
                        municipality_name="Gran")
    other_trust = factories.organisation(Organisation.Kind.HF, "Annet HF")
    Patient.objects.filter(pk=pathway.patient_id).update(municipality=lunner)
    pathway.patient.refresh_from_db()
    make = Offer.objects.create
    return SimpleNamespace(
        generic=make(level=Level.MUNICIPALITY, name="Nettverksmøter (prøve)",
                     description="Møter med pasienten, nettverket og tjenestene."),
        own=make(level=Level.MUNICIPALITY, organisation=lunner, name="Ettervernsgruppe Lunner"),
        other_municipality=make(level=Level.MUNICIPALITY, organisation=gran,
                                name="Ettervernsgruppe Gran"),
        other_nav=make(level=Level.NAV, organisation=nav_gran, name="Jobbklubb Gran"),
        other_trust=make(level=Level.SPECIALIST, organisation=other_trust, name="Annen seng"),
        retired=make(level=Level.NAV, name="Gammelt tilbud (prøve)", active=False),
    )


def add(plan, who, responsible, **fields):  # type: ignore[no-untyped-def]
    version = Plan.objects.get(pk=plan.pk).version  # as a page would have read it
    values = {"section": "networks", "description": ""}
    values.update(fields)
    return services.measure_add(actor=act(who), plan=plan, expected_version=version,
                                responsible=responsible, **values)


def plan_url(plan: Plan, tail: str = "") -> str:
    return f"/forlop/{plan.pathway.public_id}/plan/{tail}"


def api_url(plan: Plan, tail: str = "") -> str:
    return f"/api/pathways/{plan.pathway.public_id}/plan{tail}"


def nothing_written(plan: Plan, versions: int = 1) -> None:
    assert not Measure.objects.exists()
    assert Plan.objects.get(pk=plan.pk).version == versions
    assert PlanVersion.objects.filter(plan=plan).count() == versions


# --- the services ----------------------------------------------------------------------------

def test_a_measure_may_be_an_offer_alone_and_the_versions_name_it(plan, coordinator, municipal,
                                                                  offers):
    measure = add(plan, coordinator, municipal, offer=offers.generic)
    assert measure.offer == offers.generic and measure.description == ""
    assert measure.label == str(measure) == "Nettverksmøter (prøve)"
    # By its public id (as the API gives it), with text beside it.
    other = add(plan, coordinator, municipal, offer=offers.own.public_id,
                description="Gruppen på torsdager")
    assert other.offer == offers.own and other.label == "Gruppen på torsdager"
    snapshot = PlanVersion.objects.get(plan=plan, number=3).snapshot
    networks = next(s for s in snapshot["sections"] if s["key"] == "networks")
    assert [m["offer"]["name"] for m in networks["measures"]] == [
        "Nettverksmøter (prøve)", "Ettervernsgruppe Lunner"]
    client = page_client(coordinator)
    diff = client.get(plan_url(plan, "versjoner/?fra=1&til=3")).content.decode()
    assert "Tilbud: Nettverksmøter (prøve) (Alle kommuner)" in diff
    assert "Gruppen på torsdager – Tilbud: Ettervernsgruppe Lunner (Lunner kommune)" in diff


@pytest.mark.parametrize("which", ["other_municipality", "other_nav", "other_trust", "retired"])
def test_an_offer_not_available_to_the_pathway_is_refused_and_nothing_written(
        which, plan, coordinator, municipal, offers):
    offer = getattr(offers, which)
    for ref in (offer, offer.public_id):
        with pytest.raises(InvalidInput) as refused:
            add(plan, coordinator, municipal, offer=ref, description="Noe")
        assert refused.value.field == "offer"
        assert NOT_AVAILABLE in str(refused.value.message)
    nothing_written(plan)


def test_an_unknown_offer_is_refused_like_one_of_another_place(plan, coordinator, offers):
    import uuid

    with pytest.raises(InvalidInput) as refused:
        add(plan, coordinator, coordinator, offer=uuid.uuid4())
    assert refused.value.field == "offer"
    nothing_written(plan)


def test_neither_text_nor_offer_is_refused(plan, coordinator, offers):
    for text in ("", "   \n"):
        with pytest.raises(InvalidInput) as refused:
            add(plan, coordinator, coordinator, description=text)
        assert refused.value.field == "description" and str(refused.value.message) == NEITHER
    nothing_written(plan)


def test_the_database_wants_a_text_or_an_offer(plan, coordinator, offers):
    section = PlanSection.objects.filter(plan=plan).first()
    fields = {"plan": plan, "section": section, "responsible": coordinator,
              "responsible_service": "s"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(description="", **fields)
    assert Measure.objects.create(description="", offer=offers.generic, **fields).pk


def test_changing_a_measure_keeps_a_retired_offer_but_takes_no_new_wrong_one(
        plan, coordinator, municipal, offers):
    measure = add(plan, coordinator, municipal, offer=offers.own)
    Offer.objects.filter(pk=offers.own.pk).update(active=False)  # retired since
    measure = services.measure_update(actor=act(coordinator), measure=measure,
                                      expected_version=2, description="", offer=offers.own,
                                      responsible=municipal, status=Measure.Status.ONGOING)
    assert measure.status == "ongoing" and measure.offer == offers.own
    with pytest.raises(InvalidInput) as refused:
        services.measure_update(actor=act(coordinator), measure=measure, expected_version=3,
                                description="Noe annet", offer=offers.other_municipality,
                                responsible=municipal)
    assert refused.value.field == "offer"
    fresh = Measure.objects.get(pk=measure.pk)
    assert (fresh.offer_id, fresh.description, fresh.version) == (offers.own.pk, "", 2)
    assert Plan.objects.get(pk=plan.pk).version == 3
    # Without an offer the measure needs its own words.
    with pytest.raises(InvalidInput):
        services.measure_update(actor=act(coordinator), measure=fresh, expected_version=3,
                                description="", offer=None, responsible=municipal)
    services.measure_update(actor=act(coordinator), measure=fresh, expected_version=3,
                            description="Egen gruppe", offer=None, responsible=municipal)
    assert Measure.objects.get(pk=measure.pk).offer is None


def test_an_offer_a_plan_names_cannot_be_deleted(plan, coordinator, offers):
    add(plan, coordinator, coordinator, offer=offers.generic)
    with pytest.raises(ProtectedError):
        offers.generic.delete()
    assert Measure.objects.get().offer == offers.generic


def test_the_admin_does_not_show_the_measures_that_protect_an_offer(plan, coordinator, offers):
    from django.contrib.auth import get_user_model

    add(plan, coordinator, coordinator, offer=offers.generic, description="Hemmelig tekst")
    admin = get_user_model().objects.create_superuser("rot", password=None)
    client = page_client(admin)
    page = client.get(f"/admin/catalogue/offer/{offers.generic.pk}/delete/").content.decode()
    assert "Hemmelig tekst" not in page
    assert "1 tiltak i en individuell plan viser til tilbudet" in page
    assert Offer.objects.filter(pk=offers.generic.pk).exists()


def test_someone_off_the_care_team_adds_nothing(plan, outsider, kin_user, coordinator, offers):
    with pytest.raises(NotFound):
        add(plan, outsider, coordinator, offer=offers.generic)
    nothing_written(plan)
    response = page_client(outsider).post(plan_url(plan, "tiltak/"), {
        "section": "networks", "add-networks-version": 1,
        "add-networks-offer": str(offers.generic.public_id),
        "add-networks-responsible": str(coordinator.public_id),
        "add-networks-status": "planned"})
    assert response.status_code == 404
    response = api_client(outsider).post(api_url(plan, "/measures"), {
        "version": 1, "section": "networks", "offer_id": str(offers.generic.public_id),
        "responsible_id": str(coordinator.public_id)})
    assert response.status_code == 404
    assert "offer" not in response.json()["message"].lower()
    response = api_client(kin_user).post(api_url(plan, "/measures"), {
        "version": 1, "section": "networks", "offer_id": str(offers.generic.public_id),
        "responsible_id": str(coordinator.public_id)})
    assert response.status_code == 404  # may follow the pathway, not see its plan
    nothing_written(plan)


# --- the pages -------------------------------------------------------------------------------

def _post_add(client: Client, plan: Plan, section: str, **fields: str):  # type: ignore[no-untyped-def]
    data = {"section": section, f"add-{section}-version": Plan.objects.get(pk=plan.pk).version,
            f"add-{section}-status": "planned"}
    data.update({f"add-{section}-{name}": value for name, value in fields.items()})
    return client.post(plan_url(plan, "tiltak/"), data)


def test_the_add_form_offers_the_pathways_offers_by_level(plan, coordinator, offers):
    page = page_client(coordinator).get(plan_url(plan)).content.decode()
    start = page.index('id="section-networks"')
    form = page[start:page.index("</form>", page.index("Legg til et tiltak", start))]
    assert '<label for="id_add-networks-offer">Tilbud fra katalogen' in form
    assert '<select name="add-networks-offer"' in form
    assert '<optgroup label="Kommune">' in form
    for offer in (offers.generic, offers.own):
        assert f'value="{offer.public_id}"' in form
    assert "Ettervernsgruppe Lunner – Lunner kommune" in form
    for offer in (offers.other_municipality, offers.other_nav, offers.other_trust,
                  offers.retired):
        assert str(offer.public_id) not in page


def test_adding_an_offer_on_the_page_and_reading_it_everywhere(plan, coordinator, municipal,
                                                               patient_user, offers):
    client = page_client(coordinator)
    response = _post_add(client, plan, "networks", offer=str(offers.generic.public_id),
                         responsible=str(municipal.public_id))
    assert response.status_code == 302, response.content.decode()[:2000]
    response = _post_add(client, plan, "networks", offer=str(offers.own.public_id),
                         description="Gruppen på torsdager",
                         responsible=str(municipal.public_id))
    assert response.status_code == 302
    page = client.get(plan_url(plan)).content.decode()
    assert "Tilbud: Nettverksmøter (prøve) (Alle kommuner)" in page
    assert "Tilbud: Ettervernsgruppe Lunner (Lunner kommune)" in page
    # The change form shows the offer chosen.
    measure = Measure.objects.get(offer=offers.own)
    assert f'<option value="{offers.own.public_id}" selected>' in page

    plain = page_client(patient_user).get(plan_url(plan)).content.decode()
    assert "Et tilbud fra kommunen din. Møter med pasienten, nettverket og tjenestene." in plain
    assert "Dette er tilbudet «Ettervernsgruppe Lunner» fra Lunner kommune." in plain

    from pypdf import PdfReader

    pdf = client.get(plan_url(plan, "pdf/"))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Nettverksmøter (prøve)" in text and "Tilbud: Ettervernsgruppe Lunner" in text
    assert measure.description in text


@pytest.mark.parametrize("which", ["other_municipality", "other_trust"])
def test_a_wrong_offer_on_the_page_is_a_norwegian_message(which, plan, coordinator, offers):
    response = _post_add(page_client(coordinator), plan, "networks",
                         offer=str(getattr(offers, which).public_id), description="Noe",
                         responsible=str(coordinator.public_id))
    assert response.status_code == 422
    page = response.content.decode()
    # On the offer field, tied to it for screen readers.
    assert 'id="id_add-networks-offer-error"' in page and NOT_AVAILABLE in page
    nothing_written(plan)


def test_neither_text_nor_offer_on_the_page(plan, coordinator, offers):
    response = _post_add(page_client(coordinator), plan, "networks",
                         responsible=str(coordinator.public_id))
    assert response.status_code == 422
    assert NEITHER in response.content.decode()
    nothing_written(plan)


def test_changing_the_offer_on_the_page(plan, coordinator, offers):
    measure = add(plan, coordinator, coordinator, offer=offers.generic)
    prefix = f"measure-{measure.public_id}"
    client = page_client(coordinator)
    response = client.post(f"/plan-tiltak/{measure.public_id}/", {
        f"{prefix}-version": 2, f"{prefix}-offer": str(offers.own.public_id),
        f"{prefix}-responsible": str(coordinator.public_id), f"{prefix}-status": "ongoing"})
    assert response.status_code == 302
    assert Measure.objects.get(pk=measure.pk).offer == offers.own
    response = client.post(f"/plan-tiltak/{measure.public_id}/", {
        f"{prefix}-version": 3, f"{prefix}-offer": str(offers.other_nav.public_id),
        f"{prefix}-responsible": str(coordinator.public_id), f"{prefix}-status": "ongoing"})
    assert response.status_code == 422 and NOT_AVAILABLE in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).offer == offers.own


# --- the API ---------------------------------------------------------------------------------

def test_the_api_writes_and_reads_the_offer(plan, coordinator, municipal, offers):
    client = api_client(coordinator)
    made = client.post(api_url(plan, "/measures"), {
        "version": 1, "section": "networks", "offer_id": str(offers.own.public_id),
        "responsible_id": str(municipal.public_id)})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["description"] == ""
    assert body["offer"] == {"id": str(offers.own.public_id), "name": "Ettervernsgruppe Lunner",
                             "provider": "Lunner kommune"}
    read = client.get(api_url(plan)).json()
    networks = next(s for s in read["sections"] if s["key"] == "networks")
    assert networks["measures"][0]["offer"]["name"] == "Ettervernsgruppe Lunner"
    # PUT: offer_id left out keeps the offer; null removes it (then a text is needed).
    path = f"/api/plan-measures/{body['id']}"
    kept = client._send("put", path, {"version": 2, "description": "Torsdager",
                                      "responsible_id": str(municipal.public_id)})
    assert kept.status_code == 200 and kept.json()["offer"]["id"] == str(offers.own.public_id)
    removed = client._send("put", path, {"version": 3, "description": "Torsdager",
                                         "offer_id": None,
                                         "responsible_id": str(municipal.public_id)})
    assert removed.status_code == 200 and removed.json()["offer"] is None
    assert client.get(api_url(plan)).json()["version"] == 4


def test_the_api_refuses_a_wrong_offer_and_a_measure_of_nothing(plan, coordinator, offers):
    client = api_client(coordinator)
    for offer in (offers.other_municipality, offers.other_nav, offers.retired):
        wrong = client.post(api_url(plan, "/measures"), {
            "version": 1, "section": "networks", "description": "Noe",
            "offer_id": str(offer.public_id), "responsible_id": str(coordinator.public_id)})
        assert wrong.status_code == 422, wrong.content
        assert wrong.json()["field"] == "offer_id"
        assert NOT_AVAILABLE in wrong.json()["message"]
    empty = client.post(api_url(plan, "/measures"), {
        "version": 1, "section": "networks", "responsible_id": str(coordinator.public_id)})
    assert empty.status_code == 422 and empty.json()["field"] == "description"
    assert empty.json()["message"] == NEITHER
    not_an_id = client.post(api_url(plan, "/measures"), {
        "version": 1, "section": "networks", "offer_id": "Nettverksmøter",
        "responsible_id": str(coordinator.public_id)})
    assert not_an_id.status_code == 422 and not_an_id.json()["field"] == "offer_id"
    nothing_written(plan)


def test_the_openapi_documents_the_offer(db):
    schemas = Client().get("/api/openapi.json").json()["components"]["schemas"]
    for name in ("MeasureIn", "MeasurePatchIn"):
        offer_id = schemas[name]["properties"]["offer_id"]
        assert "GET /api/offers" in offer_id["description"]
        assert "description" not in schemas[name].get("required", [])
    assert "Left out" in schemas["MeasurePatchIn"]["properties"]["offer_id"]["description"]
    out = schemas["MeasureOut"]["properties"]["offer"]
    assert "offer" in schemas["MeasureOut"]["required"]
    assert set(schemas["MeasureOfferOut"]["properties"]) == {"id", "name", "provider"}
    assert out["description"]
