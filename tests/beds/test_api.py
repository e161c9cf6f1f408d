"""The endpoints of user-controlled beds: the same services and selectors as the pages. Each
one answers whom it is for, refuses everyone else (audited) with nothing stored, and answers
bad input with a 4xx `{code, message, field}`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as DjangoClient

from ettervern.access.models import AuditEvent
from ettervern.beds import services
from ettervern.beds.models import Agreement, BedNight, Booking, CapacityChange, Programme
from ettervern.core import clock
from ettervern.directory.models import Staff, Unit
from ettervern.pathways.models import PathwayEvent, Stay
from ettervern.patients.models import Consent, NextOfKin
from tests import factories
from tests.api.conftest import ApiClient, signed_in
from tests.beds.conftest import PROGRAMME_FIELDS, day, make_programme
from tests.pathways.helpers import act

pytestmark = pytest.mark.django_db

MISSING = "00000000-0000-4000-8000-000000000000"


class Client(ApiClient):
    def put(self, url: str, body: Any = None) -> Any:
        return self._send("put", url, body)


def as_(who: Any) -> Client:
    user = getattr(who, "user", who)
    client = signed_in(user)
    return Client(client.client)


def _error(response: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content)
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    if field is not None:
        assert body["field"] == field, body
    assert body["message"]
    return body


def _denied(user: Any, action: str) -> int:
    return AuditEvent.objects.filter(actor_id=getattr(user, "user", user).pk, action=action,
                                     outcome=AuditEvent.Outcome.DENIED).count()


def _allowed(user: Any, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor_id=getattr(user, "user", user).pk,
                                          action=action, outcome=AuditEvent.Outcome.ALLOWED))


def _stored() -> tuple[int, ...]:
    """Everything a write of beds stores, and the versions that move."""
    return (Programme.objects.count(), CapacityChange.objects.count(), Agreement.objects.count(),
            Booking.objects.count(), sum(BedNight.objects.values_list("booked", flat=True)),
            Stay.objects.count(), PathwayEvent.objects.count(),
            sum(Programme.objects.values_list("version", flat=True)),
            sum(Agreement.objects.values_list("version", flat=True)),
            sum(Booking.objects.values_list("version", flat=True)))


@pytest.fixture
def anonymous(db):  # type: ignore[no-untyped-def]
    return Client(DjangoClient())


@pytest.fixture
def kin_beds(pathway):  # type: ignore[no-untyped-def]
    """A next of kin with the patient's consent to see the user-controlled bed."""
    user = get_user_model().objects.create_user(username="kin_beds", password=None)
    kin = NextOfKin.objects.create(patient_id=pathway.patient_id, name="Kari", relation="søster",
                                   user=user)
    Consent.objects.create(patient_id=pathway.patient_id, next_of_kin=kin, kind="beds",
                           given_at=clock.now(), valid_from=clock.today())
    return user


@pytest.fixture
def other_patient(programme, bed_clinician):  # type: ignore[no-untyped-def]
    """The patient of another pathway, with an accepted agreement of their own at the unit."""
    other = factories.open_pathway()
    user = get_user_model().objects.create_user(username="annen_pasient", password=None)
    other.patient.user = user
    other.patient.save(update_fields=["user"])
    theirs = services.agreement_offer(
        actor=act(bed_clinician), national_id=other.patient.national_id, programme=programme,
        valid_from=day(0), valid_to=day(100), max_stays=2, max_days_per_stay=5)
    services.agreement_accept(actor=act(user), agreement=theirs)
    return user


@pytest.fixture
def booking(accepted, patient_user):  # type: ignore[no-untyped-def]
    return services.booking_create(actor=act(patient_user), agreement=accepted,
                                   arrival=day(0), departure=day(3))


def _agreement_body(programme: Programme, **changes: Any) -> dict[str, Any]:
    return {"programme_id": str(programme.public_id), "valid_from": str(day(0)),
            "valid_to": str(day(90)), "max_stays": 2, "max_days_per_stay": 4,
            "conditions": "Ring dagen før.", **changes}


# --- no sign-in -----------------------------------------------------------------------------

def test_every_endpoint_wants_a_sign_in(anonymous, booking, accepted, bed_unit, pathway):  # type: ignore[no-untyped-def]
    programme, unit = accepted.programme.public_id, bed_unit.public_id
    a, b, p = accepted.public_id, booking.public_id, pathway.public_id
    calls = [
        ("get", "/api/bed-programmes"), ("get", "/api/bed-programmes/search"),
        ("get", f"/api/bed-programmes/{programme}"),
        ("put", f"/api/units/{unit}/bed-programme"),
        ("post", f"/api/bed-programmes/{programme}/capacity"),
        ("get", f"/api/pathways/{p}/bed-agreements"), ("post", f"/api/pathways/{p}/bed-agreements"),
        ("post", "/api/bed-agreements"), ("get", "/api/me/bed-agreements"),
        ("get", f"/api/bed-agreements/{a}"), ("post", f"/api/bed-agreements/{a}/accept"),
        ("get", f"/api/bed-agreements/{a}/free-nights"),
        ("post", f"/api/bed-agreements/{a}/bookings"),
        *[("post", f"/api/bed-bookings/{b}/{what}")
          for what in ("cancel", "arrive", "refuse", "depart")],
        ("get", f"/api/units/{unit}/bed-day"), ("get", f"/api/units/{unit}/bed-agreements"),
        ("get", f"/api/units/{unit}/bed-usage"),
    ]
    before = _stored()
    for method, url in calls:
        if method == "get":
            response = anonymous.get(url)
        else:
            response = getattr(anonymous.client, method)(url, data="{}",
                                                         content_type="application/json")
        _error(response, 401, "not_authenticated")
    assert _stored() == before


