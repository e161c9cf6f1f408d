"""Every write of user-controlled beds: one function per use case, one transaction each.

Access is decided (and audited) by access.policy.require before the transaction opens; a rule
that refuses stores nothing. A booking locks its patient's row first, so one patient's
bookings take turns through whichever of their agreements (the number of stays, the days
between them and overlaps with stays at any unit are checked with nothing in between), then
its agreement, and then the nights it needs (beds.capacity), so that no night is ever booked
beyond its capacity.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from ettervern.access import audit
from ettervern.access.policy import (
    BED_ACCEPT,
    BED_AGREEMENT,
    BED_BOOK,
    BED_UNIT,
    Actor,
    Basis,
    require,
    require_staff,
)
from ettervern.beds import capacity
from ettervern.beds.access import UNIT_ROLE
from ettervern.beds.models import (
    ACTIVE_STATUSES,
    MAX_BEDS,
    MAX_BOOK_AHEAD_DAYS,
    MAX_STAY_DAYS,
    NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Agreement,
    Booking,
    Programme,
    TargetGroup,
)
from ettervern.core import clock
from ettervern.core.dates import display_date
from ettervern.core.errors import Forbidden, InvalidInput, RuleViolation
from ettervern.core.identifiers import parse_national_id
from ettervern.core.models import update_versioned
from ettervern.directory.models import Staff, Unit
from ettervern.directory.selectors import standing
from ettervern.messaging.notify import notify
from ettervern.pathways import services as pathway_services
from ettervern.pathways.events import record_event
from ettervern.pathways.models import Pathway, Stay
from ettervern.pathways.team import is_blocked
from ettervern.patients.models import Patient

# An agreement runs for at most this long, and for at most this many stays.
MAX_AGREEMENT_DAYS = 2 * 365
MAX_STAYS = 52


def _text(value: str, limit: int, what: Any, field: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise InvalidInput(_("%(what)s can be at most %(limit)s characters.")
                           % {"what": what, "limit": limit}, field=field)
    return value


def _number(value: Any, low: int, high: int, what: Any, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidInput(_("%(what)s must be a whole number from %(low)d to %(high)d.")
                           % {"what": what, "low": low, "high": high}, field=field)
    return value


# --- programmes -----------------------------------------------------------------------------

def keeps_programme(staff: Staff, unit: Unit) -> bool:
    """The unit's administrators and its leaders keep its programme."""
    if unit.leaders.filter(pk=staff.pk).exists():
        return True
    return (staff.profession == Staff.Profession.ADMIN
            and staff.units.filter(pk=unit.pk).exists())


def require_unit_admin(actor: Actor, unit: Unit) -> Staff:
    """The unit's administrator or leader, who keeps its programme; anyone else is refused
    (audited)."""
    require_staff(actor, "bedprogramme.save")
    staff: Staff = actor.user.staff  # type: ignore[union-attr]  # require_staff checked it
    if not keeps_programme(staff, unit):
        audit.record(actor, action="bedprogramme.save", patient_id=None, obj=unit,
                     denied_because="not the unit's administrator")
        raise Forbidden(_("Only the unit's administrator or leader can change its programme."))
    return staff


PROGRAMME_NUMBERS: dict[str, tuple[int, int, Any]] = {
    "min_stay_days": (1, MAX_STAY_DAYS, _("The shortest stay")),
    "max_stay_days": (1, MAX_STAY_DAYS, _("The longest stay")),
    "min_days_between": (0, 365, _("The days between stays")),
    "book_ahead_days": (1, MAX_BOOK_AHEAD_DAYS, _("How far ahead a stay can be booked")),
    "min_notice_days": (0, MAX_BOOK_AHEAD_DAYS - 1, _("How soon before arrival")),
    "offer_after_discharge_days": (1, 3 * 365, _("How long after discharge the offer stands")),
    "standard_agreement_days": (1, MAX_AGREEMENT_DAYS, _("The standard agreement length")),
}
PROGRAMME_TEXTS: dict[str, tuple[int, Any]] = {
    "prerequisites": (TEXT_MAX_LENGTH, _("The prerequisites")),
    "content": (TEXT_MAX_LENGTH, _("The content")),
    "contact_note": (NOTE_MAX_LENGTH, _("How to reach the unit")),
    "contact_phone": (30, _("The phone number")),
    "contact_email": (254, _("The e-mail address")),
}


