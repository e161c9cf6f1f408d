"""Click through the demo as its users would: login → worklist → pathway → a phase change.

axe-core checks each page for WCAG 2.1 A/AA violations on the way.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from tests.e2e.conftest import login


def test_login_page_is_accessible(page, assert_accessible):  # type: ignore[no-untyped-def]
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/logg-inn/"))
    expect(page.get_by_role("button", name="Logg inn")).to_be_visible()
    assert_accessible(page)


def test_wrong_password_is_refused_in_norwegian(page):  # type: ignore[no-untyped-def]
    login(page, "koordinator", password="feil-passord")
    expect(page).to_have_url(re.compile(r"/logg-inn/"))
    expect(page.get_by_role("alert").or_(page.locator(".errorlist")).first).to_be_visible()


def test_coordinator_moves_a_pathway_to_pre_admission(page, assert_accessible):  # type: ignore[no-untyped-def]
    login(page, "koordinator")
    expect(page.get_by_role("heading", name="Mine forløp")).to_be_visible()
    assert_accessible(page)

    # The worklist filter: only pathways in contact/referral.
    page.get_by_label("Fase").select_option("contact")
    page.get_by_role("button", name=re.compile("Vis|Filtrer|Søk")).first.click()
    expect(page).to_have_url(re.compile(r"phase=contact"))
    rows = page.locator("table tbody tr")
    expect(rows.first).to_be_visible()
    assert_accessible(page)

    rows.first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/forlop/[0-9a-f-]{36}/"))
    expect(page.get_by_text("Kontakt / henvisning").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Ny fase").select_option("pre_admission")
    page.get_by_label("Gjelder fra").fill(dt.date.today().isoformat())
    page.get_by_role("button", name="Endre fase").click()

    expect(page.get_by_role("status").or_(page.locator(".messages")).first).to_be_visible()
    timeline = page.locator("#timeline, [id*=timeline]").first
    expect(timeline).to_contain_text("Før innleggelse")
    assert_accessible(page)


def test_refused_date_shows_a_norwegian_message(page):  # type: ignore[no-untyped-def]
    login(page, "koordinator")
    page.get_by_label("Fase").select_option("contact")
    page.get_by_role("button", name=re.compile("Vis|Filtrer|Søk")).first.click()
    page.locator("table tbody tr").first.get_by_role("link").first.click()
    page.get_by_label("Ny fase").select_option("pre_admission")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    page.get_by_label("Gjelder fra").fill(tomorrow.isoformat())
    page.get_by_role("button", name="Endre fase").click()
    expect(page.locator("#id_transition-on-error")).to_contain_text("fram i tid")


def test_patient_sees_own_pathway_and_next_of_kin_sees_shared(page, assert_accessible):  # type: ignore[no-untyped-def]
    login(page, "pasient")
    expect(page.get_by_role("heading", name="Mitt forløp")).to_be_visible()
    page.locator("table tbody tr").first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/forlop/[0-9a-f-]{36}/"))
    pathway_url = page.url
    assert_accessible(page)
    # The patient reads; the forms for coordinators are not offered.
    expect(page.get_by_role("button", name="Endre fase")).to_have_count(0)

    page.get_by_role("button", name="Logg ut").click()
    login(page, "parorende")
    page.goto(pathway_url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Logg ut").click()
    login(page, "admin")
    response = page.goto(pathway_url)
    assert response is not None and response.status == 404


def test_english_is_selectable(page):  # type: ignore[no-untyped-def]
    login(page, "koordinator")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="My pathways")).to_be_visible()