# --- programmes and the search -------------------------------------------------------------

def test_staff_anywhere_list_and_read_published_programmes(programme, outsider, patient_user):  # type: ignore[no-untyped-def]
    listed = as_(outsider).get("/api/bed-programmes")
    assert listed.status_code == 200, listed.json()
    body = listed.json()
    assert (body["page"], body["pages"], body["total"]) == (1, 1, 1)
    item = body["items"][0]
    assert item["id"] == str(programme.public_id)
    assert item["unit"]["name"] == "Brukerstyrt døgn Vest" and item["region"] == "vest"
    assert [g["code"] for g in item["target_groups"]] == ["voksne"]
    assert item["url"] == f"/api/bed-programmes/{programme.public_id}"
    assert item["page_url"] == f"/brukerstyrt/program/{programme.public_id}/"
    one = as_(outsider).get(item["url"])
    assert one.status_code == 200
    assert one.json()["beds_now"] == 2 and one.json()["version"] == programme.version
    assert one.json()["capacity_changes"] == [{"valid_from": str(day(0)), "beds": 2}]
    # Not for patients; an unknown or unpublished programme is not found.
    _error(as_(patient_user).get("/api/bed-programmes"), 403, "forbidden")
    _error(as_(patient_user).get(item["url"]), 403, "forbidden")
    _error(as_(outsider).get(f"/api/bed-programmes/{MISSING}"), 404, "not_found")
    Programme.objects.update(published=False)
    _error(as_(outsider).get(item["url"]), 404, "not_found")
    assert as_(outsider).get("/api/bed-programmes").json()["items"] == []


def test_the_list_pages(bed_admin, outsider):  # type: ignore[no-untyped-def]
    for n in range(51):
        unit = factories.unit(Unit.Kind.RESIDENTIAL, name=f"Døgn {n:02d}")
        bed_admin.units.add(unit)
        services.programme_save(actor=act(bed_admin), unit=unit, fields=PROGRAMME_FIELDS,
                                target_groups=[])
    first = as_(outsider).get("/api/bed-programmes").json()
    assert (len(first["items"]), first["pages"], first["total"]) == (50, 2, 51)
    second = as_(outsider).get("/api/bed-programmes", page=2).json()
    assert len(second["items"]) == 1 and second["page"] == 2


def _programme_body(version: int, **changes: Any) -> dict[str, Any]:
    return {**PROGRAMME_FIELDS, "version": version, "target_groups": ["voksne", "unge-voksne"],
            **changes}


def _bad_programme(**changes: Any) -> dict[str, Any]:
    return {**_programme_body(0), **changes}


def test_the_unit_admin_creates_and_changes_the_programme(bed_admin, bed_unit):  # type: ignore[no-untyped-def]
    client, url = as_(bed_admin), f"/api/units/{bed_unit.public_id}/bed-programme"
    made = client.put(url, _programme_body(0, gender_separated=True))
    assert made.status_code == 200, made.json()
    assert made.json()["version"] == 1 and made.json()["gender_separated"] is True
    assert sorted(g["code"] for g in made.json()["target_groups"]) == ["unge-voksne", "voksne"]
    changed = client.put(url, _programme_body(1, max_stay_days=3, target_groups=["voksne"]))
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["version"], changed.json()["max_stay_days"]) == (2, 3)
    # Someone else changed it in the meantime: 409, nothing changes.
    before = _stored()
    _error(client.put(url, _programme_body(1, max_stay_days=4)), 409, "stale_version")
    assert _stored() == before and Programme.objects.get().max_stay_days == 3
    assert len(_allowed(bed_admin, "bedprogramme.save")) == 2


@pytest.mark.parametrize(("changes", "field"), [
    ({"min_stay_days": 4, "max_stay_days": 2}, "min_stay_days"),
    ({"max_stay_days": 30}, "max_stay_days"),
    ({"min_notice_days": 60}, "min_notice_days"),
    ({"target_groups": ["ukjent"]}, "target_groups"),
    ({"contact_email": "ikke en adresse"}, "contact_email"),
    ({"content": "x" * 2001}, "content"),
    ({"colour": "blå"}, "colour"),
    ({"version": -1}, "version"),
])
def test_a_bad_programme_is_refused_and_nothing_stored(bed_admin, bed_unit, changes, field):  # type: ignore[no-untyped-def]
    response = as_(bed_admin).put(f"/api/units/{bed_unit.public_id}/bed-programme",
                                  _bad_programme(**changes))
    _error(response, 422, "invalid_input", field)
    assert not Programme.objects.exists()


def test_only_the_units_admin_keeps_its_programme(bed_unit, bed_clinician, outsider,  # type: ignore[no-untyped-def]
                                                  patient_user, clinic):
    url = f"/api/units/{bed_unit.public_id}/bed-programme"
    other_admin = factories.staff(Staff.Profession.ADMIN, units=[factories.unit(
        Unit.Kind.RESIDENTIAL)], username="annen_admin")
    for who in (bed_clinician, outsider, other_admin, patient_user):
        _error(as_(who).put(url, _programme_body(0)), 403, "forbidden")
    assert _denied(bed_clinician, "bedprogramme.save") == 1
    assert _denied(other_admin, "bedprogramme.save") == 1
    assert _denied(patient_user, "bedprogramme.save") == 1
    _error(as_(other_admin).put(f"/api/units/{MISSING}/bed-programme", _programme_body(0)),
           404, "not_found")
    # A clinic offers no beds, even when its administrator asks.
    clinic_admin = factories.staff(Staff.Profession.ADMIN, units=[clinic], username="klinikkadm")
    _error(as_(clinic_admin).put(f"/api/units/{clinic.public_id}/bed-programme",
                                 _programme_body(0)), 422, "invalid_input", "unit_id")
    assert not Programme.objects.exists()


