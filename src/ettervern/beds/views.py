"""The pages of user-controlled beds. Each parses input, calls one selector or service, and
renders; the rules live in the services (the API calls the same ones).

- staff everywhere: the search across the country and the programmes;
- the unit: its programme and capacity (its administrator), its day list, its agreements, its
  usage;
- the pathway: its agreements (the team, and next of kin with the patient's consent);
- the patient (/meg/brukerstyrt/): accept the agreement, see the free nights, book, cancel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST, require_safe

from ettervern.access.policy import (
    BED_AGREEMENT,
    BED_BOOK,
    BED_UNIT,
    actor_from_request,
    allowed_actions,
    require,
)
from ettervern.beds import forms as bed_forms
from ettervern.beds import selectors, services
from ettervern.beds.models import Booking
from ettervern.core import clock
from ettervern.core.dates import display_date
from ettervern.core.errors import NotFound
from ettervern.pathways.selectors import pathway_lookup
from ettervern.pathways.views import viewer_kind
from ettervern.rights.services import patient_of
from ettervern.web.views import confirmation, int_param, run_service

# --- helpers ---------------------------------------------------------------------------------

SEARCH_PAGE = 25


def _confirm(request: HttpRequest, question: str, consequence: str, button: str,
             back: str) -> HttpResponse | None:
    """The confirmation page, unless this POST already says `confirmed`."""
    if request.POST.get("confirmed") == "yes":
        return None
    return confirmation(request, question, consequence, button, back)


def _day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return clock.today()


def _unit_day_url(booking: Booking, day: dt.date | None = None) -> str:
    url = reverse("beds:unit_day", kwargs={"unit_id": booking.programme.unit.public_id})
    return f"{url}?dag={(day or clock.today()).isoformat()}"


def _errors(*forms_: Any) -> list[Any]:
    return [f for f in forms_ if f is not None and f.errors]


# --- staff: the search and the programmes ----------------------------------------------------

@login_required
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request, "web")
    form = bed_forms.SearchForm(request.GET if "first" in request.GET else None,
                                initial=bed_forms.SearchForm.defaults())
    rows: list[selectors.SearchRow] | None = None
    status = 200
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        ok, found, status = run_service(form, lambda: selectors.search(
            actor=actor, first=data["first"], until=data["until"], region=data["region"],
            trust=data["trust"] or None, target_group=data["target_group"],
            gender_separated=data["gender_separated"]))
        rows = found if ok else None
    elif form.is_bound:
        status = 422
    page_number = int_param(request.GET.get("side"))
    # The search's units, or before a search the published programmes: a page at a time.
    listed = Paginator(rows if rows is not None else selectors.programme_list(actor=actor),
                       SEARCH_PAGE).get_page(page_number)
    return render(request, "beds/search.html", {
        "form": form, "rows": rows, "page": listed,
        "my_units": selectors.staff_bed_units(actor),
        "admin_units": selectors.admin_units(actor),
        "form_errors": _errors(form)}, status=status)


@login_required
@require_safe
def programme(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    found = selectors.programme_get(actor=actor, public_id=public_id)
    return render(request, "beds/programme.html", {
        "programme": found, "beds_now": selectors.capacity_now(found),
        "changes": selectors.capacity_changes(found)})


@login_required
def programme_edit(request: HttpRequest, unit_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    unit = selectors.unit_by_public_id(unit_id)
    services.require_unit_admin(actor, unit)
    current = selectors.programme_of(unit)
    form = bed_forms.ProgrammeForm(request.POST or None,
                                   initial=bed_forms.ProgrammeForm.initial_for(current))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = dict(form.cleaned_data)
            groups, version = data.pop("target_groups"), data.pop("version")
            ok, saved, status = run_service(form, lambda: services.programme_save(
                actor=actor, unit=unit, fields=data, target_groups=groups,
                expected_version=version))
            if ok:
                messages.success(request, _("The programme is saved."))
                return redirect("beds:programme_edit", unit_id=unit.public_id)
    return _programme_page(request, unit, current, form, None, status)


def _programme_page(request: HttpRequest, unit: Any, current: Any, form: Any,
                    capacity_form: Any, status: int) -> HttpResponse:
    capacity_form = capacity_form or bed_forms.CapacityForm(
        initial={"valid_from": clock.today()})
    return render(request, "beds/programme_edit.html", {
        "unit": unit, "programme": current, "form": form, "capacity_form": capacity_form,
        "beds_now": selectors.capacity_now(current) if current else 0,
        "changes": selectors.capacity_changes(current) if current else [],
        "form_errors": _errors(form, capacity_form)}, status=status)


@login_required
@require_POST
def capacity(request: HttpRequest, unit_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    unit = selectors.unit_by_public_id(unit_id)
    services.require_unit_admin(actor, unit)
    current = selectors.programme_of(unit)
    if current is None:
        raise NotFound(_("Save the programme first."))
    form = bed_forms.CapacityForm(request.POST)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        ok, _done, status = run_service(form, lambda: services.capacity_set(
            actor=actor, programme=current, valid_from=data["valid_from"], beds=data["beds"]))
        if ok:
            messages.success(request, _("From %(on)s: %(beds)d beds per night.")
                             % {"on": display_date(data["valid_from"]), "beds": data["beds"]})
            return redirect("beds:programme_edit", unit_id=unit.public_id)
    edit = bed_forms.ProgrammeForm(initial=bed_forms.ProgrammeForm.initial_for(current))
    return _programme_page(request, unit, current, edit, form, status)


# --- the unit: its day list, agreements and usage ----------------------------------------------

@login_required
@require_safe
def unit_day(request: HttpRequest, unit_id: Any) -> HttpResponse:
    unit = selectors.unit_by_public_id(unit_id)
    return _unit_day_page(request, unit, _day(request.GET.get("dag")))


def _unit_day_page(request: HttpRequest, unit: Any, day: dt.date, refused: Any = None,
                   status: int = 200) -> HttpResponse:
    """The day list; `refused` is a turned-down form to show again with its errors."""
    actor = actor_from_request(request, "web")
    day_list = selectors.unit_day(actor=actor, unit=unit, day=day)
    for booking in (*day_list.arrivals, *day_list.staying, *day_list.departures):
        if booking.status == Booking.Status.BOOKED:
            booking.refuse_form = (  # type: ignore[attr-defined]
                refused if refused is not None and refused.prefix == _refuse_prefix(booking)
                else bed_forms.RefuseForm(prefix=_refuse_prefix(booking)))
    sections = [
        ("arrivals", _("Arrivals"), _("No arrivals."), day_list.arrivals),
        ("staying", _("Staying"), _("Nobody is staying."), day_list.staying),
        ("departures", _("Departures"), _("No departures."), day_list.departures)]
    return render(request, "beds/unit_day.html", {
        "unit": unit, "day_list": day_list, "today": clock.today(), "sections": sections,
        "previous": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1),
        "form_errors": [refused] if refused is not None and refused.errors else []},
        status=status)


def _refuse_prefix(booking: Booking) -> str:
    return f"refuse-{booking.public_id}"


@login_required
def unit_agreements(request: HttpRequest, unit_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    unit = selectors.unit_by_public_id(unit_id)
    programme = selectors.programme_of(unit)
    programmes = [programme] if programme is not None and programme.published else []
    form = bed_forms.UnitAgreementForm(request.POST or None, programmes=programmes)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            ok, _made, status = run_service(form, lambda: services.agreement_offer(
                actor=actor, national_id=data["national_id"], programme=data["programme"],
                valid_from=data["valid_from"], valid_to=data["valid_to"],
                max_stays=data["max_stays"], max_days_per_stay=data["max_days_per_stay"],
                conditions=data["conditions"], in_crisis_plan=data["in_crisis_plan"]))
            if ok:
                messages.success(request, str(services.OFFERED))
                return redirect("beds:unit_agreements", unit_id=unit.public_id)
    return render(request, "beds/unit_agreements.html", {
        "unit": unit, "programme": programme, "form": form if programmes else None,
        "agreements": selectors.unit_agreements(actor=actor, unit=unit,
                                                page=int_param(request.GET.get("side"))),
        "form_errors": _errors(form)}, status=status)


@login_required
@require_safe
def usage(request: HttpRequest, unit_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    unit = selectors.unit_by_public_id(unit_id)
    this_year = clock.today().year
    try:
        year = int(request.GET.get("aar") or this_year)
    except ValueError:
        year = this_year
    year = min(max(year, this_year - 10), this_year + 1)  # the years the figures can hold
    months = selectors.usage(actor=actor, unit=unit, year=year)
    totals = selectors.MonthUsage(month=dt.date(year, 1, 1))
    for month in months:
        totals.agreements += month.agreements
        totals.bookings += month.bookings
        totals.nights_used += month.nights_used
        totals.cancellations += month.cancellations
        totals.refusals.update(month.refusals)
    return render(request, "beds/usage.html", {
        "unit": unit, "year": year, "months": months, "totals": totals,
        "own_unit": unit.pk in {u.pk for u in selectors.staff_bed_units(actor)}})


# --- the pathway's agreements ------------------------------------------------------------------

def _pathway_page(request: HttpRequest, public_id: Any, form: Any = None,
                  status: int = 200) -> HttpResponse:
    actor = actor_from_request(request, "web")
    pathway, agreements = selectors.pathway_agreements(actor=actor, public_id=public_id)
    bases = pathway.access_bases(actor.user)
    allowed = allowed_actions(bases)
    viewer = viewer_kind(request.user, bases[0] if bases else None)
    if BED_AGREEMENT in allowed and viewer == "staff" and form is None:
        form = bed_forms.AgreementForm(programmes=selectors.published_programmes())
    return render(request, "beds/pathway_beds.html", {
        "pathway": pathway, "patient": pathway.patient, "agreements": agreements,
        "viewer": viewer, "form": form if viewer == "staff" else None,
        "form_errors": _errors(form)}, status=status)


@login_required
@require_safe
def pathway_beds(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _pathway_page(request, public_id)


@login_required
@require_POST
def agreement_create(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    # Looked up without a decision: the service decides (and audits) once; a form that does
    # not validate asks the policy itself before it says what is wrong.
    pathway = pathway_lookup(public_id)
    form = bed_forms.AgreementForm(request.POST, programmes=selectors.published_programmes())
    status = 422
    if not form.is_valid():
        require(actor, pathway, BED_AGREEMENT)
    else:
        data = form.cleaned_data
        ok, _made, status = run_service(form, lambda: services.agreement_create(
            actor=actor, pathway=pathway, programme=data["programme"],
            valid_from=data["valid_from"], valid_to=data["valid_to"],
            max_stays=data["max_stays"], max_days_per_stay=data["max_days_per_stay"],
            conditions=data["conditions"], in_crisis_plan=data["in_crisis_plan"]))
        if ok:
            messages.success(request, _("The agreement is made. The patient accepts it on "
                                        "their own page before the first booking."))
            return redirect("beds:pathway_beds", public_id=public_id)
    return _pathway_page(request, public_id, form, status)


# --- the patient's own ---------------------------------------------------------------------------

def _portal_page(request: HttpRequest, forms_by_agreement: dict[Any, Any] | None = None,
                 status: int = 200) -> HttpResponse:
    actor = actor_from_request(request, "web")
    patient = patient_of(actor)
    agreements = selectors.own_agreements(patient)
    today = clock.today()
    cards = []
    for agreement in agreements:
        if agreement.valid_to < today:
            continue
        card: dict[str, Any] = {"agreement": agreement, "bookings": [
            b for b in agreement.bookings.all() if b.departure >= today or b.is_active]}
        if agreement.is_accepted:
            first, last = selectors.bookable_window(agreement)
            nights = selectors.free_nights(agreement.programme, first,
                                           last + dt.timedelta(days=1))
            card["calendar"] = _calendar(nights)
            card["first"], card["last"] = first, last
            card["first_night"] = nights[0] if nights else None
            card["form"] = (forms_by_agreement or {}).get(agreement.pk) or bed_forms.BookingForm(
                longest=min(agreement.max_days_per_stay, agreement.programme.max_stay_days),
                shortest=agreement.programme.min_stay_days,
                prefix=f"book-{agreement.public_id}")
            card["used"] = sum(1 for b in agreement.bookings.all() if b.is_active)
        cards.append(card)
    errors = [c["form"] for c in cards if c.get("form") is not None and c["form"].errors]
    return render(request, "beds/portal.html", {
        "cards": cards, "patient": patient, "form_errors": errors, "weekdays": WEEKDAYS},
        status=status)


# The calendar's columns: (short, full) names, Monday first.
WEEKDAYS = [(_lazy("Mon"), _lazy("Monday")), (_lazy("Tue"), _lazy("Tuesday")),
            (_lazy("Wed"), _lazy("Wednesday")), (_lazy("Thu"), _lazy("Thursday")),
            (_lazy("Fri"), _lazy("Friday")), (_lazy("Sat"), _lazy("Saturday")),
            (_lazy("Sun"), _lazy("Sunday"))]


def _calendar(nights: list[selectors.Night]) -> list[list[selectors.Night | None]]:
    """The nights as weeks (Monday first), with empty cells before the first and after the
    last."""
    if not nights:
        return []
    cells: list[selectors.Night | None] = [None] * nights[0].night.weekday() + list(nights)
    cells += [None] * (-len(cells) % 7)
    return [cells[i:i + 7] for i in range(0, len(cells), 7)]


@login_required
@require_safe
def portal(request: HttpRequest) -> HttpResponse:
    return _portal_page(request)


@login_required
@require_POST
def accept(request: HttpRequest, agreement_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    agreement = selectors.agreement_lookup(agreement_id)  # the service decides and audits
    services.agreement_accept(actor=actor, agreement=agreement)
    messages.success(request, _("You have accepted the agreement. You can book a stay now."))
    return redirect("beds:portal")


@login_required
@require_POST
def book(request: HttpRequest, agreement_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    agreement = selectors.agreement_lookup(agreement_id)  # the service decides and audits
    form = bed_forms.BookingForm(
        request.POST, longest=min(agreement.max_days_per_stay,
                                  agreement.programme.max_stay_days),
        shortest=agreement.programme.min_stay_days, prefix=f"book-{agreement.public_id}")
    status = 422
    if not form.is_valid():
        require(actor, agreement, BED_BOOK)
    else:
        arrival = form.cleaned_data["arrival"]
        departure = arrival + dt.timedelta(days=form.cleaned_data["days"])
        ok, booking, status = run_service(form, lambda: services.booking_create(
            actor=actor, agreement=agreement, arrival=arrival, departure=departure))
        if ok:
            messages.success(request, _("Your stay is booked: you arrive on %(start)s and leave "
                                        "on %(end)s. %(unit)s expects you.")
                             % {"start": display_date(arrival), "end": display_date(departure),
                                "unit": agreement.programme.unit.name})
            return redirect("beds:portal")
    return _portal_page(request, {agreement.pk: form}, status)


# --- a booked stay ---------------------------------------------------------------------------

def _booking(request: HttpRequest, booking_id: Any, action: str) -> Booking:
    """The booking a POST names. Before the confirmation, which shows it, the policy decides
    (and audits); the confirmed POST leaves that to the service, so each request is decided
    and audited once."""
    if request.POST.get("confirmed") == "yes":
        return selectors.booking_lookup(booking_id)
    return selectors.booking_get(actor=actor_from_request(request, "web"),
                                 public_id=booking_id, action=action)


def _back(request: HttpRequest, booking: Booking) -> str:
    if viewer_kind(request.user) == "staff":
        return _unit_day_url(booking, booking.arrival)
    return reverse("beds:portal")


@login_required
@require_POST
def cancel(request: HttpRequest, booking_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    booking = _booking(request, booking_id, BED_BOOK)
    back = _back(request, booking)
    asked = _confirm(
        request, _("Cancel the stay from %(start)s to %(end)s?") % {
            "start": display_date(booking.arrival), "end": display_date(booking.departure)},
        _("The bed is given to others at once; if you want to come after all, you book again "
          "(if there is a free bed)."), _("Yes, cancel the booking"), back)
    if asked is not None:
        return asked
    form = bed_forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.booking_cancel(actor=actor, booking=booking, note=note)
    messages.success(request, _("The stay from %(start)s is cancelled.")
                     % {"start": display_date(booking.arrival)})
    return redirect(back)


def _unit_step(request: HttpRequest, booking_id: Any, question: str, consequence: str,
               button: str, done: str, step: Callable[[Any, Booking], Any]) -> HttpResponse:
    """A step the unit takes on a booked stay today (arrival, departure): asked first, since it
    cannot be undone, then the service, then back to today's list."""
    actor = actor_from_request(request, "web")
    booking = _booking(request, booking_id, BED_UNIT)
    name = booking.patient.full_name
    asked = _confirm(request, question % {"name": name}, consequence, button,
                     _unit_day_url(booking))
    if asked is not None:
        return asked
    step(actor, booking)
    messages.success(request, done % {"name": name})
    return redirect(_unit_day_url(booking))


