"""Writes about the people close to a patient: adding a next of kin or trust person, giving and
withdrawing consent, and "what matters to me". One use case, one transaction each, checked and
audited through the access policy on the subject (the pathway the request came through).

The subject is anything the access policy accepts (`access.policy.Subject`), so this app does
not import the pathways above it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ettervern.access import audit
from ettervern.access.consent_kinds import kind_get
from ettervern.access.policy import (
    CONSENT_MANAGE,
    NEXT_OF_KIN_MANAGE,
    WHAT_MATTERS_EDIT,
    Actor,
    Basis,
    Subject,
    require,
)
from ettervern.core import clock
from ettervern.core.errors import InvalidInput, NotFound, RuleViolation
from ettervern.core.identifiers import parse_national_id
from ettervern.patients.models import Consent, ConsentEvent, NextOfKin, Patient, WhatMatters

NAME_MAX_LENGTH = 100
RELATION_MAX_LENGTH = 100
WHAT_MATTERS_MAX_LENGTH = 2000
CONSENT_GRANTED = "consent.grant"
CONSENT_WITHDRAWN = "consent.withdraw"


def _recorded_as(basis: Basis) -> str:
    return (Consent.RecordedAs.PATIENT if basis.role == "patient"
            else Consent.RecordedAs.CLINICIAN)


def _text(value: str, limit: int, field: str, what: Any, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("%(what)s is required.") % {"what": what}, field=field)
    if len(value) > limit:
        raise InvalidInput(_("%(what)s can be at most %(limit)s characters.")
                           % {"what": what, "limit": limit}, field=field)
    return value


def next_of_kin_add(*, actor: Actor, subject: Subject, kind: str, name: str, relation: str,
                    national_id: str, phone: str = "") -> NextOfKin:
    """Add a next of kin or a trust person, known by fødselsnummer or D-nummer so that their
    ID-porten sign-in finds them. Someone who already has a login as next of kin or as a
    patient elsewhere is linked to it at once."""
    if kind not in NextOfKin.Kind.values:
        raise InvalidInput(_("Choose next of kin or trust person."), field="kind")
    name = _text(name, NAME_MAX_LENGTH, "name", _("The name"))
    relation = _text(relation, RELATION_MAX_LENGTH, "relation", _("The relation"),
                     required=False)
    phone = _text(phone, 20, "phone", _("The phone number"), required=False)
    number = parse_national_id(national_id).value
    with transaction.atomic():
        basis = require(actor, subject, NEXT_OF_KIN_MANAGE)
        patient = Patient.objects.select_for_update().get(pk=subject.audit_patient_id)
        if number == patient.national_id:
            raise InvalidInput(_("That is the patient's own national identity number."),
                               field="national_id")
        if NextOfKin.objects.filter(patient=patient, national_id=number).exists():
            raise RuleViolation(_("This person is already among the patient's next of kin "
                                  "and trust persons."), field="national_id")
        user_id = (NextOfKin.objects.filter(national_id=number, user__isnull=False)
                   .values_list("user_id", flat=True).first()
                   or Patient.objects.filter(national_id=number, user__isnull=False)
                   .values_list("user_id", flat=True).first())
        kin = NextOfKin.objects.create(patient=patient, kind=kind, name=name,
                                       relation=relation, phone=phone, national_id=number,
                                       user_id=user_id, added_by_id=actor.user_pk)
        audit.record(actor, action=NEXT_OF_KIN_MANAGE + ".add", patient_id=patient.pk,
                     obj=kin, pathway_id=subject.audit_pathway_id,
                     basis=basis)
    return kin


def _kin_of(subject: Subject, public_id: Any) -> NextOfKin:
    try:
        return NextOfKin.objects.get(public_id=public_id, patient_id=subject.audit_patient_id)
    except (NextOfKin.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound(_("Not found, or you have no access to it.")) from None


def consent_grant(*, actor: Actor, subject: Subject, next_of_kin: Any, kind: str,
                  valid_from: dt.date | None = None, valid_until: dt.date | None = None,
                  method: str = Consent.Method.DIGITAL) -> Consent:
    """The patient lets `next_of_kin` (public id) see `kind` from `valid_from` (today when not
    given) until `valid_until` (inclusive; None: until withdrawn). Recorded as the patient's
    own act, or as a clinician recording the patient's decision (then `method` says how it was
    given: in person, by phone, in writing)."""
    if kind_get(kind) is None:
        raise InvalidInput(_("Unknown kind of information: %(kind)s.") % {"kind": kind},
                           field="kind")
    if method not in Consent.Method.values:
        raise InvalidInput(_("Say how the consent was given: in person, by phone or in "
                             "writing."), field="method")
    today = clock.today()
    valid_from = valid_from or today
    if valid_until is not None and valid_until < valid_from:
        raise InvalidInput(_("The consent cannot end before it starts."), field="valid_until")
    if valid_until is not None and valid_until < today:
        raise InvalidInput(_("The consent would already have ended. Choose a later end date."),
                           field="valid_until")
    with transaction.atomic():
        basis = require(actor, subject, CONSENT_MANAGE)
        kin = _kin_of(subject, next_of_kin)
        NextOfKin.objects.select_for_update().filter(pk=kin.pk).first()  # one grant at a time
        if Consent.objects.filter(next_of_kin=kin, kind=kind, withdrawn_at__isnull=True).exists():
            raise RuleViolation(_("%(name)s already has this consent. Withdraw it first to "
                                  "change the period.") % {"name": kin.name}, field="kind")
        recorded_as = _recorded_as(basis)
        if recorded_as == Consent.RecordedAs.PATIENT:
            method = Consent.Method.DIGITAL
        elif method == Consent.Method.DIGITAL:
            raise InvalidInput(_("Say how the patient gave the consent: in person, by phone or "
                                 "in writing."), field="method")
        now = clock.now()
        consent = Consent.objects.create(
            patient_id=subject.audit_patient_id, next_of_kin=kin, kind=kind, given_at=now,
            method=method, valid_from=valid_from, valid_until=valid_until,
            recorded_by_id=actor.user_pk, recorded_as=recorded_as)
        ConsentEvent.objects.create(consent=consent, patient_id=consent.patient_id,
                                    action=ConsentEvent.Action.GRANTED, at=now,
                                    by_id=actor.user_pk, by_name=actor.identity[0][:200],
                                    recorded_as=recorded_as, method=method)
        audit.record(actor, action=CONSENT_GRANTED, patient_id=consent.patient_id, obj=consent,
                     pathway_id=subject.audit_pathway_id, basis=basis)
    return consent


def consent_withdraw(*, actor: Actor, subject: Subject, consent: Any,
                     method: str = Consent.Method.DIGITAL) -> Consent:
    """Withdraw a consent (public id); the next request of the next of kin no longer sees
    what it opened. Withdrawing twice changes nothing the second time."""
    with transaction.atomic():
        basis = require(actor, subject, CONSENT_MANAGE)
        try:
            found = (Consent.objects.select_for_update()
                     .get(public_id=consent, patient_id=subject.audit_patient_id))
        except (Consent.DoesNotExist, ValueError, TypeError, DjangoValidationError):
            raise NotFound(_("Not found, or you have no access to it.")) from None
        if found.withdrawn_at is not None:
            return found
        recorded_as = _recorded_as(basis)
        if recorded_as == Consent.RecordedAs.PATIENT:
            method = Consent.Method.DIGITAL
        elif method not in Consent.Method.values:
            raise InvalidInput(_("Say how the consent was withdrawn."), field="method")
        now = clock.now()
        Consent.objects.filter(pk=found.pk).update(withdrawn_at=now, withdrawn_by=actor.user_pk,
                                                   updated_at=now)
        found.withdrawn_at, found.withdrawn_by_id = now, actor.user_pk
        ConsentEvent.objects.create(consent=found, patient_id=found.patient_id,
                                    action=ConsentEvent.Action.WITHDRAWN, at=now,
                                    by_id=actor.user_pk, by_name=actor.identity[0][:200],
                                    recorded_as=recorded_as, method=method)
        audit.record(actor, action=CONSENT_WITHDRAWN, patient_id=found.patient_id, obj=found,
                     pathway_id=subject.audit_pathway_id, basis=basis)
    return found


def what_matters_save(*, actor: Actor, subject: Subject, text: str,
                      contact_preference: str) -> WhatMatters:
    """The patient's own words: what they want staff to know and how they like to be
    contacted. Only the patient writes it (the policy: WHAT_MATTERS_EDIT)."""
    text = _text(text, WHAT_MATTERS_MAX_LENGTH, "text", _("What matters to you"), required=False)
    contact_preference = _text(contact_preference, 500, "contact_preference",
                               _("How you prefer to be contacted"), required=False)
    with transaction.atomic():
        require(actor, subject, WHAT_MATTERS_EDIT)
        now = clock.now()
        matters, created = WhatMatters.objects.select_for_update().get_or_create(
            patient_id=subject.audit_patient_id,
            defaults={"text": text, "contact_preference": contact_preference})
        if not created:
            matters.text, matters.contact_preference = text, contact_preference
            matters.updated_at = now
            matters.version += 1
            matters.save(update_fields=["text", "contact_preference", "updated_at", "version"])
    return matters
