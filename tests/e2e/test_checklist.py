"""The pre-admission checklist in a real browser on a phone (390 px): no sideways scrolling,
no axe violations, an item saved, a refused date in the error summary with the focus, the
patient's plain page, and nothing for the next of kin. Every pathway is the test's own."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e import test_reflow
from tests.e2e.conftest import login
from tests.e2e.test_reflow import PHONE

HOUSING = "Bolig: kontrakt og husleie"
# The phone checks of test_reflow (no sideways scrolling, every control reachable, axe).
assert_reflows = test_reflow.assert_reflows


def _checklist_url(case) -> str:  # type: ignore[no-untyped-def]
    return f"/forlop/{case.pathway}/sjekkliste/"


def test_coordinator_works_the_checklist_on_a_phone(new_page, scenario, assert_reflows):  # type: ignore[no-untyped-def]
    case = scenario("pre_admission")
    page = new_page(viewport=PHONE)
    login(page, "koordinator")
    page.goto(case.url)
    page.get_by_role("link", name="Sjekkliste før innleggelse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sjekkliste før innleggelse")
    expect(page.get_by_text("0 av 12 ferdig")).to_be_visible()

    item = page.locator("li.item").filter(has=page.get_by_role("heading", name=HOUSING))
    item.get_by_text(f"Oppdater – {HOUSING}").click()
    item.get_by_label("Avklart").check()
    item.get_by_label("Ansvarlig").select_option(label="Sissel Brekke")
    item.get_by_label("Merknad").fill("Husleie betalt ut mars.")
    item.get_by_role("button", name=f"Lagre – {HOUSING}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Lagret: {HOUSING}.")
    expect(page.get_by_text("1 av 12 ferdig")).to_be_visible()
    saved = page.locator("li.item").filter(has=page.get_by_role("heading", name=HOUSING))
    expect(saved).to_contain_text("Husleie betalt ut mars.")
    # (It opens every item's form, to check those too; start again from the page as it is.)
    assert_reflows(page, "the checklist after saving")
    page.goto(_checklist_url(case))

    # A typing error in the year: the error summary says what is wrong and takes the focus.
    travel = "Reise og behov for bistand"
    item = page.locator("li.item").filter(has=page.get_by_role("heading", name=travel))
    item.get_by_text(f"Oppdater – {travel}").click()
    item.get_by_label("Dato").fill("2262-01-01")
    item.get_by_role("button", name=f"Lagre – {travel}").click()
    summary = page.get_by_role("alert").filter(has_text="Noe må rettes")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Sjekk årstallet")
    assert_reflows(page, "the checklist with an error")


def test_worklist_and_admission_show_what_is_open(new_page, scenario, assert_reflows):  # type: ignore[no-untyped-def]
    case = scenario("pre_admission")
    page = new_page(viewport=PHONE)
    login(page, "behandler")
    page.goto(case.url)
    stays = page.get_by_role("region", name="Døgnopphold")
    stays.get_by_label("Innleggelsesdato").fill(page.evaluate(
        "() => new Date().toLocaleDateString('sv-SE')"))
    stays.get_by_role("button", name=re.compile("^Legg inn")).click()
    # Not a block: the open items are named, and the admission can go ahead.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Legge inn")
    expect(page.get_by_text(re.compile("ikke avklart ennå: .*" + re.escape(HOUSING)))
           ).to_be_visible()
    assert_reflows(page, "the admission question")
    page.get_by_role("button", name="Ja, legg inn").click()
    expect(page.get_by_role("status")).to_contain_text("Pasienten er lagt inn")


def test_patient_reads_plain_words_and_next_of_kin_sees_nothing(new_page, scenario,  # type: ignore[no-untyped-def]
                                                                assert_reflows):
    case = scenario("pre_admission", logins=True)
    page = new_page(viewport=PHONE)
    login(page, case.logins["patient"])
    page.goto(case.url)
    page.get_by_role("link", name="Dette skal ordnes før du blir lagt inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Før du blir lagt inn")
    expect(page.get_by_text("Hvem som passer dyrene dine")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Lagre"))).to_have_count(0)
    assert_reflows(page, "the patient's checklist")

    kin = new_page(viewport=PHONE)
    login(kin, case.logins["next_of_kin"])
    kin.goto(case.url)
    expect(kin.get_by_role("link", name=re.compile("Sjekkliste|ordnes"))).to_have_count(0)
    response = kin.goto(_checklist_url(case))
    assert response is not None and response.status == 404