def programme_save(*, actor: Actor, unit: Unit, fields: dict[str, Any],
                   target_groups: Iterable[str], expected_version: int | None = None
                   ) -> Programme:
    """Create or change the unit's programme. `fields` holds every field of the programme;
    `target_groups` their codes."""
    require_unit_admin(actor, unit)
    if unit.kind != Unit.Kind.RESIDENTIAL:
        raise InvalidInput(_("User-controlled beds are offered by residential units."),
                           field="unit")
    values: dict[str, Any] = {}
    for name, (low, high, what) in PROGRAMME_NUMBERS.items():
        values[name] = _number(fields.get(name), low, high, what, name)
    for name, (limit, what) in PROGRAMME_TEXTS.items():
        values[name] = _text(fields.get(name, ""), limit, what, name)
    if values["contact_email"]:
        try:
            validate_email(values["contact_email"])
        except ValidationError as error:
            raise InvalidInput(error.messages[0], field="contact_email") from None
    values["gender_separated"] = bool(fields.get("gender_separated"))
    values["published"] = bool(fields.get("published"))
    if values["min_stay_days"] > values["max_stay_days"]:
        raise InvalidInput(_("The shortest stay is longer than the longest."),
                           field="min_stay_days")
    if values["min_notice_days"] >= values["book_ahead_days"]:
        raise InvalidInput(_("A stay must be bookable at least a day more ahead than the "
                             "notice it needs."), field="min_notice_days")
    codes = set(target_groups)
    groups = list(TargetGroup.objects.filter(code__in=codes))
    if len(groups) != len(codes):
        raise InvalidInput(_("Choose target groups from the list."), field="target_groups")
    with transaction.atomic():
        programme = Programme.objects.select_for_update().filter(unit=unit).first()
        if programme is None:
            programme = Programme.objects.create(unit=unit, **values)
        else:
            update_versioned(programme, expected_version=(
                programme.version if expected_version is None else expected_version), **values)
        programme.target_groups.set(groups)
    audit.record(actor, action="bedprogramme.save", patient_id=None, obj=programme)
    return programme


def capacity_set(*, actor: Actor, programme: Programme, valid_from: dt.date, beds: int) -> None:
    """From `valid_from` on, `beds` beds per night are set aside for user-controlled stays."""
    require_unit_admin(actor, programme.unit)
    beds = _number(beds, 0, MAX_BEDS, _("The number of beds"), "beds")
    if valid_from < clock.today():
        raise InvalidInput(_("Capacity is changed from today or a later date."),
                           field="valid_from")
    if valid_from > clock.today() + dt.timedelta(days=MAX_BOOK_AHEAD_DAYS):
        raise InvalidInput(_("Capacity is changed at most a year ahead. Check the year."),
                           field="valid_from")
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        capacity.change(programme, valid_from, beds, recorded_by_id=actor.user_pk)
    audit.record(actor, action="bedprogramme.capacity", patient_id=None, obj=programme)


# --- agreements -------------------------------------------------------------------------------

def _published(programme: Programme | uuid.UUID) -> Programme:
    if isinstance(programme, Programme):
        return programme
    found = (Programme.objects.select_related("unit__organisation")
             .filter(public_id=programme, published=True).first()) if _is_uuid(programme) else None
    if found is None:
        raise InvalidInput(_("There is no such published programme."), field="programme")
    return found


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _terms(found: Programme, valid_from: dt.date, valid_to: dt.date, max_stays: int,
           max_days_per_stay: int, conditions: str) -> str:
    """The terms checked against the programme alone (no patient looked up); the conditions,
    trimmed."""
    _number(max_stays, 1, MAX_STAYS, _("The number of stays"), "max_stays")
    _number(max_days_per_stay, found.min_stay_days, found.max_stay_days,
            _("The days per stay"), "max_days_per_stay")
    conditions = _text(conditions, TEXT_MAX_LENGTH, _("The conditions"), "conditions")
    if valid_from < clock.today():
        raise InvalidInput(_("An agreement starts today or later."), field="valid_from")
    if valid_to < valid_from:
        raise InvalidInput(_("The agreement ends before it starts."), field="valid_to")
    if (valid_to - valid_from).days > MAX_AGREEMENT_DAYS:
        raise InvalidInput(_("An agreement runs for at most two years."), field="valid_to")
    return conditions