def test_capacity_changes_by_the_admin_only(programme, bed_admin, bed_clinician, patient_user,  # type: ignore[no-untyped-def]
                                            outsider):
    url = f"/api/bed-programmes/{programme.public_id}/capacity"
    changed = as_(bed_admin).post(url, {"valid_from": str(day(0)), "beds": 4})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["beds_now"] == 4
    later = as_(bed_admin).post(url, {"valid_from": str(day(10)), "beds": 1})
    assert [c["beds"] for c in later.json()["capacity_changes"]] == [4, 1]
    before = _stored()
    _error(as_(bed_admin).post(url, {"valid_from": str(day(-1)), "beds": 3}), 422,
           "invalid_input", "valid_from")
    _error(as_(bed_admin).post(url, {"valid_from": str(day(400)), "beds": 3}), 422,
           "invalid_input", "valid_from")
    _error(as_(bed_admin).post(url, {"valid_from": str(day(1)), "beds": 51}), 422,
           "invalid_input", "beds")
    _error(as_(bed_admin).post(url, {"valid_from": "i morgen", "beds": 3}), 422,
           "invalid_input", "valid_from")
    _error(as_(bed_clinician).post(url, {"valid_from": str(day(1)), "beds": 3}), 403,
           "forbidden")
    _error(as_(outsider).post(url, {"valid_from": str(day(1)), "beds": 3}), 403, "forbidden")
    _error(as_(patient_user).post(url, {"valid_from": str(day(1)), "beds": 3}), 403,
           "forbidden")
    assert _stored() == before
    assert _denied(bed_clinician, "bedprogramme.save") == 1
    assert len(_allowed(bed_admin, "bedprogramme.capacity")) == 3  # with the fixture's


def test_capacity_cannot_drop_below_what_is_booked(booking, bed_admin):  # type: ignore[no-untyped-def]
    url = f"/api/bed-programmes/{booking.programme.public_id}/capacity"
    before = _stored()
    _error(as_(bed_admin).post(url, {"valid_from": str(day(1)), "beds": 0}), 409,
           "rule_violation", "beds")
    assert _stored() == before


def test_the_search_across_the_country(programme, bed_admin, outsider, patient_user,  # type: ignore[no-untyped-def]
                                       booking):
    other_unit = factories.unit(Unit.Kind.RESIDENTIAL, name="Døgn Nord")
    other_unit.organisation.region = "nord"
    other_unit.organisation.save(update_fields=["region"])
    bed_admin.units.add(other_unit)
    make_programme(bed_admin, other_unit, beds=1, gender_separated=True)
    client = as_(outsider)
    found = client.get("/api/bed-programmes/search", first=str(day(0)), until=str(day(7)))
    assert found.status_code == 200, found.json()
    body = found.json()
    assert (body["first"], body["until"], body["total"]) == (str(day(0)), str(day(7)), 2)
    row = next(r for r in body["items"] if r["programme_id"] == str(programme.public_id))
    # Two beds a night, one taken the first three nights by the booking.
    assert (row["free_nights"], row["free_beds"], row["first_free"]) == (7, 11, str(day(0)))
    assert row["url"] == f"/api/bed-programmes/{programme.public_id}"
    assert row["page_url"] == f"/brukerstyrt/program/{programme.public_id}/"
    assert client.get(row["url"]).status_code == 200
    # Filters; defaults for the period.
    vest = client.get("/api/bed-programmes/search", region="vest").json()
    assert [r["unit"] for r in vest["items"]] == ["Brukerstyrt døgn Vest"]
    assert (vest["first"], vest["until"]) == (str(day(0)), str(day(14)))
    separated = client.get("/api/bed-programmes/search", gender_separated="true").json()
    assert [r["unit"] for r in separated["items"]] == ["Døgn Nord"]
    trust = programme.unit.organisation.public_id
    assert [r["unit"] for r in client.get("/api/bed-programmes/search",
                                          trust=str(trust)).json()["items"]] == [
        "Brukerstyrt døgn Vest"]
    assert client.get("/api/bed-programmes/search", target_group="lar").json()["items"] == []
    assert client.get("/api/bed-programmes/search", region="", trust="",
                      gender_separated="").json()["total"] == 2


@pytest.mark.parametrize(("params", "field"), [
    ({"first": str(day(5)), "until": str(day(5))}, "until"),
    ({"first": str(day(0)), "until": str(day(63))}, "until"),
    ({"first": "neste uke"}, "first"),
    ({"first": str(day(-1))}, "first"),
    ({"region": "sør"}, "region"),
    ({"trust": "helse-vest"}, "trust"),
    ({"page": "0"}, "page"),
])
def test_a_bad_search_is_refused(programme, outsider, params, field):  # type: ignore[no-untyped-def]
    _error(as_(outsider).get("/api/bed-programmes/search", **params), 422, "invalid_input",
           field)


def test_the_search_is_for_staff(programme, patient_user, kin_beds):  # type: ignore[no-untyped-def]
    for who in (patient_user, kin_beds):
        _error(as_(who).get("/api/bed-programmes/search"), 403, "forbidden")
    assert _denied(patient_user, "bedprogramme.search") == 1


