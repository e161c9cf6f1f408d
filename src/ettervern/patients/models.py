"""The patient, their next of kin and the consent they give. Read only through the access policy."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ettervern.access.consent_kinds import CODE_MAX_LENGTH
from ettervern.core.identifiers import DNR, FNR, HNR
from ettervern.core.models import BaseModel
from ettervern.directory.models import Organisation

# A given or a family name, in characters (the services refuse longer ones; see pathway_open).
NAME_MAX_LENGTH = 100


class Patient(BaseModel):
    class IdKind(models.TextChoices):
        FNR_ = FNR, _("Fødselsnummer")
        DNR_ = DNR, _("D-nummer")
        HNR_ = HNR, _("H-nummer")

    national_id = models.CharField(max_length=11, unique=True)
    id_kind = models.CharField(max_length=3, choices=IdKind.choices)
    given_name = models.CharField(max_length=NAME_MAX_LENGTH)
    family_name = models.CharField(max_length=NAME_MAX_LENGTH)
    birth_date = models.DateField()
    municipality = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(max_length=20, blank=True)
    # Set when the patient signs in (ID-porten later, a local login in demo).
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="patient")

    class Meta:
        verbose_name = _("patient")

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def __str__(self) -> str:
        return self.full_name


class NextOfKin(BaseModel):
    """Someone close to the patient: a next of kin (pårørende) or a trust person
    (tillitsperson, anyone the patient names: a teacher, a NAV advisor, a friend, also a staff
    member). They see only what the patient's consents grant (access.consent_kinds)."""

    class Kind(models.TextChoices):
        NEXT_OF_KIN = "next_of_kin", _("Next of kin")
        TRUST_PERSON = "trust_person", _("Trust person")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="next_of_kin")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEXT_OF_KIN)
    name = models.CharField(max_length=200)
    relation = models.CharField(max_length=100)
    phone = models.CharField(max_length=20, blank=True)
    # Known when the next of kin is to sign in with ID-porten (matched on the pid claim).
    national_id = models.CharField(max_length=11, blank=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="next_of_kin_roles")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("next of kin")
        constraints = [
            models.UniqueConstraint(fields=["patient", "national_id"],
                                    condition=~Q(national_id=""),
                                    name="nextofkin_one_per_person_and_patient"),
        ]

    def __str__(self) -> str:
        return self.name


class Consent(BaseModel):
    """The patient lets one next of kin or trust person see one kind of information
    (a code of access.consent_kinds.KINDS) from `valid_from` until `valid_until` (inclusive) or
    until withdrawn. The access policy reads it on every request, so a withdrawal counts on the
    next one. Changes are kept in ConsentEvent (the history the patient sees) and audited."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        IN_WRITING = "in_writing", _("In writing")
        DIGITAL = "digital", _("In the app")

    class RecordedAs(models.TextChoices):
        PATIENT = "patient", _("The patient")
        CLINICIAN = "clinician", _("A clinician, on the patient's decision")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    next_of_kin = models.ForeignKey(NextOfKin, on_delete=models.PROTECT, related_name="consents")
    # A code from access.consent_kinds.KINDS (not choices: adding a kind needs no migration).
    kind = models.CharField(max_length=CODE_MAX_LENGTH)
    given_at = models.DateTimeField()
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.IN_PERSON)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_as = models.CharField(max_length=20, choices=RecordedAs.choices,
                                   default=RecordedAs.PATIENT)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["next_of_kin", "kind"],
                                    condition=Q(withdrawn_at__isnull=True),
                                    name="consent_one_active_per_kind"),
            models.CheckConstraint(condition=Q(valid_until__isnull=True)
                                   | Q(valid_until__gte=models.F("valid_from")),
                                   name="consent_period_ends_after_start"),
        ]

    def is_active_on(self, day: dt.date) -> bool:
        return (self.withdrawn_at is None and self.valid_from <= day
                and (self.valid_until is None or self.valid_until >= day))


class ConsentEvent(models.Model):
    """One change of a consent (given, withdrawn), kept for the patient's history."""

    class Action(models.TextChoices):
        GRANTED = "granted", _("Given")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="events")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField(max_length=200, blank=True)
    recorded_as = models.CharField(max_length=20, choices=Consent.RecordedAs.choices)
    method = models.CharField(max_length=20, choices=Consent.Method.choices, blank=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "-at"], name="consentevent_patient_at")]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"


class WhatMatters(BaseModel):
    """"What matters to me": what the patient wants staff to know, and how they prefer to be
    contacted. Written by the patient only; staff see it at the top of the pathway."""

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="what_matters")
    text = models.TextField(blank=True)
    contact_preference = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.text[:50]
