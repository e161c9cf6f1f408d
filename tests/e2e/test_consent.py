"""Consent on a phone (390 px): the patient opens their portal, gives their next of kin the
crisis plan, sees it in force and in the history, and withdraws it; the next of kin reads the
crisis plan while the consent lasts and gets "not found" right after. No sideways scrolling
and no axe violation on any of these pages."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, fits_and_is_accessible, login, logout


def test_the_patient_gives_and_withdraws_a_consent_on_a_phone(new_page, scenario, axe):  # type: ignore[no-untyped-def]
    case = scenario("aftercare", logins=True)
    page = new_page(viewport=PHONE)
    login(page, case.logins["patient"])
    expect(page).to_have_url(re.compile(r"/meg/$"))
    expect(page.get_by_role("link", name="Hvem har sett mine opplysninger")).to_have_attribute(
        "href", "/meg/innsyn/")
    fits_and_is_accessible(page, axe)

    page.get_by_role("link", name="Gi eller trekk tilbake samtykke").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvem kan se opplysningene mine")
    fits_and_is_accessible(page, axe)
    give = page.get_by_role("region", name="Gi samtykke")
    give.get_by_label("Kriseplanen din").check()
    give.get_by_role("button", name="Gi samtykke").click()
    expect(page.get_by_role("status")).to_contain_text("Samtykket er lagret")
    now = page.get_by_role("region", name="Dette deler jeg nå")
    withdraw = now.get_by_role("button", name=re.compile(r"^Trekk tilbake: .*, Kriseplanen din$"))
    expect(withdraw).to_be_visible()
    expect(page.get_by_role("region", name="Historikk")).to_contain_text("Samtykke gitt til")
    fits_and_is_accessible(page, axe)

    # The next of kin reads the crisis plan while the consent lasts.
    kin = new_page(viewport=PHONE)
    login(kin, case.logins["next_of_kin"])
    expect(kin.get_by_role("heading", level=1)).to_have_text("Delt med meg")
    kin.get_by_role("link", name="Kriseplan").click()
    expect(kin.get_by_role("heading", level=1)).to_be_visible()
    crisis_url = kin.url
    fits_and_is_accessible(kin, axe)

    withdraw.click()
    expect(page.get_by_role("status")).to_contain_text("Samtykket er trukket tilbake")
    expect(now.get_by_role("button", name=re.compile("Kriseplanen din$"))).to_have_count(0)
    expect(page.get_by_role("region", name="Historikk")).to_contain_text(
        "Samtykke trukket tilbake fra")
    fits_and_is_accessible(page, axe)

    # Withdrawal counts on the next request.
    response = kin.goto(crisis_url)
    assert response is not None and response.status == 404
    logout(kin)
    logout(page)