# --- agreements --------------------------------------------------------------------------------

def test_the_pathways_agreements_for_those_who_may_read_them(  # type: ignore[no-untyped-def]
        accepted, booking, pathway, coordinator, specialist, gp, patient_user, kin_beds):
    url = f"/api/pathways/{pathway.public_id}/bed-agreements"
    for who in (coordinator, specialist, gp, patient_user, kin_beds):
        response = as_(who).get(url)
        assert response.status_code == 200, (who, response.json())
        body = response.json()
        assert (body["total"], body["pages"]) == (1, 1)
        item = body["items"][0]
        assert item["id"] == str(accepted.public_id) and item["accepted_at"]
        assert item["programme"]["unit"]["name"] == "Brukerstyrt døgn Vest"
        assert item["stays_used"] == 1
        assert [b["id"] for b in item["bookings"]] == [str(booking.public_id)]
        assert item["bookings"][0]["status"] == "booked"
        assert len(_allowed(who, "beds.view")) == 1
    event = _allowed(kin_beds, "beds.view")[0]
    assert event.basis.startswith("consent:beds") and event.patient_id == pathway.patient_id


def test_the_pathways_agreements_are_not_found_for_others(  # type: ignore[no-untyped-def]
        accepted, pathway, kin_user, outsider, bed_clinician, other_patient):
    url = f"/api/pathways/{pathway.public_id}/bed-agreements"
    # A next of kin who may follow the pathway but not the bed; another clinic's staff; the
    # unit's staff (they reach the agreement, not the pathway); another pathway's patient.
    for who in (kin_user, outsider, bed_clinician, other_patient):
        _error(as_(who).get(url), 404, "not_found")
        assert _denied(who, "beds.view") == 1
    _error(as_(outsider).get(f"/api/pathways/{MISSING}/bed-agreements"), 404, "not_found")


def test_the_care_team_makes_an_agreement_on_the_pathway(pathway, programme, coordinator,  # type: ignore[no-untyped-def]
                                                         specialist):
    url = f"/api/pathways/{pathway.public_id}/bed-agreements"
    made = as_(specialist).post(url, _agreement_body(programme))
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["pathway_id"] == str(pathway.public_id) and body["accepted_at"] is None
    assert (body["max_stays"], body["max_days_per_stay"]) == (2, 4)
    assert body["bookings"] == [] and body["stays_used"] == 0
    assert Agreement.objects.get().created_by == specialist.user
    assert pathway.events.filter(kind="beds.agreement_made").count() == 1
    assert len(_allowed(specialist, "bedagreement.manage")) == 1


def test_others_cannot_make_one_on_the_pathway(pathway, programme, gp, patient_user, kin_user,  # type: ignore[no-untyped-def]
                                               kin_beds, outsider):
    url = f"/api/pathways/{pathway.public_id}/bed-agreements"
    before = _stored()
    # Who sees the agreements is told their role does not allow it; the rest learn nothing.
    for who in (gp, patient_user, kin_beds):
        _error(as_(who).post(url, _agreement_body(programme)), 403, "forbidden")
    for who in (kin_user, outsider):
        _error(as_(who).post(url, _agreement_body(programme)), 404, "not_found")
    # Not even an unknown programme tells an outsider that the pathway exists.
    _error(as_(outsider).post(url, _agreement_body(programme, programme_id=MISSING)), 404,
           "not_found")
    assert _stored() == before
    for who in (gp, patient_user, kin_beds, kin_user):
        assert _denied(who, "bedagreement.manage") == 1
    assert _denied(outsider, "bedagreement.manage") == 2


@pytest.mark.parametrize(("changes", "status", "field"), [
    ({"programme_id": MISSING}, 422, "programme_id"),
    ({"valid_from": str(day(-1))}, 422, "valid_from"),
    ({"valid_to": str(day(-2))}, 422, "valid_to"),
    ({"valid_to": str(day(800))}, 422, "valid_to"),
    ({"max_stays": 0}, 422, "max_stays"),
    ({"max_days_per_stay": 6}, 422, "max_days_per_stay"),
    ({"conditions": "x" * 2001}, 422, "conditions"),
    ({"valid_from": "snart"}, 422, "valid_from"),
    ({"national_id": "12345678901"}, 422, "national_id"),
])
def test_a_bad_agreement_is_refused_and_nothing_stored(pathway, programme, coordinator,  # type: ignore[no-untyped-def]
                                                      changes, status, field):
    before = _stored()
    response = as_(coordinator).post(f"/api/pathways/{pathway.public_id}/bed-agreements",
                                     _agreement_body(programme, **changes))
    _error(response, status, "invalid_input", field)
    assert _stored() == before


def test_a_second_agreement_for_the_same_period_is_refused(agreement, pathway, programme,  # type: ignore[no-untyped-def]
                                                           coordinator):
    before = _stored()
    _error(as_(coordinator).post(f"/api/pathways/{pathway.public_id}/bed-agreements",
                                 _agreement_body(programme)), 409, "rule_violation", "valid_from")
    assert _stored() == before


