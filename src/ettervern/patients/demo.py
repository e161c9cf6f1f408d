"""The demo's consents: the pasient shares the pathway and the crisis plan with the parorende
(their mother), withdrew the mapping again, names a trust person, and has written what
matters to them."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from ettervern.patients.models import Consent, ConsentEvent, NextOfKin, Patient, WhatMatters


def _event(consent: Consent, action: str, at: dt.datetime, by: User, name: str,
           recorded_as: str, method: str) -> None:
    ConsentEvent.objects.create(consent=consent, patient_id=consent.patient_id, action=action,
                                at=at, by_id=by.pk, by_name=name, recorded_as=recorded_as,
                                method=method)


def demo_consents(*, patient: Patient, kin: NextOfKin, recorded_by: User,
                  patient_user: User, today: dt.date,
                  trust_person_number: str = "") -> None:
    def at(days_ago: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days_ago),
                                                       dt.time(10)))

    staff_name = getattr(getattr(recorded_by, "staff", None), "name", "")
    clinician, patient_self = Consent.RecordedAs.CLINICIAN, Consent.RecordedAs.PATIENT
    given = [("pathway", 110, recorded_by, clinician, Consent.Method.IN_PERSON),
             ("crisis_plan", 40, patient_user, patient_self, Consent.Method.DIGITAL),
             ("mapping", 60, patient_user, patient_self, Consent.Method.DIGITAL),
             ("beds", 30, patient_user, patient_self, Consent.Method.DIGITAL),
             ("meetings", 40, patient_user, patient_self, Consent.Method.DIGITAL)]
    for kind, days_ago, by, recorded_as, method in given:
        consent = Consent.objects.create(
            patient=patient, next_of_kin=kin, kind=kind, given_at=at(days_ago), method=method,
            valid_from=today - dt.timedelta(days=days_ago), recorded_by=by,
            recorded_as=recorded_as)
        name = staff_name if by == recorded_by else patient.full_name
        _event(consent, ConsentEvent.Action.GRANTED, at(days_ago), by, name, recorded_as, method)
        if kind == "mapping":  # the one the patient took back
            consent.withdrawn_at, consent.withdrawn_by = at(20), patient_user
            consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
            _event(consent, ConsentEvent.Action.WITHDRAWN, at(20), patient_user,
                   patient.full_name, patient_self, Consent.Method.DIGITAL)
    NextOfKin.objects.create(patient=patient, kind=NextOfKin.Kind.TRUST_PERSON,
                             name="Tor Haugen", relation="lærer og fotballtrener",
                             phone="+4791234567", national_id=trust_person_number,
                             added_by=patient_user)
    WhatMatters.objects.update_or_create(patient=patient, defaults={
        "text": "Jeg passer ofte niesen min på 9 år. Si fra i god tid "
                "før møter, så jeg får ordnet med henne. Jeg blir urolig i store møter.",
        "contact_preference": "SMS først, ring etter kl. 10. Ikke brev.",
    })
