"""The strict Content-Security-Policy in a real browser: the main pages run without a single
violation (no inline script or style is needed anywhere), and the API docs still work."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD, login, logout

# Recorded in the page before any of its own script runs (an init script is not subject to
# the page's CSP); console errors catch what the event does not.
_RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile);
});
"""


def _watch(page):  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.add_init_script(_RECORD_VIOLATIONS)
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _assert_clean(page, errors: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("Array.isArray(window.__csp)"), "the violation recorder is missing"
    violations = page.evaluate("window.__csp")
    assert violations == [], f"CSP violations on {page.url}: {violations}"
    assert errors == [], f"console errors on {page.url}: {errors}"


def test_main_pages_have_no_csp_violations(page, scenario):  # type: ignore[no-untyped-def]
    case = scenario("contact")
    errors = _watch(page)
    response = page.goto("/logg-inn/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    _assert_clean(page, errors)

    login(page, "koordinator")
    expect(page.get_by_role("heading", name="Mine forløp")).to_be_visible()
    _assert_clean(page, errors)

    # The worklist filter runs through htmx (a script from 'self'): wait for its answer, the
    # one row of the test's own patient.
    page.get_by_label("Fase").select_option("contact")
    page.get_by_label("Søk på navn").fill(case.patient.name)
    rows = page.get_by_role("row").filter(has=page.get_by_role("link"))
    expect(rows).to_have_count(1)
    link = rows.get_by_role("link", name=case.patient.name, exact=True)
    expect(link).to_be_visible()
    expect(page).to_have_url(re.compile(r"phase=contact"))
    _assert_clean(page, errors)

    link.click()
    expect(page).to_have_url(re.compile(re.escape(case.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.patient.name)
    _assert_clean(page, errors)

    page.goto("/pasienter/ny/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _assert_clean(page, errors)

    logout(page)
    _assert_clean(page, errors)


def test_api_docs_work_under_the_policy(page):  # type: ignore[no-untyped-def]
    errors = _watch(page)
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Ettervern API")
    expect(page.locator(".opblock").first).to_be_visible()
    _assert_clean(page, errors)


def test_admin_pages_have_no_csp_violations(page):  # type: ignore[no-untyped-def]
    errors = _watch(page)
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/logg-inn/\?next=/admin/"))
    page.get_by_label("Brukernavn").fill("admin")
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    _assert_clean(page, errors)
    page.goto("/admin/directory/unit/")
    expect(page.locator("#result_list")).to_be_visible()
    _assert_clean(page, errors)