def test_the_units_staff_offer_one_by_national_id(pathway, programme, bed_clinician):  # type: ignore[no-untyped-def]
    """The unit gets the same answer whether or not the number has an open pathway."""
    from ettervern.beds.models import Agreement

    made = as_(bed_clinician).post("/api/bed-agreements", {
        **_agreement_body(programme), "national_id": pathway.patient.national_id})
    assert made.status_code == 202, made.json()
    assert Agreement.objects.get().pathway == pathway
    event = _allowed(bed_clinician, "bedagreement.manage")[0]
    assert event.basis.startswith("unit:beds") and event.patient_id == pathway.patient_id
    # An unknown number: the same answer; nothing stored; the refusal audited.
    before = _stored()
    unknown = as_(bed_clinician).post("/api/bed-agreements", {
        **_agreement_body(programme, valid_from=str(day(100)), valid_to=str(day(120))),
        "national_id": factories.national_id()})
    assert unknown.status_code == 202 and unknown.json() == made.json()
    _error(as_(bed_clinician).post("/api/bed-agreements", {
        **_agreement_body(programme), "national_id": "123"}), 422, "invalid_input",
        "national_id")
    assert _stored() == before
    # Not the unit's to read until the patient accepts it.
    listed = as_(bed_clinician).get(f"/api/units/{programme.unit.public_id}/bed-agreements")
    assert listed.status_code == 200 and listed.json()["total"] == 0


def test_nobody_else_learns_whether_a_person_has_a_pathway(pathway, programme, outsider,  # type: ignore[no-untyped-def]
                                                           coordinator, patient_user):
    before = _stored()
    answers = []
    for number in (pathway.patient.national_id, factories.national_id()):
        for who in (outsider, coordinator):
            response = as_(who).post("/api/bed-agreements", {
                **_agreement_body(programme), "national_id": number})
            answers.append(_error(response, 403, "forbidden"))
    assert len({a["message"] for a in answers}) == 1
    _error(as_(patient_user).post("/api/bed-agreements", {
        **_agreement_body(programme), "national_id": pathway.patient.national_id}), 403,
        "forbidden")
    assert _stored() == before
    assert _denied(outsider, "bedagreement.manage") == 2
    assert AuditEvent.objects.filter(action="bedagreement.manage", outcome="denied",
                                     patient_id__isnull=False).count() == 0


def test_the_patient_reads_their_own(agreement, patient_user, other_patient, coordinator,  # type: ignore[no-untyped-def]
                                     kin_beds):
    mine = as_(patient_user).get("/api/me/bed-agreements")
    assert mine.status_code == 200, mine.json()
    assert [a["id"] for a in mine.json()["items"]] == [str(agreement.public_id)]
    assert mine.json()["total"] == 1
    theirs = as_(other_patient).get("/api/me/bed-agreements").json()["items"]
    assert len(theirs) == 1 and theirs[0]["id"] != str(agreement.public_id)
    for who in (coordinator, kin_beds):
        _error(as_(who).get("/api/me/bed-agreements"), 404, "not_found")


def test_one_agreement_for_everyone_who_may_read_it(  # type: ignore[no-untyped-def]
        accepted, patient_user, coordinator, bed_clinician, kin_beds, kin_user, outsider,
        other_patient, bed_admin):
    url = f"/api/bed-agreements/{accepted.public_id}"
    for who in (patient_user, coordinator, bed_clinician, kin_beds, bed_admin):
        response = as_(who).get(url)
        assert response.status_code == 200, (who, response.json())
        assert response.json()["conditions"] == "Ring før kl. 12 dagen før."
    assert _allowed(bed_clinician, "beds.view")[0].basis.startswith("unit:beds")
    for who in (kin_user, outsider, other_patient):
        _error(as_(who).get(url), 404, "not_found")
        assert _denied(who, "beds.view") == 1
    _error(as_(coordinator).get(f"/api/bed-agreements/{MISSING}"), 404, "not_found")


def test_the_patient_accepts(agreement, patient_user):  # type: ignore[no-untyped-def]
    url = f"/api/bed-agreements/{agreement.public_id}/accept"
    accepted = as_(patient_user).post(url)
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["accepted_at"] and accepted.json()["version"] == 2
    assert len(_allowed(patient_user, "bedagreement.accept")) == 1
    before = _stored()
    _error(as_(patient_user).post(url), 409, "rule_violation")
    assert _stored() == before


def test_nobody_else_accepts(agreement, coordinator, bed_clinician, kin_beds, kin_user, outsider,  # type: ignore[no-untyped-def]
                             other_patient):
    url = f"/api/bed-agreements/{agreement.public_id}/accept"
    for who in (coordinator, kin_beds):
        _error(as_(who).post(url), 403, "forbidden")
    # The unit does not reach the agreement before the patient has accepted it.
    for who in (bed_clinician, kin_user, outsider, other_patient):
        _error(as_(who).post(url), 404, "not_found")
    for who in (coordinator, bed_clinician, kin_beds, kin_user, outsider, other_patient):
        assert _denied(who, "bedagreement.accept") == 1
    agreement.refresh_from_db()
    assert agreement.accepted_at is None and agreement.version == 1


def test_free_nights(booking, accepted, patient_user, bed_clinician, outsider, kin_user):  # type: ignore[no-untyped-def]
    url = f"/api/bed-agreements/{accepted.public_id}/free-nights"
    response = as_(patient_user).get(url)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["first_arrival"], body["last_arrival"]) == (str(day(0)), str(day(60)))
    assert len(body["nights"]) == 61
    assert [n["free"] for n in body["nights"][:4]] == [1, 1, 1, 2]
    assert as_(bed_clinician).get(url).status_code == 200
    for who in (outsider, kin_user):
        _error(as_(who).get(url), 404, "not_found")


# --- bookings ----------------------------------------------------------------------------------

