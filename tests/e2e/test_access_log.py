"""Who has looked at my data, on a phone: the coordinator's worklist lists the patient twice
(folded into one line), the patient blocks a person and reads the log at 390 px without
sideways scrolling; axe finds no violations."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, fits_and_is_accessible, login, logout


def test_the_patient_sees_who_has_looked_on_a_phone(new_page, scenario, axe):  # type: ignore[no-untyped-def]
    case = scenario("residential", logins=True)
    page = new_page(viewport=PHONE)

    # The coordinator finds the patient in the worklist twice, then opens the pathway.
    login(page, case.logins["coordinator"])
    for _ in range(2):
        page.goto(f"/forlop/?q={case.patient.family_name}")
        expect(page.get_by_role("link", name=case.patient.name)).to_be_visible()
    page.goto(case.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.patient.name)
    logout(page)

    login(page, case.logins["patient"])
    page.goto("/meg/sperringer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sperr en person")
    fits_and_is_accessible(page, axe)

    page.goto("/meg/innsyn/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvem har sett opplysningene mine")
    entries = page.locator(".access-log__entry")
    expect(entries.first).to_contain_text("Leste forløpet ditt")
    # The sign-in's landing page and the two searches: one line, not three.
    expect(page.get_by_text("Vist i arbeidslisten til").first).to_contain_text(
        re.compile(r"[23] ganger mellom"))
    fits_and_is_accessible(page, axe)
