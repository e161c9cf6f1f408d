"""Consent by kind: giving, withdrawing, periods, the basis the policy names, the history, and
bad input that changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from ettervern.access.models import AuditEvent
from ettervern.access.policy import CRISIS_VIEW, MAPPING_VIEW, PLAN_VIEW, VIEW, require
from ettervern.core import clock
from ettervern.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from ettervern.patients import selectors, services
from ettervern.patients.models import Consent, ConsentEvent, NextOfKin, WhatMatters
from tests import factories
from tests.pathways.helpers import act

pytestmark = pytest.mark.django_db


@pytest.fixture
def sister(pathway):  # type: ignore[no-untyped-def]
    """A next of kin who can sign in, with no consent yet."""
    user = get_user_model().objects.create_user("soster", password=None)
    return NextOfKin.objects.create(patient_id=pathway.patient_id, name="Siri Nordmann",
                                    relation="søster", user=user,
                                    national_id=factories.national_id())


def _grant(actor, pathway, kin, kind, **kwargs):  # type: ignore[no-untyped-def]
    return services.consent_grant(actor=actor, subject=pathway, next_of_kin=kin.public_id,
                                  kind=kind, **kwargs)


def test_the_patient_grants_one_kind_and_the_basis_names_the_consent(pathway, patient_user,
                                                                      sister):
    consent = _grant(act(patient_user), pathway, sister, "plan")
    assert consent.recorded_as == Consent.RecordedAs.PATIENT
    assert consent.method == Consent.Method.DIGITAL
    assert consent.valid_from == clock.today() and consent.valid_until is None
    basis = require(act(sister.user), pathway, PLAN_VIEW)
    assert basis.role == "consent:plan" and basis.detail == str(consent.public_id)
    event = AuditEvent.objects.latest("id")
    assert event.action == PLAN_VIEW and event.basis == f"consent:plan {consent.public_id}"
    # The plan only: not the pathway, the crisis plan or the mapping (404: nothing leaks).
    for action in (VIEW, CRISIS_VIEW, MAPPING_VIEW):
        with pytest.raises(NotFound):
            require(act(sister.user), pathway, action)
    assert AuditEvent.objects.filter(action="consent.grant",
                                     object_id=str(consent.public_id)).count() == 1


def test_a_clinician_records_the_patients_decision_with_how_it_was_given(
        pathway, coordinator, sister):
    consent = _grant(act(coordinator), pathway, sister, "crisis_plan",
                     method=Consent.Method.PHONE)
    assert consent.recorded_as == Consent.RecordedAs.CLINICIAN
    assert consent.method == Consent.Method.PHONE
    assert consent.recorded_by_id == coordinator.user_id
    with pytest.raises(InvalidInput):  # a clinician must say how it was given
        _grant(act(coordinator), pathway, sister, "mapping")


def test_withdrawal_counts_on_the_next_request_and_is_kept_in_the_history(
        pathway, patient_user, sister):
    consent = _grant(act(patient_user), pathway, sister, "pathway")
    assert require(act(sister.user), pathway, VIEW).role == "consent:pathway"
    services.consent_withdraw(actor=act(patient_user), subject=pathway,
                              consent=consent.public_id)
    with pytest.raises(NotFound):
        require(act(sister.user), pathway, VIEW)
    overview = selectors.consent_overview(actor=act(patient_user), subject=pathway)
    assert [e.action for e in overview.history] == ["withdrawn", "granted"]
    assert [row.active for row in overview.consents] == [False]
    # Withdrawing again changes nothing.
    services.consent_withdraw(actor=act(patient_user), subject=pathway,
                              consent=consent.public_id)
    assert ConsentEvent.objects.filter(consent=consent).count() == 2


def test_a_consent_counts_only_within_its_period(pathway, patient_user, sister):
    today = clock.today()
    consent = _grant(act(patient_user), pathway, sister, "pathway",
                     valid_from=today + dt.timedelta(days=2),
                     valid_until=today + dt.timedelta(days=5))
    with pytest.raises(NotFound):  # not yet
        require(act(sister.user), pathway, VIEW)
    later = dt.datetime.combine(today + dt.timedelta(days=3), dt.time(12), tzinfo=dt.UTC)
    with clock.frozen(later):
        assert require(act(sister.user), pathway, VIEW).detail == str(consent.public_id)
    expired = dt.datetime.combine(today + dt.timedelta(days=6), dt.time(12), tzinfo=dt.UTC)
    with clock.frozen(expired), pytest.raises(NotFound):
        require(act(sister.user), pathway, VIEW)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"kind": "bed_agreement"}, "kind"),
    ({"kind": "plan", "valid_from": dt.date(2030, 5, 2), "valid_until": dt.date(2030, 5, 1)},
     "valid_until"),
    ({"kind": "plan", "valid_until": dt.date(2001, 1, 1)}, "valid_until"),
    ({"kind": "plan", "method": "pigeon"}, "method"),
])
def test_bad_input_is_refused_and_nothing_is_stored(pathway, patient_user, sister, kwargs,
                                                    field):
    before = (Consent.objects.count(), ConsentEvent.objects.count())
    with pytest.raises(InvalidInput) as refused:
        services.consent_grant(actor=act(patient_user), subject=pathway,
                               next_of_kin=sister.public_id, **kwargs)
    assert refused.value.field == field
    assert (Consent.objects.count(), ConsentEvent.objects.count()) == before


def test_one_active_consent_per_person_and_kind(pathway, patient_user, sister):
    _grant(act(patient_user), pathway, sister, "plan")
    with pytest.raises(RuleViolation):
        _grant(act(patient_user), pathway, sister, "plan")


def test_only_the_patient_and_the_clinic_manage_consent(pathway, sister, gp, kin_user,
                                                        outsider):
    with pytest.raises(Forbidden):
        _grant(act(gp), pathway, sister, "plan")
    with pytest.raises(Forbidden):  # a next of kin cannot give themselves more
        _grant(act(kin_user), pathway, sister, "plan")
    with pytest.raises(NotFound):
        _grant(act(outsider), pathway, sister, "plan")
    assert not Consent.objects.filter(next_of_kin=sister).exists()


def test_a_consent_of_another_patient_cannot_be_named(pathway, patient_user, coordinator):
    other = factories.open_pathway(coordinator)
    stranger = NextOfKin.objects.create(patient_id=other.patient_id, name="X", relation="y")
    with pytest.raises(NotFound):
        _grant(act(patient_user), pathway, stranger, "plan")


def test_adding_a_trust_person_by_fodselsnummer(pathway, patient_user, coordinator):
    number = factories.national_id()
    kin = services.next_of_kin_add(actor=act(patient_user), subject=pathway,
                                   kind=NextOfKin.Kind.TRUST_PERSON, name="Tor Haugen",
                                   relation="lærer", national_id=number)
    assert kin.kind == NextOfKin.Kind.TRUST_PERSON and kin.national_id == number
    assert kin.added_by_id == patient_user.pk
    with pytest.raises(RuleViolation):  # the same person twice
        services.next_of_kin_add(actor=act(coordinator), subject=pathway,
                                 kind=NextOfKin.Kind.NEXT_OF_KIN, name="Tor", relation="",
                                 national_id=number)


def test_someone_who_signed_in_before_is_linked_at_once(pathway, coordinator):
    """A next of kin of another patient, known by number, who signs in already: linked."""
    number = factories.national_id()
    other = factories.open_pathway(coordinator)
    user = get_user_model().objects.create_user("kjent", password=None)
    NextOfKin.objects.create(patient_id=other.patient_id, name="Ola", relation="bror",
                             national_id=number, user=user)
    kin = services.next_of_kin_add(actor=act(coordinator), subject=pathway,
                                   kind=NextOfKin.Kind.NEXT_OF_KIN, name="Ola", relation="bror",
                                   national_id=number[:6] + " " + number[6:])
    assert kin.user_id == user.pk
    # Linked, yet sees nothing of this patient until a consent is given.
    with pytest.raises(NotFound):
        require(act(user), pathway, VIEW)


@pytest.mark.parametrize("number", ["12345678901", "1234", "abcdefghijk", ""])
def test_an_invalid_fodselsnummer_stores_nothing(pathway, patient_user, number):
    before = NextOfKin.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.next_of_kin_add(actor=act(patient_user), subject=pathway,
                                 kind=NextOfKin.Kind.NEXT_OF_KIN, name="Mor", relation="mor",
                                 national_id=number)
    assert refused.value.field == "national_id"
    assert NextOfKin.objects.count() == before


def test_what_matters_is_written_by_the_patient_and_read_by_the_team(pathway, patient_user, gp,
                                                                      kin_user):
    services.what_matters_save(actor=act(patient_user), subject=pathway, text="Min datter",
                               contact_preference="SMS")
    services.what_matters_save(actor=act(patient_user), subject=pathway, text="Min sønn",
                               contact_preference="SMS")
    matters = selectors.what_matters_get(actor=act(gp), subject=pathway)
    assert matters is not None and matters.text == "Min sønn" and matters.version == 2
    with pytest.raises(Forbidden):
        services.what_matters_save(actor=act(gp), subject=pathway, text="x",
                                   contact_preference="")
    with pytest.raises(NotFound):  # a next of kin does not read it
        selectors.what_matters_get(actor=act(kin_user), subject=pathway)
    assert WhatMatters.objects.count() == 1


def test_the_id_porten_sign_in_finds_a_trust_person_added_by_number(pathway, patient_user):
    from ettervern.oidc.identity import _citizen_user

    number = factories.national_id()
    kin = services.next_of_kin_add(actor=act(patient_user), subject=pathway,
                                   kind=NextOfKin.Kind.TRUST_PERSON, name="Tor Haugen",
                                   relation="lærer", national_id=number)
    services.consent_grant(actor=act(patient_user), subject=pathway,
                           next_of_kin=kin.public_id, kind="pathway")
    user = _citizen_user(number, {"given_name": "Tor", "family_name": "Haugen"})
    kin.refresh_from_db()
    assert kin.user_id == user.pk
    assert require(act(user), pathway, VIEW).role == "consent:pathway"