def test_the_patient_books(accepted, patient_user, bed_unit):  # type: ignore[no-untyped-def]
    url = f"/api/bed-agreements/{accepted.public_id}/bookings"
    made = as_(patient_user).post(url, {"arrival": str(day(3)), "departure": str(day(6)),
                                        "unit_id": str(bed_unit.public_id)})
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["status"], body["days"], body["agreement_id"]) == (
        "booked", 3, str(accepted.public_id))
    assert body["unit"]["id"] == str(bed_unit.public_id)
    assert sorted(BedNight.objects.filter(booked=1).values_list("night", flat=True)) == [
        day(3), day(4), day(5)]
    assert len(_allowed(patient_user, "bed.book")) == 1


def test_the_units_staff_book_for_the_patient(accepted, bed_clinician):  # type: ignore[no-untyped-def]
    made = as_(bed_clinician).post(f"/api/bed-agreements/{accepted.public_id}/bookings",
                                   {"arrival": str(day(1)), "departure": str(day(2))})
    assert made.status_code == 201, made.json()
    assert Booking.objects.get().booked_by == bed_clinician.user


def test_nobody_else_books(accepted, coordinator, specialist, outsider, kin_user, kin_beds,  # type: ignore[no-untyped-def]
                           other_patient):
    url = f"/api/bed-agreements/{accepted.public_id}/bookings"
    body = {"arrival": str(day(3)), "departure": str(day(5))}
    before = _stored()
    # The coordinator plans the pathway's stays but does not book the patient's bed.
    for who in (coordinator, specialist, kin_beds):
        _error(as_(who).post(url, body), 403, "forbidden")
    for who in (outsider, kin_user, other_patient):
        _error(as_(who).post(url, body), 404, "not_found")
    _error(as_(coordinator).post(f"/api/bed-agreements/{MISSING}/bookings", body), 404,
           "not_found")
    assert _stored() == before
    for who in (coordinator, specialist, kin_beds, outsider, kin_user, other_patient):
        assert _denied(who, "bed.book") == 1


@pytest.mark.parametrize(("body", "status", "code", "field"), [
    ({"arrival": str(day(-1)), "departure": str(day(2))}, 422, "invalid_input", "arrival"),
    ({"arrival": str(day(3)), "departure": str(day(3))}, 422, "invalid_input", "departure"),
    ({"arrival": str(day(3)), "departure": str(day(9))}, 422, "invalid_input", "departure"),
    ({"arrival": str(day(70)), "departure": str(day(72))}, 422, "invalid_input", "arrival"),
    ({"arrival": "fredag", "departure": str(day(2))}, 422, "invalid_input", "arrival"),
    ({"arrival": str(day(3))}, 422, "invalid_input", "departure"),
    ({"arrival": str(day(3)), "departure": str(day(4)), "unit_id": MISSING}, 409,
     "rule_violation", "unit_id"),
    ({"arrival": str(day(3)), "departure": str(day(4)), "nights": 1}, 422, "invalid_input",
     "nights"),
])
def test_a_bad_booking_is_refused_and_nothing_stored(accepted, patient_user, body, status,  # type: ignore[no-untyped-def]
                                                    code, field):
    before = _stored()
    response = as_(patient_user).post(f"/api/bed-agreements/{accepted.public_id}/bookings",
                                      body)
    _error(response, status, code, field)
    assert _stored() == before


def test_booking_before_accepting_is_refused(agreement, patient_user):  # type: ignore[no-untyped-def]
    before = _stored()
    _error(as_(patient_user).post(f"/api/bed-agreements/{agreement.public_id}/bookings",
                                  {"arrival": str(day(2)), "departure": str(day(4))}),
           409, "rule_violation")
    assert _stored() == before


def test_a_full_night_is_409_fully_booked(bed_admin, bed_unit, pathway, bed_clinician,  # type: ignore[no-untyped-def]
                                          patient_user, other_patient):
    services.capacity_set(actor=act(bed_admin), programme=Programme.objects.get(unit=bed_unit),
                          valid_from=day(0), beds=1)
    theirs = Agreement.objects.get(patient__user=other_patient)
    taken = as_(other_patient).post(f"/api/bed-agreements/{theirs.public_id}/bookings",
                                    {"arrival": str(day(5)), "departure": str(day(7))})
    assert taken.status_code == 201, taken.json()
    mine = services.agreement_offer(
        actor=act(bed_clinician), national_id=pathway.patient.national_id,
        programme=theirs.programme, valid_from=day(0), valid_to=day(100), max_stays=2,
        max_days_per_stay=5)
    services.agreement_accept(actor=act(patient_user), agreement=mine)
    before = _stored()
    _error(as_(patient_user).post(f"/api/bed-agreements/{mine.public_id}/bookings",
                                  {"arrival": str(day(3)), "departure": str(day(6))}),
           409, "fully_booked", "arrival")
    assert _stored() == before
    assert not BedNight.objects.filter(night=day(3), booked__gt=0).exists()


def test_the_patient_cancels(booking, patient_user):  # type: ignore[no-untyped-def]
    url = f"/api/bed-bookings/{booking.public_id}/cancel"
    cancelled = as_(patient_user).post(url, {"note": "Fikk jobb."})
    assert cancelled.status_code == 200, cancelled.json()
    assert (cancelled.json()["status"], cancelled.json()["note"]) == ("cancelled", "Fikk jobb.")
    assert cancelled.json()["cancelled_at"]
    assert not BedNight.objects.filter(booked__gt=0).exists()
    before = _stored()
    _error(as_(patient_user).post(url, {}), 409, "rule_violation")
    assert _stored() == before