@login_required
@require_POST
def arrive(request: HttpRequest, booking_id: Any) -> HttpResponse:
    return _unit_step(
        request, booking_id, _("Has %(name)s arrived?"),
        _("This starts a user-controlled stay on the patient's pathway, which the coordinator "
          "sees. It cannot be undone; the departure ends it."),
        _("Yes, mark the arrival"), _("%(name)s has arrived."),
        lambda actor, booking: services.booking_arrive(actor=actor, booking=booking))


@login_required
@require_POST
def refuse(request: HttpRequest, booking_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    booking = _booking(request, booking_id, BED_UNIT)
    form = bed_forms.RefuseForm(request.POST, prefix=_refuse_prefix(booking))
    if not form.is_valid():
        return _unit_day_page(request, booking.programme.unit, booking.arrival, form, 422)
    name = booking.patient.full_name
    asked = _confirm(
        request, _("Turn down the stay of %(name)s?") % {"name": name},
        _("The patient is told that the stay is turned down, and the bed is free again. It "
          "cannot be undone."), _("Yes, turn the stay down"),
        _unit_day_url(booking, booking.arrival))
    if asked is not None:
        return asked
    ok, _done, status = run_service(form, lambda: services.booking_refuse(
        actor=actor, booking=booking, reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"]))
    if not ok:
        return _unit_day_page(request, booking.programme.unit, booking.arrival, form, status)
    messages.success(request, _("The stay of %(name)s is turned down.") % {"name": name})
    return redirect(_unit_day_url(booking, booking.arrival))


@login_required
@require_POST
def depart(request: HttpRequest, booking_id: Any) -> HttpResponse:
    return _unit_step(
        request, booking_id, _("Has %(name)s left today?"),
        _("This ends the user-controlled stay on the pathway; nights left of the booking are "
          "free again. It cannot be undone."), _("Yes, mark the departure"),
        _("%(name)s has left."),
        lambda actor, booking: services.booking_depart(actor=actor, booking=booking))