def _save_agreement(actor: Actor, draft: Agreement) -> Agreement:
    """Store the agreement on the locked pathway, after the rules that need the patient."""
    with transaction.atomic():
        locked = Pathway.objects.select_for_update().get(pk=draft.pathway_id)
        if locked.closed_at is not None:
            raise RuleViolation(_("The pathway is closed."))
        _check_offer_stands(locked, draft.programme, draft.valid_from)
        if Agreement.objects.filter(patient_id=locked.patient_id, programme=draft.programme,
                                    valid_from__lte=draft.valid_to,
                                    valid_to__gte=draft.valid_from).exists():
            raise RuleViolation(_("The patient already has an agreement with this unit for "
                                  "this period."), field="valid_from")
        draft.pathway = locked
        draft.created_by_id = actor.user_pk
        draft.save()
        record_event(locked, actor, "beds.agreement_made", unit=draft.programme.unit.name,
                     start=draft.valid_from, until=draft.valid_to)
    return draft


def agreement_create(*, actor: Actor, programme: Programme | uuid.UUID, pathway: Pathway,
                     valid_from: dt.date, valid_to: dt.date, max_stays: int,
                     max_days_per_stay: int, conditions: str = "",
                     in_crisis_plan: bool = True) -> Agreement:
    """An agreement between the patient and a unit of any trust or private provider, made on
    the pathway by those who plan its stays. The patient accepts it on their own page before
    the first booking."""
    try:
        found = _published(programme)
    except InvalidInput:
        # Who may not make one on this pathway is refused first: an unknown programme tells
        # them nothing about the pathway.
        require(actor, pathway, BED_AGREEMENT)
        raise
    draft = Agreement(pathway=pathway, patient_id=pathway.patient_id, programme=found,
                      valid_from=valid_from, valid_to=valid_to, max_stays=max_stays,
                      max_days_per_stay=max_days_per_stay, in_crisis_plan=in_crisis_plan)
    require(actor, draft, BED_AGREEMENT)
    draft.conditions = _terms(found, valid_from, valid_to, max_stays, max_days_per_stay,
                              conditions)
    return _save_agreement(actor, draft)


# What the unit is told after offering an agreement, whatever happened to it.
OFFERED = _("If the patient has an open pathway in Ettervern, the agreement now waits on the "
            "patient's own page. It is listed here once the patient has accepted it.")


def agreement_offer(*, actor: Actor, programme: Programme | uuid.UUID, national_id: str,
                    valid_from: dt.date, valid_to: dt.date, max_stays: int,
                    max_days_per_stay: int, conditions: str = "",
                    in_crisis_plan: bool = True) -> Agreement | None:
    """The unit's staff offer an agreement to the patient in front of them, by national id.

    The answer is the same whether or not the number has an open pathway the unit may reach
    (None, or the agreement): the unit learns nothing of who is in treatment until the patient
    accepts the agreement, and only then sees it (beds.access). What is refused for the terms
    alone is said at once; what the patient's pathway refuses is audited and not told."""
    require_staff(actor, BED_AGREEMENT)
    found = _published(programme)
    if found.unit_id not in standing(actor.user).unit_ids:
        audit.record(actor, action=BED_AGREEMENT, patient_id=None, obj=found,
                     denied_because="not the unit's staff")
        raise Forbidden(_("Only the unit's staff make an agreement by national identity "
                          "number; the care team makes it on the pathway."))
    conditions = _terms(found, valid_from, valid_to, max_stays, max_days_per_stay, conditions)
    number = parse_national_id(national_id).value
    pathway = (Pathway.objects.select_related("patient")
               .filter(patient__national_id=number, closed_at__isnull=True).first())
    if pathway is None:
        audit.record(actor, action=BED_AGREEMENT, patient_id=None, obj=found,
                     denied_because="no open pathway")
        return None
    staff_id = standing(actor.user, fresh=False).staff_id
    if staff_id is None or is_blocked(staff_id, pathway.patient_id):
        audit.record(actor, action=BED_AGREEMENT, patient_id=pathway.patient_id, obj=found,
                     pathway=pathway, denied_because="blocked")
        return None
    draft = Agreement(pathway=pathway, patient_id=pathway.patient_id, programme=found,
                      valid_from=valid_from, valid_to=valid_to, max_stays=max_stays,
                      max_days_per_stay=max_days_per_stay, conditions=conditions,
                      in_crisis_plan=in_crisis_plan)
    try:
        made = _save_agreement(actor, draft)
    except RuleViolation as refused:
        audit.record(actor, action=BED_AGREEMENT, patient_id=pathway.patient_id, obj=found,
                     pathway=pathway, denied_because=f"rule: {refused.code}")
        return None
    audit.record(actor, action=BED_AGREEMENT, patient_id=pathway.patient_id, obj=made,
                 pathway=pathway, basis=Basis(UNIT_ROLE, str(found.public_id)))
    return made