def test_the_unit_cancels_too(booking, bed_clinician):  # type: ignore[no-untyped-def]
    cancelled = as_(bed_clinician).post(f"/api/bed-bookings/{booking.public_id}/cancel", {})
    assert cancelled.status_code == 200, cancelled.json()


def test_nobody_else_cancels(booking, coordinator, kin_beds, kin_user, outsider, other_patient,  # type: ignore[no-untyped-def]
                             patient_user):
    url = f"/api/bed-bookings/{booking.public_id}/cancel"
    before = _stored()
    for who in (coordinator, kin_beds):
        _error(as_(who).post(url, {}), 403, "forbidden")
    for who in (kin_user, outsider, other_patient):
        _error(as_(who).post(url, {}), 404, "not_found")
    _error(as_(patient_user).post(url, {"note": "x" * 1001}), 422, "invalid_input", "note")
    _error(as_(patient_user).post(f"/api/bed-bookings/{MISSING}/cancel", {}), 404, "not_found")
    assert _stored() == before
    for who in (coordinator, kin_beds, kin_user, outsider, other_patient):
        assert _denied(who, "bed.book") == 1


def test_the_unit_marks_arrival_and_departure(booking, bed_clinician, pathway):  # type: ignore[no-untyped-def]
    arrived = as_(bed_clinician).post(f"/api/bed-bookings/{booking.public_id}/arrive")
    assert arrived.status_code == 200, arrived.json()
    assert arrived.json()["status"] == "arrived"
    stay = Stay.objects.get(pathway=pathway, kind=Stay.Kind.USER_CONTROLLED)
    assert stay.status == Stay.Status.ONGOING
    before = _stored()
    _error(as_(bed_clinician).post(f"/api/bed-bookings/{booking.public_id}/arrive"), 409,
           "rule_violation")
    assert _stored() == before
    departed = as_(bed_clinician).post(f"/api/bed-bookings/{booking.public_id}/depart")
    assert departed.status_code == 200, departed.json()
    assert (departed.json()["status"], departed.json()["departed_on"]) == (
        "departed", str(day(0)))
    stay.refresh_from_db()
    assert stay.status == Stay.Status.DISCHARGED
    # Arrival, the refused second arrival (allowed, then refused by the rule), departure.
    assert len(_allowed(bed_clinician, "bed.unit")) == 3


@pytest.mark.parametrize("what", ["arrive", "depart", "refuse"])
def test_only_the_unit_marks_a_stay(booking, what, patient_user, coordinator, kin_beds, kin_user,  # type: ignore[no-untyped-def]
                                    outsider, other_patient, bed_clinician):
    if what == "depart":
        services.booking_arrive(actor=act(bed_clinician), booking=booking)
        booking.refresh_from_db()
    url = f"/api/bed-bookings/{booking.public_id}/{what}"
    body = {"reason": "safety"} if what == "refuse" else {}
    before = _stored()
    for who in (patient_user, coordinator, kin_beds):
        _error(as_(who).post(url, body), 403, "forbidden")
    for who in (kin_user, outsider, other_patient):
        _error(as_(who).post(url, body), 404, "not_found")
    assert _stored() == before
    for who in (patient_user, coordinator, kin_beds, kin_user, outsider, other_patient):
        assert _denied(who, "bed.unit") == 1


def test_the_unit_turns_a_stay_down(booking, bed_clinician):  # type: ignore[no-untyped-def]
    url = f"/api/bed-bookings/{booking.public_id}/refuse"
    before = _stored()
    _error(as_(bed_clinician).post(url, {}), 422, "invalid_input", "reason")
    _error(as_(bed_clinician).post(url, {"reason": "weather"}), 422, "invalid_input", "reason")
    _error(as_(bed_clinician).post(url, {"reason": "safety", "note": "x" * 1001}), 422,
           "invalid_input", "note")
    assert _stored() == before
    refused = as_(bed_clinician).post(url, {"reason": "safety", "note": "Ruspåvirket."})
    assert refused.status_code == 200, refused.json()
    assert (refused.json()["status"], refused.json()["refusal_reason"]) == ("refused", "safety")
    assert refused.json()["refusal_reason_label"]
    assert not BedNight.objects.filter(booked__gt=0).exists()


# --- the unit ----------------------------------------------------------------------------------

def test_the_units_day_list(booking, bed_clinician, bed_unit, pathway):  # type: ignore[no-untyped-def]
    url = f"/api/units/{bed_unit.public_id}/bed-day"
    today = as_(bed_clinician).get(url)
    assert today.status_code == 200, today.json()
    body = today.json()
    assert (body["day"], body["capacity"], body["booked"]) == (str(day(0)), 2, 1)
    assert [b["id"] for b in body["arrivals"]] == [str(booking.public_id)]
    assert body["arrivals"][0]["patient_name"] == pathway.patient.full_name
    events = _allowed(bed_clinician, "bedbooking.list")
    assert [(e.patient_id, e.basis) for e in events] == [(pathway.patient_id, "unit:beds")]
    later = as_(bed_clinician).get(url, day=str(day(3))).json()
    assert [b["id"] for b in later["departures"]] == [str(booking.public_id)]
    _error(as_(bed_clinician).get(url, day="i dag"), 422, "invalid_input", "day")


