"""The crisis plan's pages: the staff form, the patient's page (one tap from their first page),
the PDF, and the offline files (manifest, service worker with the page's path as scope)."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from pypdf import PdfReader

from ettervern.planning.crisis.models import CrisisPlan
from ettervern.planning.crisis.services import ContactData, crisisplan_save
from tests.pathways.helpers import act
from tests.planning.conftest import ROLES

pytestmark = pytest.mark.django_db


def page(pathway):  # type: ignore[no-untyped-def]
    return f"/forlop/{pathway.public_id}/kriseplan/"


def form_data(version=0, **changes):  # type: ignore[no-untyped-def]
    data = {"version": str(version), "warning_signs": "Sover dårlig", "own_actions": "Går tur",
            "others_actions": "Mamma ringer", "bed": "Døgnavdelingen",
            "contact-TOTAL_FORMS": "2", "contact-INITIAL_FORMS": "0",
            "contact-MIN_NUM_FORMS": "0", "contact-MAX_NUM_FORMS": "10",
            "contact-0-name": "Per", "contact-0-phone": "412 34 567", "contact-0-when": "Kveld",
            "contact-1-name": "", "contact-1-phone": "", "contact-1-when": ""}
    data.update(changes)
    return data


@pytest.fixture
def plan(pathway, coordinator):  # type: ignore[no-untyped-def]
    return crisisplan_save(actor=act(coordinator), pathway=pathway, expected_version=0,
                           warning_signs="Sover dårlig", own_actions="Ringer Per",
                           others_actions="Mamma ringer meg", bed="Døgnavdelingen, 5 døgn",
                           contacts=[ContactData("Per Hansen", "412 34 567", "Om kvelden")])


def test_the_coordinator_saves_the_plan_from_the_form(as_role, pathway):
    _person, client = as_role("coordinator")
    shown = client.get(page(pathway))
    assert shown.status_code == 200
    assert "Varseltegn" in shown.content.decode()
    answer = client.post(page(pathway), form_data(), follow=True)
    assert answer.status_code == 200
    assert "Kriseplanen er lagret." in answer.content.decode()
    plan = CrisisPlan.objects.get()
    assert list(plan.contacts.values_list("name", "phone")) == [("Per", "+4741234567")]


def test_a_bad_phone_number_is_shown_in_norwegian_on_its_field(as_role, pathway):
    _person, client = as_role("coordinator")
    answer = client.post(page(pathway), form_data(**{"contact-0-phone": "12345"}))
    assert answer.status_code == 422
    text = answer.content.decode()
    assert "norsk telefonnummer" in text
    assert 'id="error-summary-title"' in text
    assert not CrisisPlan.objects.exists()


def test_too_long_text_is_refused_by_the_form(as_role, pathway):
    _person, client = as_role("coordinator")
    answer = client.post(page(pathway), form_data(warning_signs="x" * 2001))
    assert answer.status_code == 422
    assert not CrisisPlan.objects.exists()


def test_a_stale_form_shows_the_conflict(as_role, pathway, plan):
    _person, client = as_role("coordinator")
    answer = client.post(page(pathway), form_data(version=0, warning_signs="Ny"))
    assert answer.status_code == 409
    assert "Last siden på nytt" in answer.content.decode()
    plan.refresh_from_db()
    assert plan.warning_signs == "Sover dårlig"


def test_the_patient_reaches_the_plan_in_one_tap(as_role, pathway, plan):
    _person, client = as_role("patient")
    first = client.get("/forlop/", follow=True).content.decode()
    assert f'href="{page(pathway)}"' in first
    mine = client.get(page(pathway))
    text = mine.content.decode()
    assert mine.status_code == 200
    assert "Min kriseplan" in text and "Per Hansen" in text
    assert 'href="tel:+4741234567"' in text and "412 34 567" in text
    assert "<form" not in text.split('id="main"')[1].split("offline")[0]  # nothing to edit
    assert "Lagre for bruk uten nett" in text
    assert f'href="/forlop/{pathway.public_id}/kriseplan/manifest.webmanifest"' in text


def test_next_of_kin_has_no_link_and_no_page(as_role, pathway, plan):
    _person, client = as_role("consent:pathway")
    first = client.get(f"/forlop/{pathway.public_id}/").content.decode()
    assert "kriseplan" not in first
    assert client.get(page(pathway)).status_code == 404
    assert client.get(f"/forlop/{pathway.public_id}/kriseplan.pdf").status_code == 404


def test_the_pdf_holds_the_plan(as_role, pathway, plan):
    _person, client = as_role("patient")
    answer = client.get(f"/forlop/{pathway.public_id}/kriseplan.pdf")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
    for expected in ("Kriseplan", pathway.patient.full_name, "Varseltegn", "Sover dårlig",
                     "Dette gjør jeg", "Ringer Per", "Mamma ringer meg", "Per Hansen",
                     "412 34 567", "Om kvelden", "Døgnavdelingen, 5 døgn", "113"):
        assert expected in text, expected


def test_the_service_worker_is_scoped_to_the_page(pathway):
    worker = Client().get(f"/forlop/{pathway.public_id}/kriseplan/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    source = worker.content.decode()
    # Only the page's own path, only navigations, and it never stores by itself.
    assert "url.pathname !== scope.pathname" in source
    assert "cache.add" not in source
    manifest = json.loads(Client().get(
        f"/forlop/{pathway.public_id}/kriseplan/manifest.webmanifest").content)
    assert manifest["scope"] == manifest["start_url"] == page(pathway)


def test_the_offline_script_stores_only_on_request():
    from pathlib import Path

    import ettervern.planning

    script = (Path(ettervern.planning.__file__).parent / "static/planning/crisis-offline.js")
    source = script.read_text()
    register = source.index("serviceWorker.register")
    assert source.index('save.addEventListener("click"') < register
    assert "scope: page" in source


PAGE = {"coordinator": 200, "unit:coordinating": 200, "team:specialist_contact": 200,
        "unit:treating": 200, "team:municipal_contact": 200, "team:nav_contact": 200,
        "team:gp": 200, "patient": 200, "consent:pathway": 404, "consent:plan": 404,
        "consent:crisis_plan": 200, "consent:mapping": 404, "emergency": 200,
        "outsider": 404}
POST = {"coordinator": 302, "unit:coordinating": 302, "team:specialist_contact": 302,
        "unit:treating": 403, "team:municipal_contact": 302, "team:nav_contact": 403,
        "team:gp": 403, "patient": 403, "consent:pathway": 404, "consent:plan": 404,
        "consent:crisis_plan": 403, "consent:mapping": 404, "emergency": 403,
        "outsider": 404}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_on_the_pages(as_role, pathway, role):
    _person, client = as_role(role)
    assert client.get(page(pathway)).status_code == PAGE[role]
    assert client.get(f"/forlop/{pathway.public_id}/kriseplan.pdf").status_code == PAGE[role]
    assert client.post(page(pathway), form_data()).status_code == POST[role]
    # An invalid form from someone without the right is refused, not answered with errors.
    bad = client.post(page(pathway), form_data(**{"contact-0-phone": "1"}))
    assert bad.status_code == (422 if POST[role] == 302 else POST[role])


def test_readers_see_the_plan_without_a_form(as_role, pathway, plan):
    _person, client = as_role("team:gp")
    text = client.get(page(pathway)).content.decode()
    assert "Per Hansen" in text and "Lagre kriseplanen" not in text


def test_not_signed_in_goes_to_the_login(pathway):
    answer = Client().get(page(pathway))
    assert answer.status_code == 302 and "/logg-inn/" in answer["Location"]


def test_roles_cover_the_policy():
    from ettervern.access.policy import PERMISSIONS

    # The bed agreements' own bases (the unit's staff on an agreement, a next of kin who may
    # read the agreements only) stand in the route matrix (tests/access) and tests/beds.
    # So does the next of kin who may read the meetings only (tests/access, tests/meetings).
    beds = {"unit:beds", "consent:beds", "consent:meetings"}
    assert set(ROLES) - {"outsider"} == {r for r in PERMISSIONS
                                         if not r.startswith("closed:")} - beds
