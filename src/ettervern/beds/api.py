"""User-controlled beds, as endpoints (mounted by api.api): the published programmes and the
search across the country, a unit's programme and capacity, the agreements and the stays
booked under them, the unit's day list, its agreements and its usage.

Each endpoint parses input, builds the Actor, calls the one selector or service the pages call
too, and renders; access, audit and every rule live there. Ids a body names (the programme,
the unit) go to the service as they are: it resolves them after the access check. A write on
an agreement or a booking looks it up without reading it (`*_lookup`), so that the service's
check is the one audited decision.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from ettervern.access.consent_kinds import BEDS_VIEW
from ettervern.access.policy import actor_from_request
from ettervern.api.schemas import (
    ERRORS,
    Blankable,
    In,
    PageNumber,
    PageOut,
    PageQuery,
    Text,
    page_fields,
)
from ettervern.beds import selectors, services
from ettervern.beds.models import (
    NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Agreement,
    Booking,
    Programme,
)
from ettervern.beds.services import OFFERED
from ettervern.core import clock
from ettervern.directory.api import UnitRef, unit_ref
from ettervern.directory.models import Region, Unit
from ettervern.pathways.selectors import pathway_lookup
from ettervern.rights.services import patient_of

router = Router(tags=["beds"])
PAGE_SIZE = 50
# The search's period when none is given: two weeks from today.
SEARCH_DEFAULT_NIGHTS = 14


# --- schemas -----------------------------------------------------------------------------------

class TargetGroupOut(Schema):
    code: str
    name: str


class CapacityChangeOut(Schema):
    valid_from: dt.date
    beds: int = Field(description="Beds per night from this day on, until the next change")


class ProgrammeItem(Schema):
    id: uuid.UUID
    unit: UnitRef
    organisation: str
    region: str
    target_groups: list[TargetGroupOut]
    gender_separated: bool
    min_stay_days: int
    max_stay_days: int
    published: bool
    url: str = Field(description="This programme in the API")
    page_url: str = Field(description="This programme's page")


class ProgrammeOut(ProgrammeItem):
    prerequisites: str
    content: str
    min_days_between: int
    book_ahead_days: int
    min_notice_days: int
    offer_after_discharge_days: int
    standard_agreement_days: int
    contact_phone: str
    contact_email: str
    contact_note: str
    version: int
    beds_now: int = Field(description="Beds set aside tonight")
    capacity_changes: list[CapacityChangeOut] = Field(description="The schedule, oldest first")


class ProgrammePage(PageOut):
    items: list[ProgrammeItem]


def _defaults(name: str) -> Any:
    field = Programme._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field.get_default()


class ProgrammeIn(In):
    """The whole programme: fields left out take their defaults."""

    version: int = Field(ge=0, description="The version read; 0 when the unit has no programme "
                                           "yet")
    target_groups: list[Annotated[Text, Field(max_length=32)]] = Field(
        default_factory=list, max_length=20, description="Target group codes")
    gender_separated: bool = False
    prerequisites: Text = Field(default="", max_length=TEXT_MAX_LENGTH)
    content: Text = Field(default="", max_length=TEXT_MAX_LENGTH)
    min_stay_days: int = _defaults("min_stay_days")
    max_stay_days: int = _defaults("max_stay_days")
    min_days_between: int = _defaults("min_days_between")
    book_ahead_days: int = _defaults("book_ahead_days")
    min_notice_days: int = _defaults("min_notice_days")
    offer_after_discharge_days: int = _defaults("offer_after_discharge_days")
    standard_agreement_days: int = _defaults("standard_agreement_days")
    contact_phone: Text = Field(default="", max_length=30)
    contact_email: Text = Field(default="", max_length=254)
    contact_note: Text = Field(default="", max_length=NOTE_MAX_LENGTH)
    published: bool = False


class CapacityIn(In):
    valid_from: dt.date = Field(description="From this day on (today or later)")
    beds: int = Field(description="Beds per night, until the next change")


class SearchQuery(Schema):
    first: Annotated[dt.date | None, Blankable] = Field(
        default=None, description="The first night; default today")
    until: Annotated[dt.date | None, Blankable] = Field(
        default=None, description="The morning after the last night; default two weeks on")
    region: Annotated[Region | None, Blankable] = None
    trust: Annotated[uuid.UUID | None, Blankable] = Field(
        default=None, description="The hospital trust (organisation id)")
    target_group: Text = Field(default="", max_length=32, description="A target group code")
    gender_separated: Annotated[bool | None, Blankable] = Field(
        default=None, description="true: only gender-separated programmes")
    page: PageNumber = 1


class SearchRowOut(Schema):
    programme_id: uuid.UUID
    unit: str
    organisation: str
    region: str
    gender_separated: bool
    free_nights: int = Field(description="Nights of the period with at least one free bed")
    free_beds: int = Field(description="Free bed-nights in the period")
    first_free: dt.date | None
    url: str = Field(description="The programme in the API")
    page_url: str = Field(description="The programme's page")


class SearchPage(PageOut):
    first: dt.date
    until: dt.date
    items: list[SearchRowOut]


class ProgrammeRef(Schema):
    id: uuid.UUID
    unit: UnitRef
    organisation: str


class BookingOut(Schema):
    id: uuid.UUID
    agreement_id: uuid.UUID
    unit: UnitRef
    patient_name: str
    arrival: dt.date
    departure: dt.date = Field(description="The day the patient leaves (not a night booked)")
    days: int
    status: str
    status_label: str
    refusal_reason: str
    refusal_reason_label: str
    note: str
    cancelled_at: dt.datetime | None
    departed_on: dt.date | None
    version: int


class AgreementOut(Schema):
    id: uuid.UUID
    pathway_id: uuid.UUID
    patient_name: str
    programme: ProgrammeRef
    valid_from: dt.date
    valid_to: dt.date
    max_stays: int
    max_days_per_stay: int
    conditions: str
    in_crisis_plan: bool
    accepted_at: dt.datetime | None = Field(description="null until the patient accepts it")
    stays_used: int = Field(description="Stays booked or used (not cancelled or refused)")
    created_at: dt.datetime
    version: int
    bookings: list[BookingOut]


class AgreementPage(PageOut):
    items: list[AgreementOut]


class AgreementIn(In):
    programme_id: uuid.UUID = Field(description="A published programme")
    valid_from: dt.date
    valid_to: dt.date
    max_stays: int
    max_days_per_stay: int
    conditions: Text = Field(default="", max_length=TEXT_MAX_LENGTH)
    in_crisis_plan: bool = Field(default=True, description="Shown in the crisis plan")


class AgreementByNationalIdIn(AgreementIn):
    national_id: Text = Field(max_length=20, description="The patient's fødselsnummer or "
                                                         "D-nummer")


class NightOut(Schema):
    night: dt.date
    free: int = Field(description="Free beds that night")


class FreeNightsOut(Schema):
    agreement_id: uuid.UUID
    first_arrival: dt.date = Field(description="The earliest arrival that can be booked now")
    last_arrival: dt.date = Field(description="The latest arrival that can be booked now")
    nights: list[NightOut] = Field(description="Each night from the first to the last arrival")


class BookingIn(In):
    arrival: dt.date
    departure: dt.date
    unit_id: uuid.UUID | None = Field(default=None, description="Optional: the unit, which must "
                                                                "be the agreement's")


class NoteIn(In):
    note: Text = Field(default="", max_length=NOTE_MAX_LENGTH)


class RefuseIn(In):
    reason: Booking.RefusalReason
    note: Text = Field(default="", max_length=NOTE_MAX_LENGTH)


class DayQuery(Schema):
    day: Annotated[dt.date | None, Blankable] = Field(default=None,
                                                      description="Default today")


class DayListOut(Schema):
    unit: UnitRef
    day: dt.date
    capacity: int
    booked: int
    arrivals: list[BookingOut]
    staying: list[BookingOut]
    departures: list[BookingOut]


class RefusalCount(Schema):
    reason: str
    label: str
    count: int


class MonthOut(Schema):
    month: dt.date = Field(description="The first day of the month")
    agreements: int = Field(description="Agreements made")
    bookings: int = Field(description="Stays booked, by arrival (not cancelled or refused)")
    nights_used: int
    cancellations: int
    refusals: list[RefusalCount]


class UsageQuery(Schema):
    year: Annotated[int | None, Blankable] = Field(default=None,
                                                   description="Default this year")


class UsageOut(Schema):
    unit: UnitRef
    year: int
    months: list[MonthOut]


# --- answers -----------------------------------------------------------------------------------

def _links(public_id: uuid.UUID) -> dict[str, str]:
    return {"url": reverse("api:bed_programme", kwargs={"id": public_id}),
            "page_url": reverse("beds:programme", kwargs={"public_id": public_id})}


def _item_fields(programme: Programme) -> dict[str, Any]:
    unit = programme.unit
    return {"id": programme.public_id, "unit": unit_ref(unit),
            "organisation": unit.organisation.name, "region": unit.organisation.region,
            "target_groups": [TargetGroupOut(code=g.code, name=g.name)
                              for g in programme.target_groups.all()],
            "gender_separated": programme.gender_separated,
            "min_stay_days": programme.min_stay_days, "max_stay_days": programme.max_stay_days,
            "published": programme.published, **_links(programme.public_id)}


def programme_item(programme: Programme) -> ProgrammeItem:
    return ProgrammeItem(**_item_fields(programme))


def programme_out(programme: Programme) -> ProgrammeOut:
    return ProgrammeOut(
        **_item_fields(programme), prerequisites=programme.prerequisites,
        content=programme.content, min_days_between=programme.min_days_between,
        book_ahead_days=programme.book_ahead_days, min_notice_days=programme.min_notice_days,
        offer_after_discharge_days=programme.offer_after_discharge_days,
        standard_agreement_days=programme.standard_agreement_days,
        contact_phone=programme.contact_phone, contact_email=programme.contact_email,
        contact_note=programme.contact_note, version=programme.version,
        beds_now=selectors.capacity_now(programme),
        capacity_changes=[CapacityChangeOut(valid_from=c.valid_from, beds=c.beds)
                          for c in selectors.capacity_changes(programme)])


def booking_out(booking: Booking, *, unit: Unit, patient_name: str) -> BookingOut:
    """`unit` and `patient_name` as the caller has read them already."""
    return BookingOut(
        id=booking.public_id, agreement_id=booking.agreement.public_id, unit=unit_ref(unit),
        patient_name=patient_name, arrival=booking.arrival, departure=booking.departure,
        days=booking.days, status=booking.status,
        status_label=str(booking.get_status_display()), refusal_reason=booking.refusal_reason,
        refusal_reason_label=str(booking.get_refusal_reason_display())
        if booking.refusal_reason else "",
        note=booking.note, cancelled_at=booking.cancelled_at, departed_on=booking.departed_on,
        version=booking.version)


def _changed(done: Booking, read: Booking) -> BookingOut:
    """A booking as a service left it, named as the lookup read it."""
    return booking_out(done, unit=read.programme.unit, patient_name=read.patient.full_name)


def agreement_out(agreement: Agreement) -> AgreementOut:
    bookings = list(agreement.bookings.all())
    unit = agreement.programme.unit
    return AgreementOut(
        id=agreement.public_id, pathway_id=agreement.pathway.public_id,
        patient_name=agreement.patient.full_name,
        programme=ProgrammeRef(id=agreement.programme.public_id, unit=unit_ref(unit),
                               organisation=unit.organisation.name),
        valid_from=agreement.valid_from, valid_to=agreement.valid_to,
        max_stays=agreement.max_stays, max_days_per_stay=agreement.max_days_per_stay,
        conditions=agreement.conditions, in_crisis_plan=agreement.in_crisis_plan,
        accepted_at=agreement.accepted_at, stays_used=sum(1 for b in bookings if b.is_active),
        created_at=agreement.created_at, version=agreement.version,
        bookings=[booking_out(b, unit=unit, patient_name=agreement.patient.full_name)
                  for b in bookings])


def _agreement_page(agreements: Any, page: int) -> AgreementPage:
    found = Paginator(agreements, PAGE_SIZE).get_page(page)
    return AgreementPage(items=[agreement_out(a) for a in found.object_list],
                         **page_fields(found))


# --- programmes and the search (no patient data; staff only) -----------------------------------

@router.get("/bed-programmes", response={200: ProgrammePage, **ERRORS},
            summary="Published programmes")
def bed_programmes(request: HttpRequest, params: Query[PageQuery]) -> ProgrammePage:
    """Every published programme for user-controlled beds, by region and unit. For staff."""
    found = Paginator(selectors.programme_list(actor=actor_from_request(request, "api")),
                      PAGE_SIZE).get_page(params.page)
    return ProgrammePage(items=[programme_item(p) for p in found.object_list],
                         **page_fields(found))


@router.get("/bed-programmes/search", response={200: SearchPage, **ERRORS},
            summary="Free user-controlled beds across the country")
def search_bed_programmes(request: HttpRequest, filters: Query[SearchQuery]) -> SearchPage:
    """Free capacity per published programme for the nights `first` … `until` − 1 (at most
    62), most free nights first; each row links to its programme. For staff."""
    first = filters.first or clock.today()
    until = filters.until or first + dt.timedelta(days=SEARCH_DEFAULT_NIGHTS)
    rows = selectors.search(
        actor=actor_from_request(request, "api"), first=first, until=until,
        region=filters.region or "", trust=filters.trust, target_group=filters.target_group,
        gender_separated=bool(filters.gender_separated))
    found = Paginator(rows, PAGE_SIZE).get_page(filters.page)
    return SearchPage(
        first=first, until=until, **page_fields(found),
        items=[SearchRowOut(programme_id=uuid.UUID(r.programme_id), unit=r.unit,
                            organisation=r.organisation, region=r.region,
                            gender_separated=r.gender_separated, free_nights=r.free_nights,
                            free_beds=r.free_beds, first_free=r.first_free,
                            **_links(uuid.UUID(r.programme_id)))
               for r in found.object_list])


@router.get("/bed-programmes/{id}", response={200: ProgrammeOut, **ERRORS},
            summary="A programme")
def bed_programme(request: HttpRequest, id: uuid.UUID) -> ProgrammeOut:
    """A published programme (an unpublished one for its own unit's staff), with its capacity
    schedule. For staff."""
    return programme_out(selectors.programme_get(actor=actor_from_request(request, "api"),
                                                 public_id=id))


@router.put("/units/{unit_id}/bed-programme", response={200: ProgrammeOut, **ERRORS},
            summary="Create or change a unit's programme")
def save_bed_programme(request: HttpRequest, unit_id: uuid.UUID,
                       payload: ProgrammeIn) -> ProgrammeOut:
    """The residential unit's administrator keeps its programme: the whole programme, against
    the `version` read (0 creates it). A stale version is 409 and changes nothing."""
    unit = selectors.unit_by_public_id(unit_id)
    fields = payload.model_dump(exclude={"version", "target_groups"})
    services.programme_save(actor=actor_from_request(request, "api"), unit=unit, fields=fields,
                            target_groups=payload.target_groups,
                            expected_version=payload.version)
    programme = selectors.programme_of(unit)
    assert programme is not None
    return programme_out(programme)


@router.post("/bed-programmes/{id}/capacity", response={200: ProgrammeOut, **ERRORS},
             summary="Change the capacity")
def set_bed_capacity(request: HttpRequest, id: uuid.UUID, payload: CapacityIn) -> ProgrammeOut:
    """From `valid_from` on (until the next change), `beds` beds per night. Refused (409) when
    a night already holds more bookings. The unit's administrator only."""
    actor = actor_from_request(request, "api")
    programme = selectors.programme_get(actor=actor, public_id=id)
    services.capacity_set(actor=actor, programme=programme, valid_from=payload.valid_from,
                          beds=payload.beds)
    return programme_out(programme)


# --- agreements ------------------------------------------------------------------------------

@router.get("/pathways/{id}/bed-agreements", response={200: AgreementPage, **ERRORS},
            summary="A pathway's bed agreements")
def pathway_bed_agreements(request: HttpRequest, id: uuid.UUID,
                           params: Query[PageQuery]) -> AgreementPage:
    """The agreements and their bookings, newest first: for the patient, the care team, and a
    next of kin with the patient's consent to see them."""
    _pathway, agreements = selectors.pathway_agreements(
        actor=actor_from_request(request, "api"), public_id=id)
    return _agreement_page(agreements, params.page)


@router.post("/pathways/{id}/bed-agreements", response={201: AgreementOut, **ERRORS},
             summary="Make an agreement on the pathway")
def create_pathway_bed_agreement(request: HttpRequest, id: uuid.UUID,
                                 payload: AgreementIn) -> Status[AgreementOut]:
    """By those who plan the pathway's stays, with a unit of any trust. The patient accepts it
    before the first booking."""
    return Status(201, _created(request, payload, pathway=pathway_lookup(id)))


class OfferOut(Schema):
    status: str = Field(description="Always `offered`: whether the number has a pathway is "
                                    "not told")
    message: str


@router.post("/bed-agreements", response={202: OfferOut, **ERRORS},
             summary="Offer an agreement to a patient")
def create_bed_agreement(request: HttpRequest,
                         payload: AgreementByNationalIdIn) -> Status[OfferOut]:
    """By the staff of the programme's unit, with the patient's national identity number. The
    answer is the same whether or not the number has an open pathway: the agreement waits on
    the patient's own page, and the unit sees it once the patient has accepted it. Input that
    is wrong for the programme alone (dates, limits, the number's check digits) is refused
    at once."""
    services.agreement_offer(
        actor=actor_from_request(request, "api"), programme=payload.programme_id,
        national_id=payload.national_id, valid_from=payload.valid_from,
        valid_to=payload.valid_to, max_stays=payload.max_stays,
        max_days_per_stay=payload.max_days_per_stay, conditions=payload.conditions,
        in_crisis_plan=payload.in_crisis_plan)
    return Status(202, OfferOut(status="offered", message=str(OFFERED)))


def _created(request: HttpRequest, payload: AgreementIn, **whose: Any) -> AgreementOut:
    made = services.agreement_create(
        actor=actor_from_request(request, "api"), programme=payload.programme_id,
        valid_from=payload.valid_from, valid_to=payload.valid_to,
        max_stays=payload.max_stays, max_days_per_stay=payload.max_days_per_stay,
        conditions=payload.conditions, in_crisis_plan=payload.in_crisis_plan, **whose)
    return agreement_out(made)


@router.get("/me/bed-agreements", response={200: AgreementPage, **ERRORS},
            summary="My bed agreements")
def my_bed_agreements(request: HttpRequest, params: Query[PageQuery]) -> AgreementPage:
    """The signed-in patient's agreements and their bookings, newest first."""
    patient = patient_of(actor_from_request(request, "api"))
    return _agreement_page(selectors.own_agreements(patient), params.page)


@router.get("/bed-agreements/{id}", response={200: AgreementOut, **ERRORS},
            summary="An agreement")
def bed_agreement(request: HttpRequest, id: uuid.UUID) -> AgreementOut:
    """For the patient, the care team, a next of kin with consent, and the unit's staff."""
    return agreement_out(selectors.agreement_get(actor=actor_from_request(request, "api"),
                                                 public_id=id, action=BEDS_VIEW))


@router.post("/bed-agreements/{id}/accept", response={200: AgreementOut, **ERRORS},
             summary="Accept an agreement")
def accept_bed_agreement(request: HttpRequest, id: uuid.UUID) -> AgreementOut:
    """The patient only; from then on stays can be booked."""
    agreement = selectors.agreement_lookup(id)
    done = services.agreement_accept(actor=actor_from_request(request, "api"),
                                     agreement=agreement)
    agreement.accepted_at, agreement.version = done.accepted_at, done.version
    return agreement_out(agreement)


@router.get("/bed-agreements/{id}/free-nights", response={200: FreeNightsOut, **ERRORS},
            summary="Free nights to book")
def bed_free_nights(request: HttpRequest, id: uuid.UUID) -> FreeNightsOut:
    """The arrivals that can be chosen now (the unit's notice and horizon, within the
    agreement) and the free beds of each of those nights."""
    agreement = selectors.agreement_get(actor=actor_from_request(request, "api"), public_id=id,
                                        action=BEDS_VIEW)
    first, last = selectors.bookable_window(agreement)
    nights = selectors.free_nights(agreement.programme, first, last + dt.timedelta(days=1))
    return FreeNightsOut(agreement_id=agreement.public_id, first_arrival=first,
                         last_arrival=last,
                         nights=[NightOut(night=n.night, free=n.free) for n in nights])


@router.post("/bed-agreements/{id}/bookings", response={201: BookingOut, **ERRORS},
             summary="Book a stay")
def book_bed(request: HttpRequest, id: uuid.UUID, payload: BookingIn) -> Status[BookingOut]:
    """By the patient (or the unit's staff) under an accepted agreement. A rule that refuses
    stores nothing; a night without a free bed is 409 `fully_booked`."""
    agreement = selectors.agreement_lookup(id)
    booking = services.booking_create(actor=actor_from_request(request, "api"),
                                      agreement=agreement, arrival=payload.arrival,
                                      departure=payload.departure, unit=payload.unit_id)
    return Status(201, booking_out(booking, unit=agreement.programme.unit,
                                   patient_name=agreement.patient.full_name))


# --- a booked stay ---------------------------------------------------------------------------

@router.post("/bed-bookings/{id}/cancel", response={200: BookingOut, **ERRORS},
             summary="Cancel a stay")
def cancel_bed_booking(request: HttpRequest, id: uuid.UUID, payload: NoteIn) -> BookingOut:
    """By the patient or the unit's staff, before arrival; the nights are free at once."""
    booking = selectors.booking_lookup(id)
    return _changed(services.booking_cancel(actor=actor_from_request(request, "api"),
                                            booking=booking, note=payload.note), booking)


@router.post("/bed-bookings/{id}/arrive", response={200: BookingOut, **ERRORS},
             summary="Mark the arrival")
def arrive_bed_booking(request: HttpRequest, id: uuid.UUID) -> BookingOut:
    """The unit's staff, on a day of the stay: a user-controlled stay starts on the pathway."""
    booking = selectors.booking_lookup(id)
    return _changed(services.booking_arrive(actor=actor_from_request(request, "api"),
                                            booking=booking), booking)


@router.post("/bed-bookings/{id}/refuse", response={200: BookingOut, **ERRORS},
             summary="Turn a stay down")
def refuse_bed_booking(request: HttpRequest, id: uuid.UUID, payload: RefuseIn) -> BookingOut:
    """The unit's staff, with the reason (counted in the usage figures); the nights are free
    again."""
    booking = selectors.booking_lookup(id)
    return _changed(services.booking_refuse(actor=actor_from_request(request, "api"),
                                            booking=booking, reason=payload.reason,
                                            note=payload.note), booking)


@router.post("/bed-bookings/{id}/depart", response={200: BookingOut, **ERRORS},
             summary="Mark the departure")
def depart_bed_booking(request: HttpRequest, id: uuid.UUID) -> BookingOut:
    """The unit's staff, today: the stay on the pathway ends; nights left are free again."""
    booking = selectors.booking_lookup(id)
    return _changed(services.booking_depart(actor=actor_from_request(request, "api"),
                                            booking=booking), booking)


# --- the unit ----------------------------------------------------------------------------------

@router.get("/units/{id}/bed-day", response={200: DayListOut, **ERRORS},
            summary="The unit's day list")
def unit_bed_day(request: HttpRequest, id: uuid.UUID, filters: Query[DayQuery]) -> DayListOut:
    """Arrivals, stays and departures on `day`, for the unit's staff. Each patient named is
    an audited read."""
    unit = selectors.unit_by_public_id(id)
    day = selectors.unit_day(actor=actor_from_request(request, "api"), unit=unit,
                             day=filters.day or clock.today())

    def out(rows: list[Booking]) -> list[BookingOut]:
        return [booking_out(b, unit=unit, patient_name=b.patient.full_name) for b in rows]

    return DayListOut(unit=unit_ref(unit), day=day.day, capacity=day.capacity,
                      booked=day.booked, arrivals=out(day.arrivals), staying=out(day.staying),
                      departures=out(day.departures))


@router.get("/units/{id}/bed-agreements", response={200: AgreementPage, **ERRORS},
            summary="The unit's agreements")
def unit_bed_agreements(request: HttpRequest, id: uuid.UUID,
                        params: Query[PageQuery]) -> AgreementPage:
    """The agreements on open pathways with the unit, newest first, for the unit's staff.
    Each patient named is an audited read."""
    unit = selectors.unit_by_public_id(id)
    found = selectors.unit_agreements(actor=actor_from_request(request, "api"), unit=unit,
                                      page=params.page)
    return AgreementPage(items=[agreement_out(a) for a in found], **page_fields(found))


@router.get("/units/{id}/bed-usage", response={200: UsageOut, **ERRORS},
            summary="The unit's usage per month")
def unit_bed_usage(request: HttpRequest, id: uuid.UUID, filters: Query[UsageQuery]) -> UsageOut:
    """Counts only (no patient data), for any staff member: agreements made, stays booked,
    nights used, cancellations and refusals by reason, per month of `year`."""
    unit = selectors.unit_by_public_id(id)
    year = filters.year if filters.year is not None else clock.today().year
    months = selectors.usage(actor=actor_from_request(request, "api"), unit=unit, year=year)
    return UsageOut(unit=unit_ref(unit), year=year, months=[
        MonthOut(month=m.month, agreements=m.agreements, bookings=m.bookings,
                 nights_used=m.nights_used, cancellations=m.cancellations,
                 refusals=[RefusalCount(reason=code, label=str(Booking.RefusalReason(code).label),
                                        count=n) for code, n in sorted(m.refusals.items())])
        for m in months])
