"""User-controlled beds: programmes, capacity per day, agreements and bookings.

A stay booked from `arrival` to `departure` occupies the nights arrival … departure − 1: its
length in days (døgn) is `departure − arrival`. Capacity is held per programme and night in
BedNight rows; a booking takes one bed of each of its nights, and the database refuses a night
with more booked than its capacity (bednight_within_capacity), whatever the services do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ettervern.access.policy import Basis
from ettervern.core.models import BaseModel
from ettervern.directory.models import Unit
from ettervern.pathways.models import Pathway, Stay
from ettervern.patients.models import Patient

TEXT_MAX_LENGTH = 2000       # prerequisites, content, conditions
NOTE_MAX_LENGTH = 1000       # a contact note, a refusal's or a cancellation's note
# A programme's limits may not exceed these (a typing error is refused, not published).
MAX_STAY_DAYS = 14
MAX_BOOK_AHEAD_DAYS = 365
MAX_BEDS = 50


def _within(field: str, limit: int, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


class TargetGroup(models.Model):
    """Who a programme is for (adults, young adults, women, LAR …): data, so that the search
    filters on the same words every unit uses."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name


class Programme(BaseModel):
    """A residential unit's programme for user-controlled beds, published for every region."""

    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="bed_programme",
                                verbose_name=_("unit"))
    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="programmes",
                                           verbose_name=_("target groups"))
    gender_separated = models.BooleanField(_("gender-separated"), default=False)
    prerequisites = models.TextField(_("prerequisites for a stay"), max_length=TEXT_MAX_LENGTH,
                                     blank=True)
    content = models.TextField(_("content of the stay"), max_length=TEXT_MAX_LENGTH, blank=True)
    min_stay_days = models.PositiveSmallIntegerField(_("shortest stay (days)"), default=1)
    max_stay_days = models.PositiveSmallIntegerField(_("longest stay (days)"), default=5)
    min_days_between = models.PositiveSmallIntegerField(_("days between stays (at least)"),
                                                        default=14)
    book_ahead_days = models.PositiveSmallIntegerField(_("bookable up to (days ahead)"),
                                                       default=60)
    min_notice_days = models.PositiveSmallIntegerField(
        _("book at least (days before arrival)"), default=0)
    offer_after_discharge_days = models.PositiveSmallIntegerField(
        _("offer stands after discharge (days)"), default=365)
    standard_agreement_days = models.PositiveSmallIntegerField(
        _("standard agreement length (days)"), default=182)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_note = models.TextField(_("how to reach the unit"), max_length=NOTE_MAX_LENGTH,
                                    blank=True)
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(min_stay_days__gte=1, max_stay_days__lte=MAX_STAY_DAYS,
                            min_stay_days__lte=F("max_stay_days")),
                name="programme_stay_length"),
            models.CheckConstraint(
                condition=Q(book_ahead_days__gte=1, book_ahead_days__lte=MAX_BOOK_AHEAD_DAYS,
                            min_notice_days__lt=F("book_ahead_days")),
                name="programme_booking_window"),
            _within("prerequisites", TEXT_MAX_LENGTH, "programme_prerequisites_max"),
            _within("content", TEXT_MAX_LENGTH, "programme_content_max"),
            _within("contact_note", NOTE_MAX_LENGTH, "programme_contact_note_max"),
        ]
        indexes = [models.Index(fields=["published"], name="programme_published")]
        verbose_name = _("user-controlled bed programme")
        verbose_name_plural = _("user-controlled bed programmes")

    def __str__(self) -> str:
        return str(self.unit)


class CapacityChange(models.Model):
    """From `valid_from` on, the programme sets aside `beds` beds per night (until the next
    change). Kept as history: the capacity of a night is the latest change on or before it."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT,
                                  related_name="capacity_changes")
    valid_from = models.DateField(_("from"))
    beds = models.PositiveSmallIntegerField(_("beds per night"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["programme", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "valid_from"],
                                    name="capacity_one_change_per_day"),
            models.CheckConstraint(condition=Q(beds__lte=MAX_BEDS), name="capacity_beds_max"),
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.beds}"


class BedNight(models.Model):
    """One night of a programme: its capacity and how many beds are booked. A row exists once
    a night has been booked or its capacity changed; until then the night has the capacity of
    the schedule and nothing booked. Bookings lock these rows in the order of their dates."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="nights")
    night = models.DateField()
    capacity = models.PositiveSmallIntegerField()
    booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "night"], name="bednight_unique"),
            # No double booking, ever: the database's own guard.
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")),
                                   name="bednight_within_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.night}: {self.booked}/{self.capacity}"


