"""The pages of user-controlled beds: the patient accepts, books and cancels; the unit sees its
day list and marks the arrival; coordinators search; next of kin see the agreement only with
the patient's consent."""

from __future__ import annotations

import pytest
from django.test import Client

from ettervern.beds.models import Agreement, Booking, Programme
from ettervern.core import clock
from ettervern.pathways.models import Stay
from ettervern.patients.models import Consent
from tests.beds.conftest import PROGRAMME_FIELDS, day

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(getattr(user, "user", user))
    return client


def test_patient_accepts_books_and_cancels(agreement, patient_user):  # type: ignore[no-untyped-def]
    client = _client(patient_user)
    home = client.get("/meg/").content.decode()
    assert "Les og godta avtalen" in home
    page = client.get("/meg/brukerstyrt/").content.decode()
    assert "Jeg godtar avtalen" in page and "Ring før kl. 12" in page
    assert client.post(f"/meg/brukerstyrt/{agreement.public_id}/godta/").status_code == 302
    page = client.get("/meg/brukerstyrt/").content.decode()
    assert "Ledige netter" in page and "Bestill oppholdet" in page
    prefix = f"book-{agreement.public_id}"
    too_long = client.post(f"/meg/brukerstyrt/{agreement.public_id}/bestill/",
                           {f"{prefix}-arrival": day(3).isoformat(), f"{prefix}-days": "9"})
    assert too_long.status_code == 422 and not Booking.objects.exists()
    booked = client.post(f"/meg/brukerstyrt/{agreement.public_id}/bestill/",
                         {f"{prefix}-arrival": day(3).isoformat(), f"{prefix}-days": "2"},
                         follow=True)
    assert "Oppholdet ditt er bestilt" in booked.content.decode()
    booking = Booking.objects.get()
    assert (booking.arrival, booking.departure) == (day(3), day(5))
    asked = client.post(f"/brukerstyrt/opphold/{booking.public_id}/avbestill/")
    assert asked.status_code == 200 and "Avbestille oppholdet" in asked.content.decode()
    assert Booking.objects.get().status == Booking.Status.BOOKED  # only asked
    client.post(f"/brukerstyrt/opphold/{booking.public_id}/avbestill/", {"confirmed": "yes"})
    assert Booking.objects.get().status == Booking.Status.CANCELLED


def test_the_unit_sees_its_day_and_marks_the_arrival(accepted, patient_user, bed_clinician,  # type: ignore[no-untyped-def]
                                                     coordinator, pathway):
    from ettervern.beds import services
    from tests.pathways.helpers import act

    booking = services.booking_create(actor=act(patient_user), agreement=accepted,
                                      arrival=day(0), departure=day(2))
    unit = accepted.programme.unit
    client = _client(bed_clinician)
    page = client.get(f"/brukerstyrt/enhet/{unit.public_id}/").content.decode()
    assert pathway.patient.full_name in page and "Ankomster" in page
    client.post(f"/brukerstyrt/opphold/{booking.public_id}/ankomst/", {"confirmed": "yes"})
    stay = Stay.objects.get(kind=Stay.Kind.USER_CONTROLLED)
    assert stay.status == Stay.Status.ONGOING
    worklist = _client(coordinator).get("/forlop/").content.decode()
    assert "Brukerstyrt opphold" in worklist
    pathway_page = _client(coordinator).get(f"/forlop/{pathway.public_id}/").content.decode()
    assert "Brukerstyrt opphold" in pathway_page and "Brukerstyrt seng" in pathway_page
    # Another unit's staff see nothing of it.
    from tests import factories

    other = factories.staff(factories.Staff.Profession.CLINICIAN,
                            units=[factories.unit(factories.Unit.Kind.RESIDENTIAL)])
    assert _client(other).get(f"/brukerstyrt/enhet/{unit.public_id}/").status_code == 404
    assert _client(other).post(f"/brukerstyrt/opphold/{booking.public_id}/utreise/",
                               {"confirmed": "yes"}).status_code == 404


