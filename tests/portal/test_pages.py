"""The patient's portal and what a next of kin or trust person sees: plain pages, exactly what
was shared (404 otherwise), give and withdraw on the page, bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ettervern.core import clock
from ettervern.patients import services
from ettervern.patients.models import Consent, ConsentEvent, NextOfKin, WhatMatters
from ettervern.portal.sections import Section, register, sections
from tests import factories
from tests.pathways.helpers import act

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(user)
    return client


@pytest.fixture
def sister(pathway):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("soster", password=None)
    return NextOfKin.objects.create(patient_id=pathway.patient_id, name="Siri Nordmann",
                                    relation="søster", user=user,
                                    national_id=factories.national_id())


def test_the_patient_lands_on_the_portal_with_every_section(pathway, patient_user):
    client = client_of(patient_user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    html = response.content.decode()
    for text in ("Mitt neste steg", "Min kriseplan", "Planen min", "Hvordan det går",
                 "Min koordinator", pathway.coordinator.name, "Dette er viktig for meg",
                 "Hvem kan se opplysningene mine", 'href="/meg/innsyn/"',
                 "Hvem har sett mine opplysninger"):
        assert text in html, text
    assert "<table" not in html


def test_the_portal_costs_a_fixed_number_of_queries(pathway, patient_user, sister):
    client = client_of(patient_user)
    client.get(reverse("portal:home"))
    services.consent_grant(actor=act(patient_user), subject=pathway,
                           next_of_kin=sister.public_id, kind="plan")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("portal:home")).status_code == 200
    # Session, user, the standing, the pathway's id, the pathway, the bases, the audit row,
    # stays, the plan, the mapping, what matters, the consents, the emergency accesses (rights'
    # card), the bed agreements (beds' card), the thread with the clinic (messaging's card),
    # the menu's notification badge, the patient's tasks (tasks' card), the coming meetings
    # (meetings' card) (and the session's touch).
    assert len(ctx.captured_queries) <= 20, [q["sql"] for q in ctx.captured_queries]


def test_a_section_is_added_without_editing_the_portal(pathway, patient_user, monkeypatch):
    from ettervern.portal import sections as registry

    monkeypatch.setattr(registry, "_SECTIONS", dict(registry._SECTIONS))
    register(Section("beds", 35, "portal/cards/coordinator.html",
                     lambda page: {"coordinator": None, "unit": {"name": "Sengeposten"}}))
    keys = [s.key for s in sections()]
    assert keys.index("beds") == keys.index("plan") + 1  # order 35: after the plan (30)
    assert "Sengeposten" in client_of(patient_user).get(reverse("portal:home")).content.decode()


def test_the_patient_grants_and_withdraws_on_the_page(pathway, patient_user, sister):
    client = client_of(patient_user)
    page = client.get(reverse("portal:consents")).content.decode()
    assert "Siri Nordmann" in page
    response = client.post(reverse("portal:consent_grant"), {
        "grant-next_of_kin": str(sister.public_id), "grant-kinds": ["plan", "crisis_plan"]})
    assert response.status_code == 302
    assert set(Consent.objects.filter(next_of_kin=sister).values_list("kind", flat=True)) == {
        "plan", "crisis_plan"}
    consent = Consent.objects.get(next_of_kin=sister, kind="plan")
    response = client.post(reverse("portal:consent_withdraw", args=[consent.public_id]))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    page = client.get(reverse("portal:consents")).content.decode()
    assert "Samtykke trukket tilbake fra Siri Nordmann: Din plan." in page
    assert "Samtykke gitt til Siri Nordmann: Kriseplanen din." in page


def test_a_period_that_ends_in_the_past_is_refused_on_the_page(pathway, patient_user, sister):
    response = client_of(patient_user).post(reverse("portal:consent_grant"), {
        "grant-next_of_kin": str(sister.public_id), "grant-kinds": ["plan", "mapping"],
        "grant-valid_until": str(clock.today() - dt.timedelta(days=1))})
    assert response.status_code == 422
    assert "Samtykket kan ikke slutte før det begynner" in response.content.decode()
    assert not Consent.objects.exists() and not ConsentEvent.objects.exists()


def test_adding_a_person_with_a_bad_number_stores_nothing(pathway, patient_user):
    response = client_of(patient_user).post(reverse("portal:person_add"), {
        "person-kind": "trust_person", "person-name": "Tor", "person-national_id": "12345678901"})
    assert response.status_code == 422
    assert "kontrollsifrene" in response.content.decode().lower()
    assert not NextOfKin.objects.exists()


def test_adding_a_trust_person_on_the_page(pathway, patient_user):
    response = client_of(patient_user).post(reverse("portal:person_add"), {
        "person-kind": "trust_person", "person-name": "Tor Haugen", "person-relation": "lærer",
        "person-national_id": factories.national_id()})
    assert response.status_code == 302
    assert NextOfKin.objects.get().kind == NextOfKin.Kind.TRUST_PERSON


def test_what_matters_is_written_by_the_patient_and_shown_to_staff(pathway, patient_user,
                                                                    coordinator, sister):
    client = client_of(patient_user)
    response = client.post(reverse("portal:what_matters"), {
        "text": "Jeg har en datter på 9 år.", "contact_preference": "SMS først"})
    assert response.status_code == 302
    services.consent_grant(actor=act(patient_user), subject=pathway,
                           next_of_kin=sister.public_id, kind="pathway")
    html = client_of(coordinator.user).get(
        reverse("pathways:pathway", args=[pathway.public_id])).content.decode()
    top = html.index("Dette er viktig for pasienten")
    assert top < html.index("Teamet rundt pasienten") if "Teamet rundt pasienten" in html else True
    assert "Jeg har en datter på 9 år." in html and "SMS først" in html
    assert "Siri Nordmann" in html and "Pasienten deler: Oversikt over forløpet" in html
    # The next of kin sees the pathway in plain words, and not what matters.
    kin_html = client_of(sister.user).get(
        reverse("pathways:pathway", args=[pathway.public_id])).content.decode()
    assert "Jeg har en datter" not in kin_html and "Teamet rundt pasienten" not in kin_html
    assert WhatMatters.objects.get().contact_preference == "SMS først"


def test_a_next_of_kin_sees_exactly_what_was_shared(pathway, patient_user, sister, coordinator):
    services.consent_grant(actor=act(patient_user), subject=pathway,
                           next_of_kin=sister.public_id, kind="crisis_plan")
    client = client_of(sister.user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:shared")
    html = response.content.decode()
    assert pathway.patient.full_name in html
    crisis = reverse("planning:crisis_plan", args=[pathway.public_id])
    assert crisis in html
    assert client.get(crisis).status_code == 200
    # Not shared: 404, as if it did not exist; another patient's pathway: 404 as well.
    other = factories.open_pathway(coordinator)
    for name in ("pathways:pathway", "planning:plan", "planning:mapping_overview",
                 "planning:checklist"):
        assert client.get(reverse(name, args=[pathway.public_id])).status_code == 404, name
        assert client.get(reverse(name, args=[other.public_id])).status_code == 404, name
    assert client.get(reverse("planning:crisis_plan", args=[other.public_id])).status_code == 404
    # The portal's own pages are the patient's: a next of kin is sent to what is shared.
    assert client.get(reverse("portal:consents"))["Location"] == reverse("portal:shared")


def test_right_after_withdrawal_and_after_the_period_the_next_of_kin_gets_404(
        pathway, patient_user, sister):
    consent = services.consent_grant(actor=act(patient_user), subject=pathway,
                                     next_of_kin=sister.public_id, kind="plan",
                                     valid_until=clock.today() + dt.timedelta(days=2))
    from ettervern.planning.plan.models import Plan

    Plan.objects.create(pathway=pathway)
    client = client_of(sister.user)
    plan_url = reverse("planning:plan", args=[pathway.public_id])
    assert client.get(plan_url).status_code == 200
    later = dt.datetime.combine(clock.today() + dt.timedelta(days=3), dt.time(12), tzinfo=dt.UTC)
    with clock.frozen(later):
        assert client_of(sister.user).get(plan_url).status_code == 404
    services.consent_withdraw(actor=act(patient_user), subject=pathway,
                              consent=consent.public_id)
    assert client.get(plan_url).status_code == 404


def test_a_staff_member_who_is_a_trust_person_gets_the_plain_page(pathway, patient_user):
    teacher = factories.staff(units=[factories.unit()], username="laerer")
    kin = NextOfKin.objects.create(patient_id=pathway.patient_id, name=teacher.name,
                                   relation="kollega", kind=NextOfKin.Kind.TRUST_PERSON,
                                   user=teacher.user)
    services.consent_grant(actor=act(patient_user), subject=pathway,
                           next_of_kin=kin.public_id, kind="pathway")
    html = client_of(teacher.user).get(
        reverse("pathways:pathway", args=[pathway.public_id])).content.decode()
    assert "Forløpet til" in html  # the plain page's heading for someone close
    assert "Teamet rundt pasienten" not in html and "Legg til i teamet" not in html


def test_the_coordinator_records_a_consent_given_by_phone_and_withdraws_it(pathway, coordinator,
                                                                          gp):
    client = client_of(coordinator.user)
    page = reverse("portal:staff_consents", args=[pathway.public_id])
    html = client.get(reverse("pathways:pathway", args=[pathway.public_id])).content.decode()
    assert page in html
    response = client.post(reverse("portal:staff_person_add", args=[pathway.public_id]), {
        "person-kind": "next_of_kin", "person-name": "Randi Tveit", "person-relation": "mor",
        "person-national_id": factories.national_id()})
    assert response.status_code == 302
    kin = NextOfKin.objects.get()
    response = client.post(reverse("portal:staff_consent_record", args=[pathway.public_id]), {
        "record-next_of_kin": str(kin.public_id), "record-kinds": ["pathway"],
        "record-method": "phone"})
    assert response.status_code == 302, response.content.decode()
    consent = Consent.objects.get()
    assert consent.method == "phone" and consent.recorded_as == "clinician"
    html = client.get(page).content.decode()
    assert "Randi Tveit" in html and "på telefon" in html.lower()
    response = client.post(reverse("portal:staff_consent_withdraw",
                                   args=[pathway.public_id, consent.public_id]),
                           {"withdraw-method": "in_writing"})
    assert response.status_code == 302
    assert ConsentEvent.objects.filter(action="withdrawn", method="in_writing").count() == 1
    # The GP reads the pathway but not the consents (a read refused: 404).
    assert client_of(gp.user).get(page).status_code == 404
    assert page not in client_of(gp.user).get(
        reverse("pathways:pathway", args=[pathway.public_id])).content.decode()


def test_a_patient_without_a_pathway_gets_not_found(pathway, coordinator):
    from ettervern.patients.models import Patient

    user = get_user_model().objects.create_user("ny", password=None)
    Patient.objects.create(national_id=factories.national_id(), id_kind="fnr", given_name="Ny",
                           family_name="Pasient", birth_date=dt.date(1990, 1, 1), user=user)
    response = client_of(user).get(reverse("portal:home"))
    assert response.status_code == 404
    assert "Ikke funnet" in response.content.decode()


def test_the_plan_and_mapping_speak_to_the_next_of_kin_as_such(pathway, patient_user, sister):
    from ettervern.planning.plan.models import Plan

    Plan.objects.create(pathway=pathway, patient_contribution="Jeg går tur hver dag.")
    for kind in ("plan", "mapping"):
        services.consent_grant(actor=act(patient_user), subject=pathway,
                               next_of_kin=sister.public_id, kind=kind)
    client = client_of(sister.user)
    html = client.get(reverse("planning:plan", args=[pathway.public_id])).content.decode()
    assert f"Planen til {pathway.patient.full_name}" in html
    assert reverse("portal:shared") in html and "Send kommentar" not in html
    html = client.get(reverse("planning:mapping_overview",
                              args=[pathway.public_id])).content.decode()
    assert reverse("portal:shared") in html
    assert f'href="{reverse("pathways:pathway", args=[pathway.public_id])}"' not in html


def test_a_staff_trust_person_with_the_plan_only_has_no_row_on_their_worklist(pathway,
                                                                              patient_user):
    """The worklist's row shows the pathway overview, which only that kind opens."""
    from ettervern.access.models import AuditEvent

    teacher = factories.staff(units=[factories.unit()], username="laerer2")
    kin = NextOfKin.objects.create(patient_id=pathway.patient_id, name=teacher.name,
                                   relation="kollega", kind=NextOfKin.Kind.TRUST_PERSON,
                                   user=teacher.user)
    consent = services.consent_grant(actor=act(patient_user), subject=pathway,
                                     next_of_kin=kin.public_id, kind="plan")
    client = client_of(teacher.user)
    worklist = client.get(reverse("pathways:worklist")).content.decode()
    assert pathway.patient.full_name not in worklist
    html = client.get(reverse("portal:shared")).content.decode()
    assert pathway.patient.full_name in html
    assert reverse("planning:plan", args=[pathway.public_id]) in html
    listed = AuditEvent.objects.filter(actor_id=teacher.user_id, action="pathway.list").get()
    assert listed.basis == f"consent:plan {consent.public_id}"