def _check_offer_stands(pathway: Pathway, programme: Programme, valid_from: dt.date) -> None:
    """The offer stands for a number of days after the last discharge from a residential
    stay (if there was one)."""
    last = (Stay.objects.filter(pathway=pathway, kind=Stay.Kind.RESIDENTIAL,
                                status=Stay.Status.DISCHARGED)
            .order_by("-discharged_on").values_list("discharged_on", flat=True).first())
    if last is None:
        return
    ends = last + dt.timedelta(days=programme.offer_after_discharge_days)
    if valid_from > ends:
        raise RuleViolation(
            _("%(unit)s offers user-controlled beds up to %(days)d days after discharge; the "
              "patient was discharged on %(on)s.")
            % {"unit": programme.unit.name, "days": programme.offer_after_discharge_days,
               "on": display_date(last)}, field="valid_from")


def agreement_accept(*, actor: Actor, agreement: Agreement) -> Agreement:
    """The patient accepts the agreement, dated; from then on they can book."""
    require(actor, agreement, BED_ACCEPT)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.accepted_at is not None:
            raise RuleViolation(_("You have already accepted this agreement."))
        if locked.valid_to < clock.today():
            raise RuleViolation(_("This agreement has ended."))
        update_versioned(locked, expected_version=locked.version, accepted_at=clock.now())
    return locked


# --- bookings -------------------------------------------------------------------------------

def _check_dates(agreement: Agreement, programme: Programme, arrival: dt.date,
                 departure: dt.date) -> None:
    """The rules that need nothing but the dates, the agreement and the programme."""
    today = clock.today()
    if departure <= arrival:
        raise InvalidInput(_("The departure must be after the arrival."), field="departure")
    if arrival < today:
        raise InvalidInput(_("The arrival date has passed. Choose a date from today on."),
                           field="arrival")
    earliest = today + dt.timedelta(days=programme.min_notice_days)
    if arrival < earliest:
        raise InvalidInput(_("%(unit)s needs %(days)d days' notice: the earliest arrival is "
                             "%(on)s.") % {"unit": programme.unit.name,
                                           "days": programme.min_notice_days,
                                           "on": display_date(earliest)}, field="arrival")
    latest = today + dt.timedelta(days=programme.book_ahead_days)
    if arrival > latest:
        raise InvalidInput(_("A stay can be booked at most %(days)d days ahead: the latest "
                             "arrival is %(on)s.") % {"days": programme.book_ahead_days,
                                                       "on": display_date(latest)},
                           field="arrival")
    if arrival < agreement.valid_from or departure > agreement.valid_to:
        raise RuleViolation(_("Your agreement runs from %(start)s to %(end)s; the stay must be "
                              "within it.") % {"start": display_date(agreement.valid_from),
                                               "end": display_date(agreement.valid_to)},
                            field="arrival")
    days = (departure - arrival).days
    longest = min(agreement.max_days_per_stay, programme.max_stay_days)
    if days > longest:
        raise InvalidInput(_("A stay can be at most %(n)d days; this one is %(days)d.")
                           % {"n": longest, "days": days}, field="departure")
    if days < programme.min_stay_days:
        raise InvalidInput(_("A stay must be at least %(n)d days; this one is %(days)d.")
                           % {"n": programme.min_stay_days, "days": days}, field="departure")


