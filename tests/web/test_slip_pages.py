"""The pages around the slips users stumbled on: closing and reopening, pickers, the new-patient
form, the phase form, dates, and what each role is offered."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.directory.models import Organisation, Staff, Unit
from ettervern.pathways import services
from ettervern.pathways.models import CareTeamMember, Pathway
from ettervern.pathways.phases import Phase
from ettervern.patients.models import Patient
from tests import factories
from tests.web.test_pathway_open import data as open_data

pytestmark = pytest.mark.django_db


def page(pathway: Pathway) -> str:
    return reverse("pathways:pathway", args=[pathway.public_id])


def _close(client, pathway):  # type: ignore[no-untyped-def]
    url = reverse("pathways:pathway_transition", args=[pathway.public_id])
    form = {"transition-to_phase": Phase.CLOSED, "transition-on": clock.today().isoformat(),
            "transition-note": "Ønsket ikke mer oppfølging."}
    return client.post(url, form), client.post(url, {**form, "confirmed": "yes"}, follow=True)


def test_closing_asks_for_reason_and_confirmation_and_keeps_the_page_readable(
        coord_client, pathway):  # type: ignore[no-untyped-def]
    url = reverse("pathways:pathway_transition", args=[pathway.public_id])
    no_reason = coord_client.post(url, {"transition-to_phase": Phase.CLOSED,
                                        "transition-on": clock.today().isoformat(),
                                        "confirmed": "yes"})
    assert no_reason.status_code == 422
    assert "Skriv hvorfor forløpet avsluttes." in no_reason.content.decode()
    question, done = _close(coord_client, pathway)
    assert "Ja, avslutt forløpet" in question.content.decode()
    html = done.content.decode()
    assert done.status_code == 200 and "Forløpet er avsluttet." in html
    assert "Dette forløpet er avsluttet" in html and "Gjenåpne forløpet" in html
    assert 'action="' + reverse("pathways:pathway_transition", args=[pathway.public_id]) \
        not in html  # read-only
    # Found again with the phase filter.
    listed = coord_client.get(reverse("pathways:worklist"), {"phase": "closed"})
    assert pathway.patient.full_name in listed.content.decode()


def test_reopen_from_the_page(coord_client, pathway):  # type: ignore[no-untyped-def]
    _close(coord_client, pathway)
    pathway.refresh_from_db()
    url = reverse("pathways:pathway_reopen", args=[pathway.public_id])
    refused = coord_client.post(url, {"reopen-version": pathway.version})
    assert refused.status_code == 422 and 'id="id_reopen-reason-error"' in refused.content.decode()
    done = coord_client.post(url, {"reopen-version": pathway.version,
                                   "reopen-reason": "Avsluttet ved en feil."}, follow=True)
    assert "Forløpet er åpent igjen." in done.content.decode()
    pathway.refresh_from_db()
    assert pathway.is_open


def test_others_lose_the_closed_pathway(client_for, coord_client, pathway):  # type: ignore[no-untyped-def]
    gp = factories.staff(Staff.Profession.GP, units=[factories.unit(Unit.Kind.GP)])
    services.careteam_add(actor=factories.actor(pathway.coordinator), pathway=pathway, staff=gp,
                          role=CareTeamMember.Role.GP)
    _close(coord_client, pathway)
    assert client_for(gp).get(page(pathway)).status_code == 404
    pathway.refresh_from_db()
    reopen = client_for(gp).post(reverse("pathways:pathway_reopen", args=[pathway.public_id]),
                                 {"reopen-version": pathway.version, "reopen-reason": "x"})
    assert reopen.status_code == 404


def test_pickers_render_no_option_lists_and_search_on_the_server(coord_client, pathway):  # type: ignore[no-untyped-def]
    for n in range(30):
        factories.staff(Staff.Profession.GP, units=[factories.unit(Unit.Kind.GP)],
                        username=f"lege{n}")
    html = coord_client.get(page(pathway)).content.decode()
    assert html.count("<option") < 15  # phase and role choices only, never people
    search = reverse("pathways:person_search", args=[pathway.public_id])
    result = coord_client.get(search, {"picker": "team", "team-role": "gp", "q": "lege1"})
    text = result.content.decode()
    assert result.status_code == 200
    assert text.count('type="radio"') == 11  # lege1, lege10..lege19
    assert "Fastlege" in text  # the profession, to tell namesakes apart


def test_person_search_is_refused_for_outsiders_and_readers(client_for, outsider_client,
                                                            outsider, pathway):  # type: ignore[no-untyped-def]
    search = reverse("pathways:person_search", args=[pathway.public_id])
    assert outsider_client.get(search, {"picker": "handover"}).status_code == 404
    assert AuditEvent.objects.filter(actor_id=outsider.user.pk, outcome="denied").exists()
    nav = factories.staff(Staff.Profession.NAV, units=[factories.unit(Unit.Kind.NAV)])
    services.careteam_add(actor=factories.actor(pathway.coordinator), pathway=pathway, staff=nav,
                          role=CareTeamMember.Role.NAV_CONTACT)
    assert client_for(nav).get(search, {"picker": "team", "team-role": "gp"}).status_code == 403


def test_team_picker_offers_the_patients_municipality_first(coord_client, pathway):  # type: ignore[no-untyped-def]
    town = factories.organisation(Organisation.Kind.KOMMUNE, name="Lom kommune")
    Patient.objects.filter(pk=pathway.patient_id).update(municipality=town)
    local = factories.staff(Staff.Profession.MUNICIPAL, units=[factories.unit(
        Unit.Kind.MUNICIPAL, org=town, name="Psykisk helse og rus Lom")])
    factories.staff(Staff.Profession.MUNICIPAL, units=[factories.unit(Unit.Kind.MUNICIPAL)])
    search = reverse("pathways:person_search", args=[pathway.public_id])
    text = coord_client.get(search, {"picker": "team",
                                     "team-role": "municipal_contact"}).content.decode()
    assert text.count('type="radio"') == 1 and local.name in text
    assert "Psykisk helse og rus Lom (Lom kommune)" in text and "passer for rollen" in text


def test_phase_form_preselects_nothing_and_defaults_to_today(coord_client, pathway):  # type: ignore[no-untyped-def]
    html = coord_client.get(page(pathway)).content.decode()
    select = re.search(r'<select name="transition-to_phase".*?</select>', html, re.S)
    assert select is not None
    assert '<option value="" selected>Velg fase</option>' in select.group(0)
    assert f'name="transition-on" value="{clock.today().isoformat()}"' in html


def test_dates_are_written_one_way(coord_client, pathway):  # type: ignore[no-untyped-def]
    received = dt.date(clock.today().year - 1, 1, 5)
    Pathway.objects.filter(pk=pathway.pk).update(referral_received_on=received)
    html = coord_client.get(page(pathway)).content.decode()
    assert "Mottatt 05.01." in html  # dd.mm.åååå, never 5.1.åååå
    assert f"5.1.{received.year}" not in html.replace(f"05.01.{received.year}", "")


def test_treating_clinician_is_not_offered_stay_planning(client_for, pathway, residential_unit):  # type: ignore[no-untyped-def]
    services.stay_plan(actor=factories.actor(pathway.coordinator), pathway=pathway,
                       unit=residential_unit, planned_start=clock.today() + dt.timedelta(days=3))
    clinician = factories.staff(Staff.Profession.CLINICIAN, units=[residential_unit])
    html = client_for(clinician).get(page(pathway)).content.decode()
    assert reverse("pathways:stay_plan", args=[pathway.public_id]) not in html
    assert "Legg inn" in html  # admitting their own stay is still offered


def test_new_patient_is_offered_only_to_outpatient_staff(client_for, coord_client, clinic):  # type: ignore[no-untyped-def]
    assert "Ny pasient" in coord_client.get(reverse("pathways:worklist")).content.decode()
    for profession, kind in ((Staff.Profession.CLINICIAN, Unit.Kind.RESIDENTIAL),
                             (Staff.Profession.NAV, Unit.Kind.NAV)):
        person = factories.staff(profession, units=[factories.unit(kind)])
        client = client_for(person)
        assert "Ny pasient" not in client.get(reverse("pathways:worklist")).content.decode()
        refused = client.get(reverse("pathways:pathway_open"))
        assert refused.status_code == 403
        assert "Bare ansatte ved en TSB-poliklinikk" in refused.content.decode()


def test_new_patient_form_reports_every_error_in_one_round(coord_client, clinic):  # type: ignore[no-untyped-def]
    html = coord_client.get(reverse("pathways:pathway_open")).content.decode()
    referrer_label = re.search(r'<label for="id_referrer">.*?</label>', html, re.S)
    assert referrer_label is not None and "valgfritt" not in referrer_label.group(0)
    response = coord_client.post(reverse("pathways:pathway_open"), open_data(
        clinic, national_id="12345678901", referrer="", given_name=""))
    text = response.content.decode()
    assert response.status_code == 422
    for field in ("national_id", "referrer", "given_name"):
        assert f'id="id_{field}-error"' in text, field


def test_already_open_links_to_the_pathway_for_its_clinic(coord_client, client_for, clinic,
                                                          pathway):  # type: ignore[no-untyped-def]
    patient = pathway.patient
    form = open_data(clinic, national_id=patient.national_id, given_name=patient.given_name,
                     family_name=patient.family_name)
    text = coord_client.post(reverse("pathways:pathway_open"), form).content.decode()
    assert "allerede et åpent forløp" in text and page(pathway) in text
    other_clinic = factories.unit(Unit.Kind.OUTPATIENT)
    stranger = factories.staff(units=[other_clinic])
    form["coordinating_unit"] = str(other_clinic.public_id)
    text = client_for(stranger).post(reverse("pathways:pathway_open"), form).content.decode()
    assert "allerede et åpent forløp" in text and page(pathway) not in text


def test_new_coordinator_sees_the_reason_at_the_top_of_the_worklist(client_for, coordinator,
                                                                    clinic, pathway):  # type: ignore[no-untyped-def]
    successor = factories.staff(units=[clinic])
    services.coordinator_handover(actor=factories.actor(coordinator), pathway=pathway,
                                  to_staff=successor, expected_version=pathway.version,
                                  reason="Permisjon fra mandag.")
    html = client_for(successor).get(reverse("pathways:worklist")).content.decode()
    notice = html.split('id="handovers-title"')[1].split("</section>")[0]
    assert "Overført til deg" in html and "Permisjon fra mandag." in notice
    assert pathway.patient.full_name in notice


def test_phase_form_leaves_admission_and_discharge_to_the_stay(coord_client, pathway):  # type: ignore[no-untyped-def]
    services.pathway_transition(actor=factories.actor(pathway.coordinator), pathway=pathway,
                                to_phase=Phase.PRE_ADMISSION, on=clock.today())
    html = coord_client.get(page(pathway)).content.decode()
    select = re.search(r'<select name="transition-to_phase".*?</select>', html, re.S)
    assert select is not None
    assert 'value="contact"' in select.group(0)
    assert 'value="residential"' not in select.group(0)  # "Legg inn" on the stay instead


def test_closing_reason_is_for_staff_not_for_the_patient(client_for, coord_client, pathway):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    _close(coord_client, pathway)
    staff_page = coord_client.get(page(pathway)).content.decode()
    assert "Ønsket ikke mer oppfølging." in staff_page.split('id="timeline-title"')[1]
    user = get_user_model().objects.create_user("pasient-x", password=None)
    Patient.objects.filter(pk=pathway.patient_id).update(user=user)
    own_page = client_for(user).get(page(pathway)).content.decode()
    assert "Avsluttet" in own_page and "Ønsket ikke mer oppfølging." not in own_page


def test_new_patient_future_referral_is_reported_with_the_other_errors(coord_client, clinic):  # type: ignore[no-untyped-def]
    future = (clock.today() + dt.timedelta(days=400)).isoformat()
    response = coord_client.post(reverse("pathways:pathway_open"), open_data(
        clinic, referral_received_on=future, given_name=""))
    text = response.content.decode()
    assert 'id="id_referral_received_on-error"' in text and 'id="id_given_name-error"' in text
