"""The slips users made, in the browser: closing by mistake and reopening, picking a person
for the care team by searching, and the new-patient form that shows only what applies.

Each test works on a pathway of its own (the `scenario` fixture) and waits for conditions."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from ettervern.core import clock
from tests.e2e.conftest import login


def test_closing_is_confirmed_and_the_clinic_reopens_a_slip(page, scenario,  # type: ignore[no-untyped-def]
                                                            assert_accessible):
    case = scenario("aftercare")
    login(page, "koordinator")
    page.goto(case.url)
    phase = page.get_by_role("region", name="Flytt til en annen fase")
    phase.get_by_label("Ny fase").select_option("closed")
    phase.get_by_label("Merknad").fill("Ønsket ikke mer oppfølging.")
    phase.get_by_role("button", name="Endre fase").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Avslutte forløpet")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, avslutt forløpet").click()
    expect(page.get_by_role("status")).to_contain_text("Forløpet er avsluttet")
    expect(page.get_by_role("region", name="Dette forløpet er avsluttet")).to_be_visible()
    expect(page.get_by_role("button", name="Endre fase")).to_have_count(0)
    assert_accessible(page)

    # Found again under "Avsluttet", and reopened with a reason.
    page.goto("/forlop/?phase=closed&q=" + case.patient.family_name)
    page.get_by_role("link", name=case.patient.name, exact=True).click()
    page.get_by_text("Gjenåpne forløpet").click()
    page.get_by_role("button", name="Gjenåpne").click()
    expect(page.locator("#id_reopen-reason-error")).to_be_visible()
    expect(page.get_by_role("alert").first).to_be_focused()
    page.get_by_label("Begrunnelse").fill("Avsluttet ved en feil.")
    page.get_by_role("button", name="Gjenåpne").click()
    expect(page.get_by_role("status")).to_contain_text("Forløpet er åpent igjen")
    expect(page.get_by_role("status")).to_be_focused()
    expect(page.get_by_role("button", name="Endre fase")).to_be_visible()


def test_team_picker_searches_as_you_type_and_shows_who_is_who(page, scenario,  # type: ignore[no-untyped-def]
                                                               assert_accessible):
    case = scenario("contact")
    login(page, "koordinator")
    page.goto(case.url)
    team = page.get_by_role("region", name="Teamet rundt pasienten")
    team.get_by_label("Rolle", exact=True).select_option("specialist_contact")
    search = team.get_by_role("searchbox")
    search.fill("Trond")
    choice = team.get_by_role("radio", name=re.compile("Trond Aune"))
    expect(choice).to_be_visible()
    # Profession and unit tell namesakes apart.
    expect(team.locator("#team-results")).to_contain_text("Behandler")
    assert_accessible(page)
    choice.check()
    team.get_by_role("button", name="Legg til").click()
    expect(page.get_by_role("status")).to_contain_text("Teamet rundt pasienten er oppdatert")
    expect(page.get_by_role("region", name="Teamet rundt pasienten")).to_contain_text(
        "Trond Aune")


def test_new_patient_form_shows_what_applies_and_all_errors_at_once(page, assert_accessible):  # type: ignore[no-untyped-def]
    login(page, "koordinator")
    page.goto("/pasienter/ny/")
    contact_date = page.get_by_label("Dato for første kontakt")
    expect(contact_date).to_be_hidden()  # it starts with a referral: only that part shows
    page.get_by_label("Kontakt før henvisning").check()
    expect(contact_date).to_be_visible()
    expect(page.get_by_label("Henviser", exact=True)).to_be_hidden()
    page.get_by_label("Fødselsnummer eller D-nummer").fill("12345678901")
    page.get_by_role("button", name="Opprett forløp").click()
    summary = page.get_by_role("alert").first
    expect(summary).to_be_focused()
    # The bad number and the missing fields in one round.
    expect(summary).to_contain_text("Kontrollsifrene")
    expect(summary).to_contain_text("Fornavn")
    expect(summary).to_contain_text("Dato for første kontakt")
    assert_accessible(page)


def test_handover_is_confirmed_with_its_reason(page, scenario):  # type: ignore[no-untyped-def]
    case = scenario("contact")
    login(page, "koordinator")
    page.goto(case.url)
    section = page.get_by_role("region", name=re.compile("koordinatorrollen"))
    section.get_by_text("Overfør koordinatorrollen").click()
    search = section.get_by_role("searchbox")
    search.focus()  # colleagues at the clinic are offered first, before anything is typed
    first = section.get_by_role("radio").first
    expect(first).to_be_visible()
    name = first.evaluate("r => r.closest('label').querySelector('strong').textContent")
    first.check()
    section.get_by_label("Begrunnelse").fill("Permisjon fra mandag.")
    section.get_by_role("button", name="Overfør").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    page.get_by_role("link", name="Nei, gå tilbake").click()
    expect(page.get_by_role("region", name="Oversikt")).to_contain_text("Hanne Solberg")
    today = clock.today().strftime("%d.%m.%Y")
    expect(page.get_by_role("region", name="Tidslinje")).not_to_contain_text(
        f"{today}: fra Hanne Solberg")
