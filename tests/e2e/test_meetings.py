"""Meetings on a phone: the koordinator arranges a cooperation meeting before discharge, invites
a member of the care team and the patient, downloads the .ics file (it parses: Europe/Oslo,
the attendees), writes the minutes, marks the meeting held (after being asked), and a decision
becomes a task; the patient sees the meeting on their own page. Each page fits 390 px and axe
finds no violations."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, fits_and_is_accessible, login, logout


def test_the_meeting_flow(new_page, scenario, axe):  # type: ignore[no-untyped-def]
    case = scenario("residential", logins=True)
    page = new_page(viewport=PHONE, accept_downloads=True)
    yesterday = dt.date.today() - dt.timedelta(days=1)  # recorded the day after

    login(page, "koordinator")
    page.goto(case.url)
    page.get_by_role("link", name="Møter", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Møter")
    fits_and_is_accessible(page, axe)
    page.get_by_text("Avtal et møte", exact=True).click()
    page.get_by_label("Type møte").select_option(label="Samarbeidsmøte før utskriving")
    page.get_by_label("Dato").fill(yesterday.isoformat())
    page.get_by_label("Fra", exact=True).fill("10:00")
    page.get_by_label("Til", exact=True).fill("11:30")
    page.get_by_label("Sted").fill("Døgnavdelingen, møterom 2")
    page.get_by_label("Dagsorden").fill("Bolig og oppfølging etter utskriving")
    page.get_by_role("button", name="Avtal møtet").click()
    expect(page.get_by_text("Møtet er avtalt")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Samarbeidsmøte før utskriving")
    fits_and_is_accessible(page, axe)

    # Invite someone from the care team and the patient.
    who = page.get_by_label("Hvem")
    options = who.locator("option").all_inner_texts()
    staff = next(text for text in options if "koordinator" not in text.lower()
                 and "pasienten" not in text and text != "Velg en person")
    who.select_option(label=staff)
    page.get_by_role("button", name="Inviter", exact=True).click()
    expect(page.get_by_text("Deltakeren er invitert")).to_be_visible()
    page.get_by_label("Hvem").select_option(label=f"{case.patient.name} (pasienten)")
    page.get_by_role("button", name="Inviter", exact=True).click()
    expect(page.get_by_text("Deltakeren er invitert")).to_be_visible()
    fits_and_is_accessible(page, axe)

    # The .ics file: it parses, in Europe/Oslo, with the UID the meeting keeps.
    with page.expect_download() as downloaded:
        page.get_by_role("link", name=re.compile("Kalenderfil")).first.click()
    content = open(downloaded.value.path(), "rb").read()  # noqa: SIM115, PTH123
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event["dtstart"].params["TZID"] == "Europe/Oslo"
    assert event["dtstart"].dt.hour == 10 and event["dtstart"].dt.date() == yesterday
    assert str(event["summary"]) == "Samarbeidsmøte før utskriving"

    # Minutes, then held (asked first).
    minutes = page.get_by_role("textbox", name=re.compile("^Referat"))
    minutes.fill("Bolig er avklart. Kommunen følger opp ukentlig.")
    page.get_by_role("button", name="Lagre dagsorden og referat").click()
    expect(page.get_by_text("Dagsorden og referat er lagret")).to_be_visible()
    page.get_by_role("button", name="Registrer møtet som holdt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ble møtet")
    fits_and_is_accessible(page, axe)
    page.get_by_role("button", name="Ja, møtet ble holdt").click()
    expect(page.get_by_text("Møtet er registrert som holdt")).to_be_visible()

    # A decision, which becomes a task.
    page.get_by_role("textbox", name="Beslutning").fill("Kommunen skaffer bolig før utskriving")
    page.get_by_role("button", name="Registrer beslutningen").click()
    expect(page.get_by_text("Beslutningen er registrert")).to_be_visible()
    page.get_by_text("Gjør til oppgave").click()
    page.get_by_label("Hvem gjør det").select_option(label=staff.split(" (")[0])
    page.get_by_label("Frist").fill((dt.date.today() + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Lag oppgaven").click()
    expect(page.get_by_text("Beslutningen er nå en oppgave")).to_be_visible()
    expect(page.get_by_text(re.compile("Ble en oppgave for"))).to_be_visible()
    fits_and_is_accessible(page, axe)
    logout(page)

    # The patient sees it on their own page, in plain words.
    login(page, case.logins["patient"])
    page.goto("/meg/moter/")
    expect(page.get_by_role("heading", name="Samarbeidsmøte før utskriving")).to_be_visible()
    expect(page.get_by_text("Hva som ble sagt")).to_be_visible()
    fits_and_is_accessible(page, axe)
