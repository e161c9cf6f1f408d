"""The rules of booking a user-controlled bed: each refusal says why and stores nothing."""

from __future__ import annotations

import pytest

from ettervern.access.models import AuditEvent
from ettervern.beds import services
from ettervern.beds.capacity import FullyBooked
from ettervern.beds.models import Agreement, BedNight, Booking
from ettervern.core.errors import DomainError, Forbidden, InvalidInput, NotFound, RuleViolation
from ettervern.pathways.models import Stay
from tests.beds.conftest import day, make_programme
from tests.pathways.helpers import act


@pytest.fixture(autouse=True)
def _in_norwegian():  # type: ignore[no-untyped-def]
    """The messages are matched as a Norwegian user reads them."""
    from django.utils import translation

    with translation.override("nb"):
        yield


def _book(who, agreement, arrival, departure, **kw):  # type: ignore[no-untyped-def]
    return services.booking_create(actor=act(who), agreement=agreement, arrival=arrival,
                                   departure=departure, **kw)


def _nothing_stored(before: int) -> None:
    assert Booking.objects.count() == before


def test_patient_books_and_cancels(accepted, patient_user):  # type: ignore[no-untyped-def]
    booking = _book(patient_user, accepted, day(3), day(6))
    assert booking.status == Booking.Status.BOOKED and booking.days == 3
    assert sorted(BedNight.objects.filter(booked=1).values_list("night", flat=True)) == [
        day(3), day(4), day(5)]
    services.booking_cancel(actor=act(patient_user), booking=booking)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert not BedNight.objects.filter(booked__gt=0).exists()


@pytest.mark.parametrize(("arrival", "departure", "error", "words"), [
    (-1, 2, InvalidInput, "har passert"),                 # in the past
    (70, 72, InvalidInput, "høyst 60 dager fram"),  # beyond the horizon
    (3, 9, InvalidInput, "høyst 5 døgn"),           # longer than allowed
    (3, 3, InvalidInput, "etter ankomsten"),        # departure not after arrival
])
def test_rules_on_the_dates(accepted, patient_user, arrival, departure, error, words):  # type: ignore[no-untyped-def]
    with pytest.raises(error) as refused:
        _book(patient_user, accepted, day(arrival), day(departure))
    assert words in str(refused.value)
    _nothing_stored(0)


def test_shorter_than_the_programme_allows(bed_admin, bed_unit, pathway, bed_clinician,  # type: ignore[no-untyped-def]
                                           patient_user):
    programme = make_programme(bed_admin, bed_unit, min_stay_days=2)
    agreement = services.agreement_offer(
        actor=act(bed_clinician), national_id=pathway.patient.national_id, programme=programme,
        valid_from=day(0), valid_to=day(100), max_stays=2, max_days_per_stay=4)
    services.agreement_accept(actor=act(patient_user), agreement=agreement)
    with pytest.raises(InvalidInput, match="minst 2 døgn"):
        _book(patient_user, agreement, day(3), day(4))
    _nothing_stored(0)


def test_outside_the_agreement(pathway, programme, bed_clinician, patient_user):  # type: ignore[no-untyped-def]
    agreement = services.agreement_offer(
        actor=act(bed_clinician), national_id=pathway.patient.national_id, programme=programme,
        valid_from=day(10), valid_to=day(30), max_stays=2, max_days_per_stay=5)
    services.agreement_accept(actor=act(patient_user), agreement=agreement)
    for arrival, departure in ((day(5), day(8)), (day(28), day(32))):
        with pytest.raises(RuleViolation, match="oppholdet må ligge innenfor"):
            _book(patient_user, agreement, arrival, departure)
    _nothing_stored(0)


def test_more_stays_than_allowed(accepted, patient_user):  # type: ignore[no-untyped-def]
    for start in (1, 20, 40):
        _book(patient_user, accepted, day(start), day(start + 2))
    with pytest.raises(RuleViolation, match="gir 3 opphold"):
        _book(patient_user, accepted, day(58), day(60))
    _nothing_stored(3)


def test_days_between_stays_and_overlap(accepted, patient_user):  # type: ignore[no-untyped-def]
    _book(patient_user, accepted, day(20), day(23))
    with pytest.raises(RuleViolation, match="allerede et opphold bestilt"):
        _book(patient_user, accepted, day(22), day(25))
    with pytest.raises(RuleViolation, match="minst 14 dager mellom"):
        _book(patient_user, accepted, day(30), day(32))
    with pytest.raises(RuleViolation, match="minst 14 dager mellom"):
        _book(patient_user, accepted, day(3), day(8))
    _nothing_stored(1)
    _book(patient_user, accepted, day(37), day(39))  # 14 days after the departure


def test_not_accepted(agreement, patient_user):  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation, match="må godtas"):
        _book(patient_user, agreement, day(2), day(4))
    _nothing_stored(0)


