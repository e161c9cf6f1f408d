"""The individual plan in a browser, on a phone (390 px): the coordinator writes it, a second
save on an old version keeps both texts, a measure is picked from the offers catalogue, the
patient reads it in plain words and agrees; the next of kin sees none of it. No sideways
scrolling and no axe violation on any plan page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import AXE_OPTIONS, PHONE, login, logout
from tests.e2e.test_reflow import _UNREACHABLE_CONTROLS


def _check_phone(page, axe, what: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("main details:not([open])").evaluate_all(
        "elements => elements.forEach(element => { element.open = true; })")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{what} scrolls sideways: {widths}"
    assert page.evaluate(_UNREACHABLE_CONTROLS) == [], what
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


def _create_plan(page, case) -> None:  # type: ignore[no-untyped-def]
    page.goto(case.url)
    page.get_by_role("link", name="Åpne den individuelle planen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Individuell plan")
    page.get_by_role("button", name="Opprett individuell plan").click()
    expect(page.get_by_role("status")).to_contain_text("Planen er opprettet")


def test_coordinator_writes_the_plan_and_a_conflict_loses_nothing(new_page, scenario, axe):  # type: ignore[no-untyped-def]
    case = scenario("residential")
    first, second = new_page(viewport=PHONE), new_page(viewport=PHONE)
    login(first, "koordinator")
    _create_plan(first, case)
    plan_url = first.url

    housing = first.locator("#section-housing")
    housing.locator("summary", has_text="Legg til et tiltak").click()
    housing.get_by_label("Tiltak", exact=True).fill("Søke kommunal bolig med oppfølging")
    housing.get_by_label("Ansvarlig person").select_option(index=1)
    housing.get_by_role("button", name="Legg til tiltak").click()
    expect(first.get_by_role("status")).to_contain_text("Tiltaket er lagt til")
    expect(first.locator("#section-housing")).to_contain_text(
        "Søke kommunal bolig med oppfølging")
    _check_phone(first, axe, "the plan editor")

    # Two people open the plan; the first saves the goals, the second saves on the old version.
    login(second, "koordinator")
    second.goto(plan_url)
    first.goto(plan_url)
    first.locator("#section-housing").get_by_label("Mål, med pasientens egne ord").fill(
        "Egen leilighet nær mor")
    first.locator("#section-housing").get_by_role("button", name="Lagre mål").click()
    expect(first.get_by_role("status")).to_contain_text("Målene er lagret")

    goals = second.locator("#section-housing").get_by_label("Mål, med pasientens egne ord")
    goals.fill("Bo i bofellesskap det første året")
    second.locator("#section-housing").get_by_role("button", name="Lagre mål").click()
    conflict = second.get_by_role("region", name="Noen andre lagret først")
    expect(conflict).to_contain_text("Egen leilighet nær mor")
    expect(conflict).to_contain_text("Bo i bofellesskap det første året")
    # Their text is still in the form, on the current version: saving again merges.
    goals = second.locator("#section-housing").get_by_label("Mål, med pasientens egne ord")
    expect(goals).to_have_value("Bo i bofellesskap det første året")
    _check_phone(second, axe, "the plan editor after a conflict")
    goals.fill("Egen leilighet nær mor; bofellesskap det første året")
    second.locator("#section-housing").get_by_role("button", name="Lagre mål").click()
    expect(second.get_by_role("status")).to_contain_text("Målene er lagret")

    # Who changed what: the versions and the difference.
    second.get_by_role("link", name="Versjoner og endringer").click()
    _check_phone(second, axe, "the plan's versions")
    second.get_by_role("link", name=re.compile("Hva som ble endret i versjon 4")).click()
    expect(second.locator("ins")).to_contain_text(
        "Egen leilighet nær mor; bofellesskap det første året")
    _check_phone(second, axe, "the difference between two versions")

    # A measure may be an offer from the catalogue alone, picked from the pathway's offers.
    second.goto(plan_url)
    networks = second.locator("#section-networks")
    networks.locator("summary", has_text="Legg til et tiltak").click()
    networks.get_by_label("Tilbud fra katalogen").select_option(
        label="Nettverksmøter – Alle kommuner")
    networks.get_by_label("Ansvarlig person").select_option(index=1)
    networks.get_by_role("button", name="Legg til tiltak").click()
    expect(second.get_by_role("status")).to_contain_text("Tiltaket er lagt til")
    expect(second.locator("#section-networks")).to_contain_text(
        "Tilbud: Nettverksmøter (Alle kommuner)")


def test_patient_reads_the_plan_on_a_phone_and_agrees(new_page, scenario, axe):  # type: ignore[no-untyped-def]
    case = scenario("residential", logins=True)
    staff = new_page(viewport=PHONE)
    login(staff, "koordinator")
    _create_plan(staff, case)
    housing = staff.locator("#section-housing")
    housing.get_by_label("Mål, med pasientens egne ord").fill("Et sted å bo som er mitt")
    housing.get_by_role("button", name="Lagre mål").click()
    expect(staff.get_by_role("status")).to_contain_text("Målene er lagret")

    page = new_page(viewport=PHONE)
    login(page, case.logins["patient"])
    page.goto(case.url)
    page.get_by_role("link", name=re.compile("Les planen din")).click()
    expect(page.get_by_role("heading", level=1, name="Din plan")).to_be_visible()
    expect(page.get_by_role("heading", name="Hvor du skal bo")).to_be_visible()
    expect(page.get_by_text("Målet ditt: Et sted å bo som er mitt")).to_be_visible()
    expect(page.get_by_role("table")).to_have_count(0)
    _check_phone(page, axe, "the patient's plan")

    page.get_by_label("Din kommentar").fill("Jeg vil gjerne ha hund.")
    page.get_by_role("button", name="Send kommentar").click()
    expect(page.get_by_role("status")).to_contain_text("Kommentaren din er sendt")
    page.get_by_role("button", name="Jeg har lest planen og er enig").click()
    expect(page.get_by_role("status")).to_contain_text("Du har sagt at du har lest planen")
    expect(page.get_by_role("region", name="Er du enig?")).to_contain_text(
        "at du har lest planen og er enig")
    _check_phone(page, axe, "the patient's plan after agreeing")

    # The next of kin follows the pathway but sees nothing of the plan.
    logout(page)
    login(page, case.logins["next_of_kin"])
    page.goto(case.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.patient.name)
    expect(page.get_by_role("link", name=re.compile("plan", re.IGNORECASE))).to_have_count(0)
    response = page.goto(case.url + "plan/")
    assert response is not None and response.status == 404