def _check_own_bookings(agreement: Agreement, programme: Programme, arrival: dt.date,
                        departure: dt.date) -> None:
    """The rules that need the patient's other bookings (read under the agreement's lock)."""
    own = list(Booking.objects.filter(patient_id=agreement.patient_id,
                                      status__in=ACTIVE_STATUSES)
               .values_list("agreement_id", "programme_id", "arrival", "departure"))
    for _agreement, _programme, other_arrival, other_departure in own:
        if arrival < other_departure and departure > other_arrival:
            raise RuleViolation(_("You already have a stay booked from %(start)s to %(end)s.")
                                % {"start": display_date(other_arrival),
                                   "end": display_date(other_departure)}, field="arrival")
    used = sum(1 for agreement_id, *_rest in own if agreement_id == agreement.pk)
    if used >= agreement.max_stays:
        raise RuleViolation(_("Your agreement allows %(n)d stays, and all of them are booked or "
                              "used.") % {"n": agreement.max_stays}, field="arrival")
    gap = programme.min_days_between
    for _agreement, programme_id, other_arrival, other_departure in own:
        if programme_id != programme.pk:
            continue
        if (other_departure <= arrival and (arrival - other_departure).days < gap) or (
                departure <= other_arrival and (other_arrival - departure).days < gap):
            raise RuleViolation(
                _("There must be at least %(n)d days between stays; you have a stay from "
                  "%(start)s to %(end)s.") % {"n": gap, "start": display_date(other_arrival),
                                               "end": display_date(other_departure)},
                field="arrival")


def _check_not_admitted(agreement: Agreement, arrival: dt.date, departure: dt.date) -> None:
    """A patient admitted (or planned to be admitted) elsewhere is not booked a bed for those
    days: an ongoing stay with no discharge date set runs on."""
    stays = (Stay.objects.filter(pathway__patient_id=agreement.patient_id,
                                 kind=Stay.Kind.RESIDENTIAL,
                                 status__in=[Stay.Status.PLANNED, Stay.Status.ONGOING])
             .select_related("unit"))
    for stay in stays:
        start, end = stay.admitted_on or stay.planned_start, stay.planned_end
        if arrival < (end or dt.date.max) and departure > start:
            if end is None:
                raise RuleViolation(
                    _("You are admitted at %(unit)s, with no discharge date set yet; a stay "
                      "can be booked for the days after the discharge.")
                    % {"unit": stay.unit.name}, field="arrival")
            raise RuleViolation(
                _("You have a stay at %(unit)s from %(start)s to %(end)s; choose days outside "
                  "it.") % {"unit": stay.unit.name, "start": display_date(start),
                            "end": display_date(end)}, field="arrival")


def booking_create(*, actor: Actor, agreement: Agreement, arrival: dt.date, departure: dt.date,
                   unit: uuid.UUID | None = None) -> Booking:
    """The patient (or the unit's staff) books a stay under an accepted agreement. Any rule
    that refuses stores nothing; a full night answers FullyBooked."""
    require(actor, agreement, BED_BOOK)
    programme = agreement.programme
    if unit is not None and str(unit) != str(programme.unit.public_id):
        raise RuleViolation(_("Your agreement is with %(unit)s; a stay is booked there.")
                            % {"unit": programme.unit.name}, field="unit")
    if agreement.pathway.closed_at is not None:
        raise RuleViolation(_("The pathway is closed."))
    _check_dates(agreement, programme, arrival, departure)
    with transaction.atomic():
        # The patient's row, not only the agreement's: the overlap check reads the stays of
        # all their agreements. NO KEY: rows that merely refer to the patient are not held up.
        list(Patient.objects.select_for_update(no_key=True).filter(pk=agreement.patient_id)
             .values_list("pk", flat=True))
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.accepted_at is None:
            raise RuleViolation(_("The agreement must be accepted before a stay can be "
                                  "booked."))
        _check_own_bookings(locked, programme, arrival, departure)
        _check_not_admitted(locked, arrival, departure)
        capacity.take(programme, arrival, departure)
        booking = Booking.objects.create(agreement=locked, programme=programme,
                                         patient_id=locked.patient_id, arrival=arrival,
                                         departure=departure, booked_by_id=actor.user_pk)
        record_event(agreement.pathway, actor, "beds.booked", unit=programme.unit.name,
                     start=arrival, until=departure)
    booking.agreement = agreement
    return booking


def _locked_booking(booking: Booking, *statuses: str) -> Booking:
    locked = (Booking.objects.select_for_update().select_related("programme__unit")
              .get(pk=booking.pk))
    if locked.status not in statuses:
        raise RuleViolation(_("This stay is %(status)s; that cannot be done now.")
                            % {"status": str(locked.get_status_display()).lower()})
    locked.agreement = booking.agreement
    return locked


# The kind of notification the patient gets when the unit cancels or turns a stay down.
BEDS_NOTICE = "beds"


