from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.urls import reverse

import ettervern

LOCALE = Path(ettervern.__file__).parent / "locale"


def test_bokmal_catalogue_is_complete():  # type: ignore[no-untyped-def]
    catalogue = polib.pofile(str(LOCALE / "nb" / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 100
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert (LOCALE / "nb" / "LC_MESSAGES" / "django.mo").exists()


def test_english_catalogue_exists():  # type: ignore[no-untyped-def]
    assert (LOCALE / "en" / "LC_MESSAGES" / "django.po").exists()


@pytest.mark.django_db
def test_switching_to_english_shows_english(coord_client, pathway):  # type: ignore[no-untyped-def]
    url = reverse("pathways:worklist")
    html = coord_client.get(url).content.decode()
    assert '<html lang="nb">' in html and "Mine forløp" in html and "Kontakt / henvisning" in html
    response = coord_client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    html = coord_client.get(url).content.decode()
    assert '<html lang="en">' in html
    assert "My pathways" in html and "Contact / referral" in html
    assert "Mine forløp" not in html
    page = coord_client.get(reverse("pathways:pathway", args=[pathway.public_id])).content.decode()
    assert "Pathway opened at TSB-poliklinikken" in page


@pytest.mark.django_db
def test_pages_stay_norwegian_for_an_english_browser_until_english_is_chosen():  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Brukernavn" in client.get("/logg-inn/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/logg-inn/"})
    assert "Username" in client.get("/logg-inn/").content.decode()


@pytest.mark.django_db
def test_api_messages_follow_accept_language(client):  # type: ignore[no-untyped-def]
    english = client.get("/api/pathways", HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    norwegian = client.get("/api/pathways", HTTP_ACCEPT_LANGUAGE="nb").json()["message"]
    assert english != norwegian
    assert "Bearer" in english


def test_a_form_address_opened_as_a_page_says_what_to_do(coord_client):  # type: ignore[no-untyped-def]
    import uuid

    response = coord_client.get(f"/opphold/{uuid.uuid4()}/utskriv/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "Denne adressen svarer bare på et skjema" in response.content.decode()