def test_a_unit_the_agreement_is_not_for(accepted, patient_user, residential_unit):  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation, match="er med Brukerstyrt"):
        _book(patient_user, accepted, day(2), day(4), unit=residential_unit.public_id)
    _nothing_stored(0)


def test_only_the_patient_and_the_units_staff_book(accepted, coordinator, outsider,  # type: ignore[no-untyped-def]
                                                   bed_clinician, kin_user):
    with pytest.raises(Forbidden):
        _book(coordinator, accepted, day(2), day(4))
    for who in (outsider, kin_user):
        with pytest.raises(NotFound):
            _book(who, accepted, day(2), day(4))
    _nothing_stored(0)
    assert AuditEvent.objects.filter(action="bed.book", outcome="denied").count() == 3
    _book(bed_clinician, accepted, day(2), day(4))


def test_fully_booked_on_a_night(bed_admin, bed_unit, pathway, bed_clinician,  # type: ignore[no-untyped-def]
                                 patient_user):
    programme = make_programme(bed_admin, bed_unit, beds=1)
    from tests import factories

    other = factories.open_pathway()
    theirs = services.agreement_offer(
        actor=act(bed_clinician), national_id=other.patient.national_id, programme=programme,
        valid_from=day(0), valid_to=day(100), max_stays=2, max_days_per_stay=5)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="annen_pasient", password=None)
    other.patient.user = user
    other.patient.save(update_fields=["user"])
    services.agreement_accept(actor=act(user), agreement=theirs)
    _book(user, theirs, day(5), day(7))
    mine = services.agreement_offer(
        actor=act(bed_clinician), national_id=pathway.patient.national_id, programme=programme,
        valid_from=day(0), valid_to=day(100), max_stays=2, max_days_per_stay=5)
    services.agreement_accept(actor=act(patient_user), agreement=mine)
    with pytest.raises(FullyBooked, match="Fullt"):
        _book(patient_user, mine, day(3), day(6))
    _nothing_stored(1)
    assert not BedNight.objects.filter(programme=programme, night=day(3), booked__gt=0).exists()


def test_arrival_makes_a_user_controlled_stay(accepted, patient_user, bed_clinician, pathway):  # type: ignore[no-untyped-def]
    booking = _book(patient_user, accepted, day(0), day(3))
    phase = pathway.phase
    services.booking_arrive(actor=act(bed_clinician), booking=booking)
    stay = Stay.objects.get(pathway=pathway, kind=Stay.Kind.USER_CONTROLLED)
    assert stay.status == Stay.Status.ONGOING and stay.planned_end == day(3)
    pathway.refresh_from_db()
    assert pathway.phase == phase
    assert pathway.events.filter(kind="stay.user_controlled_started").exists()
    booking.refresh_from_db()
    services.booking_depart(actor=act(bed_clinician), booking=booking)
    stay.refresh_from_db()
    assert stay.status == Stay.Status.DISCHARGED
    from ettervern.pathways.events import SENTENCES, render

    events = list(pathway.events.filter(kind__in=[
        "beds.agreement_made", "stay.user_controlled_started", "stay.user_controlled_ended"]))
    assert {e.kind for e in events} == {"beds.agreement_made", "stay.user_controlled_started",
                                        "stay.user_controlled_ended"}
    assert all(e.kind in SENTENCES and render(e) != e.kind for e in events)
    # The nights after an early departure are free again.
    assert BedNight.objects.get(night=day(1)).booked == 0


def test_the_unit_refuses_with_a_reason(accepted, patient_user, bed_clinician):  # type: ignore[no-untyped-def]
    booking = _book(patient_user, accepted, day(2), day(4))
    with pytest.raises(InvalidInput):
        services.booking_refuse(actor=act(bed_clinician), booking=booking, reason="")
    with pytest.raises(DomainError):
        services.booking_refuse(actor=act(patient_user), booking=booking, reason="safety")
    services.booking_refuse(actor=act(bed_clinician), booking=booking, reason="safety")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REFUSED
    # The care team reads it on the pathway's timeline (with the unit's reason, staff only).
    from ettervern.pathways.events import render

    refused = accepted.pathway.events.get(kind="beds.refused")
    assert "Sikkerheten i enheten" in render(refused) and "avvist av enheten" in render(refused)
    assert not BedNight.objects.filter(booked__gt=0).exists()


def test_agreement_with_any_trust_by_national_id(agreement, pathway, bed_unit):  # type: ignore[no-untyped-def]
    assert agreement.pathway == pathway
    assert bed_unit.organisation != pathway.coordinating_unit.organisation
    assert Agreement.objects.get().accepted_at is None


