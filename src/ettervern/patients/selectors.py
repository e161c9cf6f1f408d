"""Reads about the people close to a patient, shared by the portal's pages and the API. Each
passes the access policy on the subject and leaves one audit record."""

from __future__ import annotations

from dataclasses import dataclass

from ettervern.access.consent_kinds import BY_CODE, ConsentKind
from ettervern.access.policy import CONSENT_VIEW, WHAT_MATTERS_VIEW, Actor, Subject, require
from ettervern.core import clock
from ettervern.patients.models import Consent, ConsentEvent, NextOfKin, WhatMatters

# A patient's history is short (a few people, a few kinds); the list is bounded all the same.
MAX_HISTORY = 200


@dataclass
class ConsentRow:
    consent: Consent
    kind: ConsentKind | None
    active: bool


@dataclass
class ConsentOverview:
    people: list[NextOfKin]
    consents: list[ConsentRow]
    history: list[ConsentEvent]


def consent_overview(*, actor: Actor, subject: Subject) -> ConsentOverview:
    """The patient's next of kin and trust persons, every consent (active first) and the
    history of changes, newest first: three queries."""
    require(actor, subject, CONSENT_VIEW)
    patient_id = subject.audit_patient_id
    today = clock.today()
    people = list(NextOfKin.objects.filter(patient_id=patient_id).order_by("name", "id"))
    by_pk = {kin.pk: kin for kin in people}
    consents = []
    for consent in Consent.objects.filter(patient_id=patient_id).order_by("-given_at", "-id"):
        consent.next_of_kin = by_pk[consent.next_of_kin_id]
        kind = BY_CODE.get(consent.kind)
        # In plain words, for the patient's pages (a retired kind shows its code).
        consent.plain_kind = str(kind.plain_label) if kind else consent.kind  # type: ignore[attr-defined]
        consent.kind_label = str(kind.label) if kind else consent.kind  # type: ignore[attr-defined]
        consents.append(ConsentRow(consent=consent, kind=kind,
                                   active=consent.is_active_on(today)))
    consents.sort(key=lambda row: (row.consent.withdrawn_at is not None, not row.active))
    by_consent = {row.consent.pk: row.consent for row in consents}
    history = list(ConsentEvent.objects.filter(patient_id=patient_id)
                   .order_by("-at", "-id")[:MAX_HISTORY])
    for event in history:
        event.consent = by_consent[event.consent_id]
    return ConsentOverview(people=people, consents=consents, history=history)


def what_matters_get(*, actor: Actor, subject: Subject) -> WhatMatters | None:
    """What the patient wrote (None before they wrote anything)."""
    require(actor, subject, WHAT_MATTERS_VIEW)
    return WhatMatters.objects.filter(patient_id=subject.audit_patient_id).first()
