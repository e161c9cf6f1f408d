"""Click through the demo as its users would: login → worklist → pathway → a phase change,
an admission and a discharge. Each test works on pathways made for it (the `scenario`
fixture), so the tests pass alone and in any order.

axe-core checks each page for WCAG 2.1 A/AA violations on the way.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from ettervern.core import clock
from tests.e2e.conftest import login, logout, submit_login

PATHWAY_URL = re.compile(r"/forlop/[0-9a-f-]{36}/")


def _filter_worklist(page, phase: str, name: str):  # type: ignore[no-untyped-def]
    """Filter the worklist by phase and name; return the rows once the filtered list is there."""
    page.get_by_label("Fase").select_option(phase)
    page.get_by_label("Søk på navn").fill(name)
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(rf"phase={phase}"))
    rows = page.get_by_role("row").filter(has=page.get_by_role("link"))
    # The name is unique to the test's patient: one row, and it is theirs.
    expect(rows).to_have_count(1)
    expect(rows.get_by_role("link", name=name, exact=True)).to_be_visible()
    return rows


def test_login_page_is_accessible(page, assert_accessible):  # type: ignore[no-untyped-def]
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/logg-inn/"))
    expect(page.get_by_role("button", name="Logg inn")).to_be_visible()
    assert_accessible(page)


def test_wrong_password_is_refused_in_norwegian(page, scenario):  # type: ignore[no-untyped-def]
    # A login of the test's own, so no other test's sign-in is throttled by this failure.
    username = scenario("contact", logins=True).logins["patient"]
    submit_login(page, username, password="feil-passord")
    expect(page).to_have_url(re.compile(r"/logg-inn/"))
    expect(page.get_by_role("alert")).to_contain_text("brukernavn")
    expect(page.get_by_role("button", name="Logg ut")).to_have_count(0)
    login(page, username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hei,")


def test_coordinator_finds_a_pathway_and_moves_it_to_pre_admission(  # type: ignore[no-untyped-def]
        page, scenario, assert_accessible):
    case = scenario("contact")
    login(page, "koordinator")
    expect(page.get_by_role("heading", name="Mine forløp")).to_be_visible()
    assert_accessible(page)

    rows = _filter_worklist(page, "contact", case.patient.name)
    assert_accessible(page)

    rows.get_by_role("link", name=case.patient.name, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(case.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.patient.name)
    expect(page.get_by_text("Kontakt / henvisning").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Ny fase").select_option("pre_admission")
    page.get_by_label("Gjelder fra").fill(clock.today().isoformat())
    page.get_by_role("button", name="Endre fase").click()

    expect(page.get_by_role("status")).to_contain_text("Fasen er endret")
    timeline = page.get_by_role("region", name="Tidslinje")
    expect(timeline).to_contain_text("Før innleggelse")
    assert_accessible(page)


def test_refused_date_shows_a_norwegian_message(page, scenario):  # type: ignore[no-untyped-def]
    case = scenario("contact")
    login(page, "koordinator")
    page.goto(case.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.patient.name)
    page.get_by_label("Ny fase").select_option("pre_admission")
    tomorrow = clock.today() + dt.timedelta(days=1)
    page.get_by_label("Gjelder fra").fill(tomorrow.isoformat())
    page.get_by_role("button", name="Endre fase").click()
    expect(page.locator("#id_transition-on-error")).to_contain_text("fram i tid")
    # Nothing was changed: the pathway is still in contact.
    page.goto(case.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.patient.name)
    expect(page.get_by_role("region", name="Tidslinje")).not_to_contain_text("Før innleggelse")


def test_treating_unit_admits_and_discharges(page, scenario, assert_accessible):  # type: ignore[no-untyped-def]
    case = scenario("pre_admission")
    unit = case.stays[0].unit
    login(page, "behandler")
    page.goto(case.url)
    stays = page.get_by_role("region", name="Døgnopphold")
    today = clock.today().isoformat()

    stays.get_by_label("Innleggelsesdato").fill(today)
    stays.get_by_role("button", name=f"Legg inn – {unit}").click()
    # What is still open on the checklist is said before admitting; the admission goes ahead.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Legge inn")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, legg inn").click()
    expect(page.get_by_role("status")).to_contain_text("Pasienten er lagt inn")
    expect(page.get_by_role("region", name="Tidslinje")).to_contain_text(unit)
    assert_accessible(page)

    # The discharge is made on the stay's discharge page, through the checkpoints' gate.
    stays.get_by_role("link", name=f"Sjekkpunkter og utskriving – {unit}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sjekkpunkter før utskriving")
    assert_accessible(page)
    page.get_by_label("Utskrivingsdato").fill(today)
    reason = page.get_by_label("Begrunnelse for utskriving med åpne sjekkpunkter")
    reason.fill("Pasienten ønsket å reise hjem.")
    page.get_by_role("button", name="Skriv ut", exact=True).click()
    # A discharge cannot be undone: asked first, and "no" changes nothing.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Skrive ut")
    assert_accessible(page)
    page.get_by_role("link", name="Nei, gå tilbake").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sjekkpunkter før utskriving")
    page.get_by_label("Utskrivingsdato").fill(today)
    reason.fill("Pasienten ønsket å reise hjem.")
    page.get_by_role("button", name="Skriv ut", exact=True).click()
    page.get_by_role("button", name="Ja, skriv ut").click()
    expect(page.get_by_role("status")).to_contain_text("Pasienten er skrevet ut")
    expect(stays.get_by_role("button", name=re.compile("^(Legg inn|Skriv ut)"))).to_have_count(0)
    assert_accessible(page)


def test_patient_sees_own_pathway_and_next_of_kin_sees_shared(  # type: ignore[no-untyped-def]
        page, scenario, assert_accessible):
    case = scenario("residential", logins=True)
    login(page, case.logins["patient"])
    # The patient lands on their portal, in plain words, and reaches the pathway from there.
    expect(page).to_have_url(re.compile(r"/meg/$"))
    expect(page.get_by_role("link", name="Min side")).to_be_visible()
    expect(page.get_by_role("region", name="Min koordinator")).to_be_visible()
    expect(page.get_by_role("table")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Se hele forløpet mitt").click()
    expect(page).to_have_url(re.compile(re.escape(case.url) + "$"))
    expect(page.get_by_role("heading", name="Ditt forløp")).to_be_visible()
    expect(page.get_by_role("region", name="Hvem du kan kontakte")).to_be_visible()
    assert_accessible(page)
    # The patient reads; the forms for coordinators are not offered.
    expect(page.get_by_role("button", name="Endre fase")).to_have_count(0)

    logout(page)
    login(page, case.logins["next_of_kin"])
    expect(page.get_by_role("heading", name="Delt med meg")).to_be_visible()
    page.get_by_role("link", name=re.compile(re.escape(case.patient.name))).click()
    expect(page).to_have_url(re.compile(re.escape(case.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.patient.name)
    assert_accessible(page)

    logout(page)
    login(page, "admin")
    response = page.goto(case.url)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Ikke funnet")).to_be_visible()


def test_english_is_selectable(page):  # type: ignore[no-untyped-def]
    login(page, "koordinator")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="My pathways")).to_be_visible()