def test_search_finds_the_unit_and_links_its_programme(programme, coordinator):  # type: ignore[no-untyped-def]
    client = _client(coordinator)
    page = client.get("/brukerstyrt/", {"first": day(1).isoformat(),
                                        "until": day(8).isoformat(), "region": "vest"})
    html = page.content.decode()
    assert page.status_code == 200 and f"/brukerstyrt/program/{programme.public_id}/" in html
    assert "7 netter med ledig seng" in html
    none = client.get("/brukerstyrt/", {"first": day(1).isoformat(),
                                        "until": day(8).isoformat(), "region": "nord"})
    assert "Ingen enheter passer" in none.content.decode()
    wrong = client.get("/brukerstyrt/", {"first": day(8).isoformat(),
                                         "until": day(1).isoformat()})
    assert wrong.status_code == 422


def test_only_the_units_admin_keeps_the_programme(bed_unit, bed_admin, bed_clinician):  # type: ignore[no-untyped-def]
    url = f"/brukerstyrt/enhet/{bed_unit.public_id}/program/"
    data = {k: ("on" if v is True else v) for k, v in PROGRAMME_FIELDS.items()
            if v is not False}
    assert _client(bed_clinician).post(url, data).status_code == 403
    assert not Programme.objects.exists()
    bad = _client(bed_admin).post(url, {**data, "min_stay_days": "6"})
    assert bad.status_code == 422 and not Programme.objects.exists()
    assert _client(bed_admin).post(url, data).status_code == 302
    assert Programme.objects.get().published
    cap = _client(bed_admin).post(f"/brukerstyrt/enhet/{bed_unit.public_id}/kapasitet/",
                                  {"valid_from": clock.today().isoformat(), "beds": "3"})
    assert cap.status_code == 302


def test_next_of_kin_sees_the_agreement_only_with_consent(agreement, kin_user, pathway):  # type: ignore[no-untyped-def]
    url = f"/forlop/{pathway.public_id}/brukerstyrt/"
    assert _client(kin_user).get(url).status_code == 404
    kin = Consent.objects.get(patient_id=pathway.patient_id).next_of_kin
    Consent.objects.create(patient_id=pathway.patient_id, next_of_kin=kin, kind="beds",
                           given_at=clock.now(), valid_from=clock.today())
    page = _client(kin_user).get(url)
    assert page.status_code == 200 and "Brukerstyrt døgn Vest" in page.content.decode()


def test_the_unit_makes_an_agreement_by_national_id(programme, bed_clinician, pathway):  # type: ignore[no-untyped-def]
    url = f"/brukerstyrt/enhet/{programme.unit.public_id}/avtaler/"
    data = {"national_id": pathway.patient.national_id, "programme": str(programme.public_id),
            "valid_from": day(0).isoformat(), "valid_to": day(120).isoformat(),
            "max_stays": "4", "max_days_per_stay": "5", "in_crisis_plan": "on"}
    refused = _client(bed_clinician).post(url, {**data, "max_days_per_stay": "9"})
    assert refused.status_code == 422 and not Agreement.objects.exists()
    assert _client(bed_clinician).post(url, data).status_code == 302
    assert Agreement.objects.get().pathway == pathway


def test_turning_down_without_a_reason_keeps_the_form(accepted, patient_user, bed_clinician):  # type: ignore[no-untyped-def]
    from ettervern.beds import services
    from tests.pathways.helpers import act

    booking = services.booking_create(actor=act(patient_user), agreement=accepted,
                                      arrival=day(2), departure=day(4))
    prefix = f"refuse-{booking.public_id}"
    client = _client(bed_clinician)
    refused = client.post(f"/brukerstyrt/opphold/{booking.public_id}/avvis/",
                          {f"{prefix}-note": "Ringte og var syk"})
    html = refused.content.decode()
    assert refused.status_code == 422 and "Ringte og var syk" in html and "<details" in html
    early = client.post(f"/brukerstyrt/opphold/{booking.public_id}/avvis/",
                        {f"{prefix}-reason": "no_show", "confirmed": "yes"})
    assert early.status_code == 422 and "fra ankomstdagen" in early.content.decode()
    assert Booking.objects.get().status == Booking.Status.BOOKED
    client.post(f"/brukerstyrt/opphold/{booking.public_id}/avvis/",
                {f"{prefix}-reason": "health", "confirmed": "yes"})
    assert Booking.objects.get().status == Booking.Status.REFUSED