class Agreement(BaseModel):
    """The patient's agreement with a unit: time-limited, a number of stays of a number of
    days each, conditions; the patient accepts it in their portal before booking."""

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="bed_agreements")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="bed_agreements")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="agreements",
                                  verbose_name=_("unit"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    max_stays = models.PositiveSmallIntegerField(_("stays at most"))
    max_days_per_stay = models.PositiveSmallIntegerField(_("days per stay at most"))
    conditions = models.TextField(_("conditions"), max_length=TEXT_MAX_LENGTH, blank=True)
    # The crisis plan shows the agreement (and says how to book) when this is set.
    in_crisis_plan = models.BooleanField(_("shown in the crisis plan"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")),
                                   name="agreement_period"),
            models.CheckConstraint(condition=Q(max_stays__gte=1, max_days_per_stay__gte=1),
                                   name="agreement_limits"),
            _within("conditions", TEXT_MAX_LENGTH, "agreement_conditions_max"),
        ]
        indexes = [models.Index(fields=["patient", "-valid_to"], name="agreement_by_patient"),
                   models.Index(fields=["pathway"], name="agreement_by_pathway"),
                   models.Index(fields=["programme", "-created_at"],
                                name="agreement_by_programme")]

    def __str__(self) -> str:
        return f"{self.programme} {self.valid_from}–{self.valid_to}"

    # An agreement is an access subject: its pathway's bases, and the unit's staff.
    @property
    def audit_patient_id(self) -> int:
        return self.patient_id

    @property
    def audit_pathway_id(self) -> int | None:
        return self.pathway_id

    def access_bases(self, user: AbstractBaseUser) -> Sequence[Basis]:
        from ettervern.beds.access import agreement_bases

        return agreement_bases(user, self)

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_to


class Booking(BaseModel):
    """A stay booked under an agreement, from arrival to departure."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", pgettext_lazy("booking", "Cancelled")
        REFUSED = "refused", _("Refused by the unit")
        ARRIVED = "arrived", _("Arrived")
        DEPARTED = "departed", _("Departed")

    class RefusalReason(models.TextChoices):
        CONDITIONS = "conditions", _("The conditions of the agreement were not met")
        HEALTH = "health", _("The patient needed another kind of help")
        SAFETY = "safety", _("Safety in the unit")
        NO_SHOW = "no_show", _("The patient did not come")
        OTHER = "other", _("Other")

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="bookings")
    # Kept here so the unit's day list and the usage figures read this table alone.
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="bookings")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="bed_bookings")
    arrival = models.DateField(_("arrival"))
    departure = models.DateField(_("departure"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BOOKED)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(max_length=16, choices=RefusalReason.choices, blank=True)
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    stay = models.OneToOneField(Stay, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="bed_booking")
    departed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["arrival", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(departure__gt=F("arrival")),
                                   name="booking_departure_after_arrival"),
            models.CheckConstraint(condition=~Q(status="refused") | ~Q(refusal_reason=""),
                                   name="booking_refusal_has_reason"),
            _within("note", NOTE_MAX_LENGTH, "booking_note_max"),
        ]
        indexes = [models.Index(fields=["programme", "arrival"], name="booking_by_arrival"),
                   models.Index(fields=["programme", "departure"], name="booking_by_departure"),
                   models.Index(fields=["agreement", "status"], name="booking_by_agreement")]

    def __str__(self) -> str:
        return f"{self.arrival}–{self.departure} ({self.status})"

    @property
    def days(self) -> int:
        return (self.departure - self.arrival).days

    @property
    def is_active(self) -> bool:
        """Counts against the agreement and holds beds (not cancelled or refused)."""
        return self.status in ACTIVE_STATUSES

    # A booking is judged by its agreement's bases.
    @property
    def audit_patient_id(self) -> int:
        return self.patient_id

    @property
    def audit_pathway_id(self) -> int | None:
        return self.agreement.pathway_id

    def access_bases(self, user: AbstractBaseUser) -> Sequence[Basis]:
        return self.agreement.access_bases(user)


ACTIVE_STATUSES = (Booking.Status.BOOKED, Booking.Status.ARRIVED, Booking.Status.DEPARTED)
