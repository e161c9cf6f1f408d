"""Tasks on a phone: the koordinator adds a task for the municipal contact on a pathway, it is
in the kommune's "Mine oppgaver", and the kommune marks it done; a task for the patient is
marked done by the patient on their own page; cancelling asks first. Each page fits 390 px and
axe finds no violations."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, fits_and_is_accessible, login, logout


def test_a_task_from_the_pathway_to_the_owners_list(new_page, scenario, axe):  # type: ignore[no-untyped-def]
    case = scenario("pre_admission", logins=True)
    page = new_page(viewport=PHONE)
    title = f"Avklar husleie før innleggelse ({case.patient.name})"

    login(page, "koordinator")
    page.goto(case.url)
    page.get_by_role("link", name="Oppgaver", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.patient.name)
    fits_and_is_accessible(page, axe)
    page.get_by_text("Ny oppgave").click()
    page.get_by_label("Hva skal gjøres").fill(title)
    _choose_owner(page, "Kontaktperson, kommune")
    page.get_by_role("button", name="Legg til oppgaven").click()
    expect(page.get_by_text(f"Oppgaven «{title}» er lagt til")).to_be_visible()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    fits_and_is_accessible(page, axe)

    # A task for the patient, and one that is cancelled after being asked.
    page.get_by_text("Ny oppgave").click()
    page.get_by_label("Hva skal gjøres").fill("Ta med fastlegens attest")
    _choose_owner(page, "pasienten")
    page.get_by_role("button", name="Legg til oppgaven").click()
    expect(page.get_by_text("Oppgaven «Ta med fastlegens attest» er lagt til")).to_be_visible()
    page.get_by_text("Ny oppgave").click()
    page.get_by_label("Hva skal gjøres").fill("Ring legevakten")
    _choose_owner(page, "koordinator")
    page.get_by_role("button", name="Legg til oppgaven").click()
    expect(page.get_by_text("Oppgaven «Ring legevakten» er lagt til")).to_be_visible()
    page.locator("li.item", has=page.get_by_role("heading", name="Ring legevakten")) \
        .get_by_role("button", name=re.compile("Avbryt oppgaven")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Avbryte oppgaven")
    fits_and_is_accessible(page, axe)
    page.get_by_role("button", name="Ja, avbryt oppgaven").click()
    expect(page.get_by_text("«Ring legevakten» er avbrutt.")).to_be_visible()
    logout(page)

    # The kommune finds it in "Mine oppgaver" from the menu, and marks it done.
    login(page, "kommune")
    page.get_by_role("link", name="Mine oppgaver").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine oppgaver")
    item = page.locator("li.item", has=page.get_by_role("heading", name=title))
    _find_on_some_page(page, item)
    expect(item).to_contain_text(case.patient.name)
    fits_and_is_accessible(page, axe)
    item.get_by_role("button", name=re.compile("Merk som utført")).click()
    expect(page.get_by_text(f"«{title}» er utført.")).to_be_visible()
    expect(page.get_by_role("heading", name=title)).to_have_count(0)
    fits_and_is_accessible(page, axe)
    logout(page)

    # The patient sees theirs in plain words and marks it done.
    login(page, case.logins["patient"])
    page.goto("/meg/")
    page.get_by_role("link", name="Se og kryss av oppgavene mine").click()
    expect(page.get_by_role("heading", name="Ta med fastlegens attest")).to_be_visible()
    fits_and_is_accessible(page, axe)
    page.get_by_role("button", name=re.compile("Jeg har gjort dette")).click()
    expect(page.get_by_text("«Ta med fastlegens attest» er utført.")).to_be_visible()
    fits_and_is_accessible(page, axe)


def _find_on_some_page(page, item) -> None:  # type: ignore[no-untyped-def]
    """The kommune has other tasks from the demo's pathways: page on until this one shows."""
    while item.count() == 0:
        expect(page.get_by_role("link", name="Neste")).to_be_visible()
        page.get_by_role("link", name="Neste").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mine oppgaver")


def _choose_owner(page, containing: str) -> None:  # type: ignore[no-untyped-def]
    """The owner whose option says `containing` (a name with the role in brackets)."""
    select = page.get_by_label("Hvem gjør det")
    select.select_option(label=select.locator("option", has_text=containing).first.inner_text())
