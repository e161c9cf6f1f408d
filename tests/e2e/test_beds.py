"""User-controlled beds on a phone: the unit's leader makes an agreement with a patient of
another trust, the patient accepts it, books a free night, cancels (after being asked) and
books again, and the unit sees the arrival on its day list. Each page fits 390 px and axe finds
no violations."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, fits_and_is_accessible, login, logout


def test_a_patient_books_a_user_controlled_bed(new_page, scenario, axe):  # type: ignore[no-untyped-def]
    case = scenario("aftercare", logins=True)
    page = new_page(viewport=PHONE)

    # The unit's leader makes the agreement, with the patient, by national id.
    login(page, "sengepost")
    page.goto("/brukerstyrt/")
    fits_and_is_accessible(page, axe)
    page.get_by_role("link", name=re.compile("dagens ankomster og avreiser")).click()
    expect(page.get_by_role("heading", name="Ankomster")).to_be_visible()
    fits_and_is_accessible(page, axe)
    page.get_by_role("link", name="Avtaler", exact=True).click()
    page.get_by_text("Ny avtale med en pasient").click()
    page.get_by_label("Pasientens fødselsnummer (11 siffer)").fill(case.patient.national_id)
    page.get_by_label("Antall opphold, høyst").fill("3")
    page.get_by_role("button", name="Lag avtalen").click()
    # The unit is not told whether the number has a pathway: the agreement waits on the
    # patient's own page, and is listed here once accepted.
    expect(page.get_by_text("venter avtalen nå på pasientens egen side")).to_be_visible()
    expect(page.get_by_role("heading", name=case.patient.name)).to_have_count(0)
    fits_and_is_accessible(page, axe)
    logout(page)

    # The patient reads and accepts it on their own page, and books the first free night.
    login(page, case.logins["patient"])
    page.goto("/meg/")
    page.get_by_role("link", name="Les og godta avtalen").click()
    fits_and_is_accessible(page, axe)
    page.get_by_role("button", name="Jeg godtar avtalen").click()
    expect(page.get_by_text("Du har godtatt avtalen")).to_be_visible()
    fits_and_is_accessible(page, axe)
    night = page.locator(".bed-calendar__free").first.get_attribute("data-date")
    assert night
    page.get_by_label("Ankomst").fill(night)
    page.get_by_label("Antall døgn").select_option("1")
    page.get_by_role("button", name="Bestill oppholdet").click()
    expect(page.get_by_text("Oppholdet ditt er bestilt")).to_be_visible()

    # Cancelling asks first; then the night is free again, and the patient books it anew.
    page.get_by_role("button", name=re.compile("Avbestill dette oppholdet")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Avbestille oppholdet")
    fits_and_is_accessible(page, axe)
    page.get_by_role("button", name="Ja, avbestill oppholdet").click()
    expect(page.get_by_text(re.compile("er avbestilt"))).to_be_visible()
    page.get_by_label("Ankomst").fill(night)
    page.get_by_label("Antall døgn").select_option("1")
    page.get_by_role("button", name="Bestill oppholdet").click()
    expect(page.get_by_text("Oppholdet ditt er bestilt")).to_be_visible()
    fits_and_is_accessible(page, axe)
    logout(page)

    # The unit sees the agreement now, and the arrival on that day's list.
    login(page, "sengepost")
    page.goto("/brukerstyrt/")
    page.get_by_role("link", name=re.compile("dagens ankomster og avreiser")).click()
    day_list = page.url.split("?")[0]
    page.get_by_role("link", name="Avtaler", exact=True).click()
    expect(page.get_by_role("heading", name=case.patient.name)).to_be_visible()
    page.goto(f"{day_list}?dag={night}")
    arrivals = page.locator("section", has=page.get_by_role("heading", name="Ankomster"))
    expect(arrivals).to_contain_text(case.patient.name)
    fits_and_is_accessible(page, axe)