def test_the_day_list_is_the_units_own(booking, bed_unit, outsider, coordinator, patient_user):  # type: ignore[no-untyped-def]
    url = f"/api/units/{bed_unit.public_id}/bed-day"
    for who in (outsider, coordinator):
        _error(as_(who).get(url), 404, "not_found")
        assert _denied(who, "bedunit.view") == 1
    _error(as_(patient_user).get(url), 403, "forbidden")
    _error(as_(outsider).get(f"/api/units/{MISSING}/bed-day"), 404, "not_found")
    assert not AuditEvent.objects.filter(action="bedbooking.list").exists()


def test_a_patient_who_blocked_the_reader_is_left_out(booking, bed_clinician, bed_unit,  # type: ignore[no-untyped-def]
                                                      patient_user, pathway):
    from ettervern.rights.models import Block

    Block.objects.create(patient_id=pathway.patient_id, staff=bed_clinician,
                         created_by=patient_user)
    day_list = as_(bed_clinician).get(f"/api/units/{bed_unit.public_id}/bed-day").json()
    assert day_list["arrivals"] == []
    listed = as_(bed_clinician).get(f"/api/units/{bed_unit.public_id}/bed-agreements").json()
    assert (listed["items"], listed["total"]) == ([], 0)
    _error(as_(bed_clinician).post(f"/api/bed-bookings/{booking.public_id}/arrive"), 404,
           "not_found")


def test_the_units_agreements(accepted, other_patient, bed_clinician, bed_unit, outsider,  # type: ignore[no-untyped-def]
                              patient_user):
    url = f"/api/units/{bed_unit.public_id}/bed-agreements"
    listed = as_(bed_clinician).get(url)
    assert listed.status_code == 200, listed.json()
    body = listed.json()
    assert (body["total"], body["pages"], len(body["items"])) == (2, 1, 2)
    assert len(_allowed(bed_clinician, "bedagreement.list")) == 2
    _error(as_(outsider).get(url), 404, "not_found")
    _error(as_(patient_user).get(url), 403, "forbidden")
    _error(as_(bed_clinician).get(url, page="x"), 422, "invalid_input", "page")


def test_the_units_agreements_page(programme, bed_clinician, bed_unit):  # type: ignore[no-untyped-def]
    from ettervern.beds.models import Agreement

    for _n in range(51):
        other = factories.open_pathway()
        services.agreement_offer(actor=act(bed_clinician), national_id=other.patient.national_id,
                                  programme=programme, valid_from=day(0), valid_to=day(30),
                                  max_stays=1, max_days_per_stay=2)
    assert as_(bed_clinician).get(
        f"/api/units/{bed_unit.public_id}/bed-agreements").json()["total"] == 0
    Agreement.objects.update(accepted_at=clock.now())  # the patients accept
    url = f"/api/units/{bed_unit.public_id}/bed-agreements"
    first = as_(bed_clinician).get(url).json()
    assert (len(first["items"]), first["pages"], first["total"]) == (50, 2, 51)
    second = as_(bed_clinician).get(url, page=2).json()
    assert len(second["items"]) == 1
    assert {i["id"] for i in first["items"]}.isdisjoint(i["id"] for i in second["items"])
    # One audit row per patient shown, page by page.
    assert len(_allowed(bed_clinician, "bedagreement.list")) == 51


def test_usage_counts_for_any_staff(booking, bed_clinician, bed_unit, outsider, patient_user):  # type: ignore[no-untyped-def]
    services.booking_arrive(actor=act(bed_clinician), booking=booking)
    url = f"/api/units/{bed_unit.public_id}/bed-usage"
    response = as_(outsider).get(url)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["year"] == clock.today().year and len(body["months"]) == 12
    month = body["months"][clock.today().month - 1]
    assert (month["agreements"], month["bookings"]) == (1, 1)
    assert as_(outsider).get(url, year=2001).json()["months"][0]["bookings"] == 0
    _error(as_(outsider).get(url, year=1999), 422, "invalid_input", "year")
    _error(as_(outsider).get(url, year="i fjor"), 422, "invalid_input", "year")
    _error(as_(patient_user).get(url), 403, "forbidden")
    assert not AuditEvent.objects.filter(action="bedusage.view", patient_id__isnull=False)


def test_the_openapi_names_the_operations(anonymous):  # type: ignore[no-untyped-def]
    schema = json.loads(anonymous.client.get("/api/openapi.json").content)
    ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {"ettervern_api_beds_book_bed", "ettervern_api_beds_search_bed_programmes",
            "ettervern_api_beds_unit_bed_day"} <= ids


def test_each_write_is_decided_and_audited_once(agreement, patient_user, bed_clinician):  # type: ignore[no-untyped-def]
    def rows_of(call: Any) -> list[tuple[str, str]]:
        before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = call()
        assert response.status_code in (200, 201), response.json()
        return list(AuditEvent.objects.filter(id__gt=before).order_by("id")
                    .values_list("action", "outcome"))

    a = agreement.public_id
    assert rows_of(lambda: as_(patient_user).post(f"/api/bed-agreements/{a}/accept")) == [
        ("bedagreement.accept", "allowed")]
    booked: dict[str, Any] = {}

    def book() -> Any:
        response = as_(patient_user).post(f"/api/bed-agreements/{a}/bookings",
                                          {"arrival": str(day(0)), "departure": str(day(2))})
        booked.update(response.json())
        return response

    assert rows_of(book) == [("bed.book", "allowed")]
    b = booked["id"]
    assert rows_of(lambda: as_(bed_clinician).post(f"/api/bed-bookings/{b}/arrive")) == [
        ("bed.unit", "allowed")]
    assert rows_of(lambda: as_(bed_clinician).post(f"/api/bed-bookings/{b}/depart")) == [
        ("bed.unit", "allowed")]
