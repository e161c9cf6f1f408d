"""The demo's user-controlled beds: published programmes at units in every region, the
pasient's accepted agreement at a unit of another trust than the ones that coordinate and
treat them (with a stay already used), and other patients' bookings at that unit, so that its
day list has an arrival, a stay and a departure today, and its usage has a year of figures.

Bookings take their nights through beds.capacity, as the services do, so that the nights'
counts agree with the bookings."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from ettervern.beds import capacity
from ettervern.beds.models import Agreement, Booking, CapacityChange, Programme, TargetGroup
from ettervern.directory.models import Staff, Unit
from ettervern.pathways.models import Pathway, Stay
from ettervern.pathways.phases import Phase

_TEXTS = {
    "prerequisites": "Gyldig avtale og oppdatert kriseplan. Du kommer rusfri og ringer eller "
                     "bestiller i Ettervern før du kommer.",
    "content": "Hvile, trygghet og struktur: faste måltider, samtale med primærkontakt, "
               "aktivitet ute. Oppholdet brukes til å komme i balanse igjen før det blir en "
               "krise.",
}


def _programme(unit: Unit, *, beds: int, groups: list[str], since: dt.date,
               gender_separated: bool = False, phone: str = "") -> Programme:
    programme, _created = Programme.objects.update_or_create(unit=unit, defaults={
        "gender_separated": gender_separated, "min_stay_days": 1, "max_stay_days": 5,
        "min_days_between": 14, "book_ahead_days": 60, "min_notice_days": 0,
        "offer_after_discharge_days": 365, "standard_agreement_days": 182,
        "contact_phone": phone or "67 96 00 00", "contact_note": "Ring døgnet rundt.",
        "published": True, **_TEXTS})
    programme.target_groups.set(TargetGroup.objects.filter(code__in=groups))
    CapacityChange.objects.get_or_create(programme=programme, valid_from=since,
                                         defaults={"beds": beds})
    return programme


def _booking(agreement: Agreement, arrival: dt.date, departure: dt.date, status: str, *,
             by: Any, reason: str = "", today: dt.date) -> Booking:
    """A booking as the services leave it: its nights taken (and given back when it was
    cancelled or refused), a user-controlled stay when the patient arrived."""
    programme = agreement.programme
    with transaction.atomic():
        capacity.take(programme, arrival, departure)
        booking = Booking.objects.create(agreement=agreement, programme=programme,
                                         patient_id=agreement.patient_id, arrival=arrival,
                                         departure=departure, booked_by=by, status=status,
                                         refusal_reason=reason)
        if status in (Booking.Status.CANCELLED, Booking.Status.REFUSED):
            capacity.give_back(programme, arrival, departure)
            booking.cancelled_at = timezone.now() if status == Booking.Status.CANCELLED else None
        if status in (Booking.Status.ARRIVED, Booking.Status.DEPARTED):
            departed = status == Booking.Status.DEPARTED
            booking.stay = Stay.objects.create(
                pathway_id=agreement.pathway_id, unit=programme.unit,
                kind=Stay.Kind.USER_CONTROLLED,
                status=Stay.Status.DISCHARGED if departed else Stay.Status.ONGOING,
                planned_start=arrival, planned_end=departure, admitted_on=arrival,
                discharged_on=departure if departed else None)
            booking.departed_on = departure if departed else None
        booking.save()
    return booking


def demo_beds(*, pasient_pathway: Pathway, pasient_user: Any, bed_unit: Unit,
              other_units: list[Unit], bed_staff: Staff, today: dt.date,
              rng: random.Random) -> None:
    """Programmes at `bed_unit` and `other_units`; the pasient's agreement at `bed_unit`."""
    if Programme.objects.filter(unit=bed_unit).exists():
        return
    since = today - dt.timedelta(days=400)
    home = _programme(bed_unit, beds=3, groups=["voksne", "unge-voksne", "lar"], since=since)
    for n, unit in enumerate(other_units):
        _programme(unit, beds=2 + n % 3, since=since, gender_separated=n % 2 == 1,
                   groups=[["voksne"], ["kvinner"], ["voksne", "samtidig-psykisk-lidelse"],
                           ["unge-voksne"]][n % 4], phone=f"7{n} 00 00 00")
    days = dt.timedelta
    agreement = Agreement.objects.create(
        pathway=pasient_pathway, patient_id=pasient_pathway.patient_id, programme=home,
        valid_from=today - days(50), valid_to=today + days(132), max_stays=4,
        max_days_per_stay=5, created_by=bed_staff.user,
        conditions="Ring avdelingen før kl. 12 dagen du kommer, eller bestill her. "
                   "Ta med medisinene dine.",
        accepted_at=timezone.now() - days(49))
    # The stay already used, between the two residential stays.
    _booking(agreement, today - days(44), today - days(41), Booking.Status.DEPARTED,
             by=pasient_user, today=today)
    _others(home, bed_staff, today, rng)


def _others(programme: Programme, staff: Staff, today: dt.date, rng: random.Random) -> None:
    """Other patients in aftercare with agreements at the unit: today's arrival, a stay and a
    departure, a booking ahead, and a year of used, cancelled and refused stays."""
    days = dt.timedelta
    candidates = list(Pathway.objects.filter(phase=Phase.AFTERCARE, closed_at__isnull=True)
                      .exclude(stays__status=Stay.Status.ONGOING)
                      .exclude(patient__user__isnull=False).order_by("id")[:8])
    today_plans: list[list[tuple[int, int, str, str]]] = [
        [(0, 3, Booking.Status.BOOKED, "")],                      # arrives today
        [(-2, 2, Booking.Status.ARRIVED, "")],                    # staying
        [(-3, 0, Booking.Status.ARRIVED, "")],                    # leaves today
        [(9, 13, Booking.Status.BOOKED, "")],                     # ahead
    ]
    past: list[tuple[str, str]] = [
        (Booking.Status.DEPARTED, ""), (Booking.Status.DEPARTED, ""),
        (Booking.Status.CANCELLED, ""), (Booking.Status.REFUSED, Booking.RefusalReason.HEALTH),
        (Booking.Status.DEPARTED, ""), (Booking.Status.REFUSED, Booking.RefusalReason.NO_SHOW),
    ]
    for n, pathway in enumerate(candidates):
        agreement = Agreement.objects.create(
            pathway=pathway, patient_id=pathway.patient_id, programme=programme,
            valid_from=today - days(330 - 20 * n), valid_to=today + days(40 + 10 * n),
            max_stays=6, max_days_per_stay=5, created_by=staff.user,
            accepted_at=timezone.now() - days(329 - 20 * n))
        Agreement.objects.filter(pk=agreement.pk).update(
            created_at=timezone.now() - days(330 - 20 * n))
        user = staff.user
        for start, end, status, reason in (today_plans[n] if n < len(today_plans) else []):
            _booking(agreement, today + days(start), today + days(end), status, by=user,
                     reason=reason, today=today)
        # Earlier stays, a few weeks apart, in the agreement's first months.
        first = agreement.valid_from + days(rng.randint(3, 20))
        for m in range(rng.randint(1, 3)):
            arrival = first + days(40 * m)
            if arrival + days(5) >= today - days(20):
                break
            status, reason = past[(n + m) % len(past)]
            _booking(agreement, arrival, arrival + days(rng.randint(2, 5)), status, by=user,
                     reason=reason, today=today)
