"""Input the database cannot take is refused before it gets there (NUL characters; PostgreSQL
text cannot hold them), an empty `?page=` is page 1, and search text has a length limit.

These run on both databases; on PostgreSQL a NUL that reached a query would be a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from ettervern.core import clock
from ettervern.pathways.models import Pathway
from tests import factories
from tests.db_spy import queries_with_nul

NUL = "a\x00b"


def _refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["field"] == field
    assert body["message"].startswith(f"{field}: ") and "NUL" in body["message"]


@pytest.mark.parametrize("url", ["/api/pathways", "/api/units", "/api/staff"])
def test_nul_in_a_query_is_422(as_coordinator, pathway, url):
    hits, wrapper = queries_with_nul()
    with connection.execute_wrapper(wrapper):
        response = as_coordinator.get(url, q=NUL)
    _refused(response, "q")
    assert hits == []


@pytest.mark.parametrize("field", ["national_id", "given_name", "family_name", "referrer",
                                   "note"])
def test_nul_in_an_open_body_is_422_and_opens_nothing(as_coordinator, clinic, field):
    body = {"national_id": factories.national_id(), "given_name": "Ola",
            "family_name": "Nordmann", "coordinating_unit_id": str(clinic.public_id),
            "first_contact_on": str(clock.today()), "referrer": "", "note": ""}
    body[field] = body[field] + NUL if field == "national_id" else NUL
    hits, wrapper = queries_with_nul()
    with connection.execute_wrapper(wrapper):
        response = as_coordinator.post("/api/pathways", body)
    _refused(response, field)
    assert hits == []
    assert not Pathway.objects.exists()


@pytest.mark.parametrize("field", ["note", "referrer"])
def test_nul_in_a_patch_is_422_and_changes_nothing(as_coordinator, pathway, field):
    hits, wrapper = queries_with_nul()
    with connection.execute_wrapper(wrapper):
        response = as_coordinator.patch(f"/api/pathways/{pathway.public_id}",
                                        {"version": pathway.version, field: NUL})
    _refused(response, field)
    assert hits == []
    pathway.refresh_from_db()
    assert pathway.version == 1


def test_nul_in_a_transition_or_handover_is_422(as_coordinator, pathway, coordinator):
    url = f"/api/pathways/{pathway.public_id}"
    _refused(as_coordinator.post(f"{url}/transitions", {
        "to_phase": "pre_admission", "on": str(clock.today()), "note": NUL}), "note")
    _refused(as_coordinator.post(f"{url}/handover", {
        "to_staff_id": str(coordinator.public_id), "version": 1, "reason": NUL}), "reason")
    pathway.refresh_from_db()
    assert pathway.version == 1


@pytest.mark.parametrize(("language", "message"), [
    ("nb", "q: Tekst kan ikke inneholde NUL-tegn."),
    ("en", "q: Text cannot contain NUL characters."),
])
def test_the_nul_message_is_a_sentence_in_the_callers_language(  # type: ignore[no-untyped-def]
        as_coordinator, pathway, language, message):
    response = as_coordinator.client.get("/api/pathways", {"q": NUL},
                                         headers={"Accept-Language": language})
    assert response.status_code == 422
    assert response.json()["message"] == message


# --- pages and search length ---------------------------------------------------------------------

def test_an_empty_page_is_the_first_page(as_coordinator, pathway):
    for url in ("/api/pathways", "/api/units", "/api/staff",
                f"/api/pathways/{pathway.public_id}/timeline",
                f"/api/pathways/{pathway.public_id}/care-team"):
        response = as_coordinator.get(url, page="")
        assert response.status_code == 200, (url, response.content)
        assert response.json()["page"] == 1, url


@pytest.mark.parametrize("page", ["0", "-1", "x"])
def test_a_bad_page_is_still_422(as_coordinator, pathway, page):
    response = as_coordinator.get("/api/pathways", page=page)
    assert response.status_code == 422
    assert response.json()["field"] == "page"


@pytest.mark.parametrize("url", ["/api/pathways", "/api/units", "/api/staff"])
def test_search_text_is_at_most_200_characters(as_coordinator, url):
    assert as_coordinator.get(url, q="a" * 200).status_code == 200
    for q in ("a" * 201, "a" * 100_000):
        response = as_coordinator.get(url, q=q)
        assert response.status_code == 422, (url, len(q))
        assert response.json()["field"] == "q"
