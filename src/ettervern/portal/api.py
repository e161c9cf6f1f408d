"""Consent, next of kin and trust persons, and "what matters to me": the endpoints.

Under the pathway the caller came through (the policy decides on it); a consent belongs to the
patient, so every pathway of the patient shows the same consents.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from ettervern.access.consent_kinds import KINDS, kind_get
from ettervern.access.policy import actor_from_request
from ettervern.api.schemas import ERRORS, In, Text
from ettervern.core import clock
from ettervern.pathways.selectors import pathway_lookup
from ettervern.patients import selectors, services
from ettervern.patients.models import Consent, ConsentEvent, NextOfKin, WhatMatters

router = Router(tags=["consent"])


class KindOut(Schema):
    code: str
    label: str


class PersonIn(In):
    kind: Text = Field(description="next_of_kin or trust_person")
    name: Text = Field(min_length=1, max_length=services.NAME_MAX_LENGTH)
    relation: Text = Field(default="", max_length=services.RELATION_MAX_LENGTH,
                           description="e.g. mother, teacher, NAV advisor, friend")
    national_id: Text = Field(max_length=20, description="Fødselsnummer or D-nummer (11 "
                              "digits), so that their ID-porten sign-in finds them")
    phone: Text = Field(default="", max_length=20)


class PersonOut(Schema):
    id: uuid.UUID
    kind: str
    kind_label: str
    name: str
    relation: str
    phone: str
    can_sign_in: bool = Field(description="A login is linked (after their first sign-in)")


class ConsentIn(In):
    next_of_kin: uuid.UUID = Field(description="The person's id (GET …/next-of-kin)")
    kind: Text = Field(max_length=32, description="A kind's code (GET …/consents: kinds)")
    valid_from: dt.date | None = Field(default=None, description="Default: today")
    valid_until: dt.date | None = Field(default=None, description="Inclusive; null: until "
                                        "withdrawn")
    method: Text = Field(default="digital", description="How the patient gave it, when a "
                         "clinician records it: in_person, phone or in_writing")


class WithdrawIn(In):
    method: Text = Field(default="digital", description="How the patient withdrew it, when a "
                         "clinician records it: in_person, phone or in_writing")


class ConsentOut(Schema):
    id: uuid.UUID
    next_of_kin: uuid.UUID
    next_of_kin_name: str
    kind: str
    kind_label: str
    valid_from: dt.date
    valid_until: dt.date | None
    given_at: dt.datetime
    method: str
    recorded_as: str
    withdrawn_at: dt.datetime | None
    active: bool = Field(description="Gives access today")


class ConsentEventOut(Schema):
    consent: uuid.UUID
    action: str
    at: dt.datetime
    by: str
    recorded_as: str
    method: str


class ConsentsOut(Schema):
    kinds: list[KindOut]
    people: list[PersonOut]
    consents: list[ConsentOut]
    history: list[ConsentEventOut] = Field(description="Every change, newest first")


class WhatMattersIn(In):
    text: Text = Field(default="", max_length=services.WHAT_MATTERS_MAX_LENGTH,
                       description="What the patient wants staff to know")
    contact_preference: Text = Field(default="", max_length=500,
                                     description="How the patient prefers to be contacted")


class WhatMattersOut(Schema):
    text: str
    contact_preference: str
    updated_at: dt.datetime | None


def _person(kin: NextOfKin) -> PersonOut:
    return PersonOut(id=kin.public_id, kind=kin.kind, kind_label=str(kin.get_kind_display()),
                     name=kin.name, relation=kin.relation, phone=kin.phone,
                     can_sign_in=kin.user_id is not None)


def _consent(consent: Consent, active: bool) -> ConsentOut:
    kind = kind_get(consent.kind)
    return ConsentOut(
        id=consent.public_id, next_of_kin=consent.next_of_kin.public_id,
        next_of_kin_name=consent.next_of_kin.name, kind=consent.kind,
        kind_label=str(kind.label) if kind else consent.kind, valid_from=consent.valid_from,
        valid_until=consent.valid_until, given_at=consent.given_at, method=consent.method,
        recorded_as=consent.recorded_as, withdrawn_at=consent.withdrawn_at, active=active)


def _event(event: ConsentEvent) -> ConsentEventOut:
    return ConsentEventOut(consent=event.consent.public_id, action=event.action, at=event.at,
                           by=event.by_name, recorded_as=event.recorded_as, method=event.method)


@router.get("/pathways/{id}/consents", response={200: ConsentsOut, **ERRORS},
            summary="Consents, the people they are given to, and their history")
def consents(request: HttpRequest, id: uuid.UUID) -> ConsentsOut:
    """For the patient and the coordinating clinic; a next of kin gets 404."""
    overview = selectors.consent_overview(actor=actor_from_request(request, "api"),
                                          subject=pathway_lookup(id))
    return ConsentsOut(
        kinds=[KindOut(code=k.code, label=str(k.label)) for k in KINDS],
        people=[_person(kin) for kin in overview.people],
        consents=[_consent(row.consent, row.active) for row in overview.consents],
        history=[_event(event) for event in overview.history])


@router.post("/pathways/{id}/consents", response={201: ConsentOut, **ERRORS},
             summary="Give a consent")
def grant(request: HttpRequest, id: uuid.UUID, payload: ConsentIn) -> Status:
    """The patient, or a clinician recording the patient's decision (with `method`), lets a
    next of kin or trust person see one kind of information for a period."""
    consent = services.consent_grant(
        actor=actor_from_request(request, "api"), subject=pathway_lookup(id),
        next_of_kin=payload.next_of_kin, kind=payload.kind, valid_from=payload.valid_from,
        valid_until=payload.valid_until, method=payload.method)
    return Status(201, _consent(consent, consent.is_active_on(clock.today())))


@router.post("/pathways/{id}/consents/{consent_id}/withdraw",
             response={200: ConsentOut, **ERRORS}, summary="Withdraw a consent")
def withdraw(request: HttpRequest, id: uuid.UUID, consent_id: uuid.UUID,
             payload: WithdrawIn) -> ConsentOut:
    """Counts from the next request of the person it was given to."""
    consent = services.consent_withdraw(actor=actor_from_request(request, "api"),
                                        subject=pathway_lookup(id), consent=consent_id,
                                        method=payload.method)
    return _consent(consent, False)


@router.get("/pathways/{id}/next-of-kin", response={200: list[PersonOut], **ERRORS},
            summary="Next of kin and trust persons")
def people(request: HttpRequest, id: uuid.UUID) -> list[PersonOut]:
    overview = selectors.consent_overview(actor=actor_from_request(request, "api"),
                                          subject=pathway_lookup(id))
    return [_person(kin) for kin in overview.people]


@router.post("/pathways/{id}/next-of-kin", response={201: PersonOut, **ERRORS},
             summary="Add a next of kin or trust person")
def add_person(request: HttpRequest, id: uuid.UUID, payload: PersonIn) -> Status:
    """By the patient or the coordinator, with a valid fødselsnummer or D-nummer."""
    kin = services.next_of_kin_add(
        actor=actor_from_request(request, "api"), subject=pathway_lookup(id), kind=payload.kind,
        name=payload.name, relation=payload.relation, national_id=payload.national_id,
        phone=payload.phone)
    return Status(201, _person(kin))


def _matters(matters: WhatMatters | None) -> WhatMattersOut:
    if matters is None:
        return WhatMattersOut(text="", contact_preference="", updated_at=None)
    return WhatMattersOut(text=matters.text, contact_preference=matters.contact_preference,
                          updated_at=matters.updated_at)


@router.get("/pathways/{id}/what-matters", response={200: WhatMattersOut, **ERRORS},
            summary="What matters to the patient")
def what_matters(request: HttpRequest, id: uuid.UUID) -> WhatMattersOut:
    """For the patient and everyone on the care team."""
    return _matters(selectors.what_matters_get(actor=actor_from_request(request, "api"),
                                               subject=pathway_lookup(id)))


@router.put("/pathways/{id}/what-matters", response={200: WhatMattersOut, **ERRORS},
            summary="Write what matters to me")
def save_what_matters(request: HttpRequest, id: uuid.UUID,
                      payload: WhatMattersIn) -> WhatMattersOut:
    """The patient only."""
    return _matters(services.what_matters_save(
        actor=actor_from_request(request, "api"), subject=pathway_lookup(id),
        text=payload.text, contact_preference=payload.contact_preference))