def _tell_the_patient(actor: Actor, booking: Booking, text: Any) -> None:
    """When the unit cancels or turns down a stay, the patient hears of it (in the app, and by
    e-mail if they chose so; the e-mail says only that there is something new). Written in
    Norwegian, as the patient's pages are; nothing when the patient did it themselves."""
    user = booking.patient.user
    if user is None or user.pk == actor.user.pk:
        return
    with override("nb"):
        sentence = str(text) % {"unit": booking.programme.unit.name,
                                "start": display_date(booking.arrival)}
    notify(users=[user], kind=BEDS_NOTICE, text=sentence, link=reverse("beds:portal"))


def booking_cancel(*, actor: Actor, booking: Booking, note: str = "") -> Booking:
    """The patient (or the unit) cancels a booked stay before arrival; its nights are free
    again at once."""
    require(actor, booking, BED_BOOK)
    note = _text(note, NOTE_MAX_LENGTH, _("The note"), "note")
    with transaction.atomic():
        locked = _locked_booking(booking, Booking.Status.BOOKED)
        capacity.give_back(locked.programme, locked.arrival, locked.departure)
        update_versioned(locked, expected_version=locked.version,
                         status=Booking.Status.CANCELLED, cancelled_at=clock.now(), note=note)
        record_event(locked.agreement.pathway, actor, "beds.cancelled",
                     unit=locked.programme.unit.name, start=locked.arrival,
                     until=locked.departure)
        _tell_the_patient(actor, locked, _("%(unit)s has cancelled your stay from %(start)s. "
                                           "Contact the unit if you still need it."))
    return locked


def booking_refuse(*, actor: Actor, booking: Booking, reason: str, note: str = "") -> Booking:
    """The unit turns a booked stay down, with a reason (counted in the usage figures)."""
    require(actor, booking, BED_UNIT)
    if reason not in Booking.RefusalReason.values:
        raise InvalidInput(_("Choose the reason for turning the stay down."), field="reason")
    if reason == Booking.RefusalReason.NO_SHOW and booking.arrival > clock.today():
        raise InvalidInput(_("“Did not come” can be chosen from the day of arrival."),
                           field="reason")
    note = _text(note, NOTE_MAX_LENGTH, _("The note"), "note")
    with transaction.atomic():
        locked = _locked_booking(booking, Booking.Status.BOOKED)
        capacity.give_back(locked.programme, locked.arrival, locked.departure)
        update_versioned(locked, expected_version=locked.version, status=Booking.Status.REFUSED,
                         refusal_reason=reason, note=note)
        record_event(locked.agreement.pathway, actor, "beds.refused",
                     unit=locked.programme.unit.name, start=locked.arrival,
                     until=locked.departure, refusal=reason)
        _tell_the_patient(actor, locked, _("%(unit)s could not take you in for the stay from "
                                           "%(start)s. You can book again, or contact the "
                                           "unit."))
    return locked


def booking_arrive(*, actor: Actor, booking: Booking) -> Booking:
    """The unit marks the patient's arrival today: a user-controlled stay on the pathway."""
    require(actor, booking, BED_UNIT)
    today = clock.today()
    with transaction.atomic():
        locked = _locked_booking(booking, Booking.Status.BOOKED)
        if not locked.arrival <= today < locked.departure:
            raise RuleViolation(_("Arrival is marked on a day of the booked stay (%(start)s to "
                                  "%(end)s).") % {"start": display_date(locked.arrival),
                                                  "end": display_date(locked.departure)})
        # Nights booked before a late arrival are free again.
        capacity.give_back(locked.programme, locked.arrival, today)
        stay = pathway_services.stay_start_user_controlled(
            actor=actor, pathway=locked.agreement.pathway, unit=locked.programme.unit, on=today,
            planned_end=locked.departure)
        update_versioned(locked, expected_version=locked.version, status=Booking.Status.ARRIVED,
                         stay=stay)
    return locked


def booking_depart(*, actor: Actor, booking: Booking) -> Booking:
    """The unit marks the departure today; nights left of the booking are free again."""
    require(actor, booking, BED_UNIT)
    today = clock.today()
    with transaction.atomic():
        locked = _locked_booking(booking, Booking.Status.ARRIVED)
        assert locked.stay_id is not None
        stay = Stay.objects.select_related("pathway", "unit").get(pk=locked.stay_id)
        pathway_services.stay_end_user_controlled(actor=actor, stay=stay, on=today)
        capacity.give_back(locked.programme, max(today, locked.arrival), locked.departure)
        update_versioned(locked, expected_version=locked.version,
                         status=Booking.Status.DEPARTED, departed_on=today)
    return locked