def test_the_coordinator_may_make_one_a_stranger_may_not(pathway, programme, coordinator,  # type: ignore[no-untyped-def]
                                                         outsider):
    services.agreement_create(actor=act(coordinator), pathway=pathway, programme=programme,
                              valid_from=day(0), valid_to=day(50), max_stays=1,
                              max_days_per_stay=5)
    # By national id only the unit's own staff: anyone else is refused before the number is
    # looked up.
    with pytest.raises(Forbidden):
        services.agreement_offer(actor=act(outsider), national_id=pathway.patient.national_id,
                                  programme=programme, valid_from=day(60), valid_to=day(90),
                                  max_stays=1, max_days_per_stay=5)
    assert Agreement.objects.count() == 1


def test_capacity_cannot_drop_below_what_is_booked(accepted, patient_user, bed_admin):  # type: ignore[no-untyped-def]
    _book(patient_user, accepted, day(2), day(4))
    with pytest.raises(RuleViolation, match="har allerede 1 bestilt"):
        services.capacity_set(actor=act(bed_admin), programme=accepted.programme,
                              valid_from=day(1), beds=0)
    services.capacity_set(actor=act(bed_admin), programme=accepted.programme, valid_from=day(5),
                          beds=0)
    assert BedNight.objects.get(night=day(2)).capacity == 2


def test_not_while_admitted_elsewhere(accepted, patient_user, pathway, coordinator,  # type: ignore[no-untyped-def]
                                      residential_unit):
    from tests.pathways.helpers import plan_stay

    plan_stay(pathway, coordinator, residential_unit, day(10), day(30))
    with pytest.raises(RuleViolation, match="fra .* til"):
        _book(patient_user, accepted, day(28), day(31))
    _nothing_stored(0)
    _book(patient_user, accepted, day(30), day(32))  # from the day of discharge


def test_the_units_staff_do_not_reach_the_pathway_through_the_stay(accepted, patient_user,  # type: ignore[no-untyped-def]
                                                                    bed_clinician, pathway):
    from ettervern.pathways.selectors import pathway_get, pathway_worklist

    booking = _book(patient_user, accepted, day(0), day(2))
    services.booking_arrive(actor=act(bed_clinician), booking=booking)
    with pytest.raises(NotFound):
        pathway_get(actor=act(bed_clinician), public_id=pathway.public_id)
    assert pathway_worklist(actor=act(bed_clinician), scope="unit").rows == []


def test_an_offer_by_national_id_tells_the_unit_nothing(pathway, programme, bed_clinician):  # type: ignore[no-untyped-def]
    """Whether the number has a pathway, or a rule of the patient's refuses, the unit gets the
    same answer; it sees the agreement only once the patient has accepted it."""
    from ettervern.beds.selectors import unit_agreements
    from tests import factories

    terms = {"programme": programme, "valid_from": day(0), "valid_to": day(90),
             "max_stays": 2, "max_days_per_stay": 5}
    unknown = services.agreement_offer(actor=act(bed_clinician),
                                       national_id=factories.national_id(), **terms)
    known = services.agreement_offer(actor=act(bed_clinician),
                                     national_id=pathway.patient.national_id, **terms)
    again = services.agreement_offer(actor=act(bed_clinician),  # overlaps: refused, silently
                                     national_id=pathway.patient.national_id, **terms)
    assert unknown is None and again is None and known is not None
    assert AuditEvent.objects.filter(action="bedagreement.manage", outcome="denied",
                                     basis="no open pathway").count() == 1
    assert list(unit_agreements(actor=act(bed_clinician), unit=programme.unit)) == []
    with pytest.raises(NotFound):  # not yet the unit's to read
        from ettervern.beds.selectors import agreement_get

        agreement_get(actor=act(bed_clinician), public_id=known.public_id)
    with pytest.raises(InvalidInput):  # what is wrong with the terms alone is said at once
        services.agreement_offer(actor=act(bed_clinician), national_id="123",
                                 **{**terms, "max_days_per_stay": 9})


def test_the_patient_hears_when_the_unit_cancels_or_turns_a_stay_down(  # type: ignore[no-untyped-def]
        accepted, patient_user, bed_clinician):
    from ettervern.messaging.models import Notification

    mine = _book(patient_user, accepted, day(2), day(4))
    services.booking_cancel(actor=act(patient_user), booking=mine)
    assert not Notification.objects.exists()  # the patient's own cancellation
    theirs = _book(patient_user, accepted, day(2), day(4))
    services.booking_cancel(actor=act(bed_clinician), booking=theirs)
    refused = _book(patient_user, accepted, day(2), day(4))
    services.booking_refuse(actor=act(bed_clinician), booking=refused, reason="safety")
    told = list(Notification.objects.filter(user=patient_user).order_by("id"))
    assert [n.kind for n in told] == ["beds", "beds"]
    assert "har avbestilt oppholdet ditt" in told[0].text
    assert "kunne ikke ta imot deg" in told[1].text
    assert all(n.link == "/meg/brukerstyrt/" for n in told)
