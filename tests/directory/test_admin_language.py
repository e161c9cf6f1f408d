"""The admin speaks bokmål like the rest of Ettervern: our names for the directory, and Django's
own admin strings, including the ones Django's nb catalogue lacks (directory/admin_strings.py,
locale/nb/LC_MESSAGES/djangojs.po)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import django.contrib.admin
import django.contrib.auth
import polib
import pytest
from django.test import Client
from django.utils.translation import trans_real

from ettervern.directory.models import Organisation
from tests import factories

ADMIN_LOCALE = Path(django.contrib.admin.__file__).parent / "locale"
AUTH_LOCALE = Path(django.contrib.auth.__file__).parent / "locale"


def _keys(catalogue: Path) -> list[str | tuple[str, int]]:
    """The lookup keys of every message of a Django catalogue (its English one lists them all)."""
    keys: list[str | tuple[str, int]] = []
    for entry in polib.pofile(str(catalogue)):
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        keys.append((msgid, 0) if entry.msgid_plural else msgid)
    return keys


def _text(html: str) -> str:
    """What a reader sees (and a screen reader hears): text, labels, buttons; not markup."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    labels = re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', html)
    buttons = re.findall(r'<input[^>]*type="submit"[^>]*value="([^"]*)"', html)
    return " ".join([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)), *labels, *buttons])


@pytest.fixture
def admin_client(unit_administrator):  # type: ignore[no-untyped-def]
    # An English-language browser that chose Norwegian, as the language button does.
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.post("/i18n/setlang/", {"language": "nb", "next": "/admin/"})
    client.force_login(unit_administrator.user)
    return client


@pytest.mark.django_db
def test_the_admin_index_is_norwegian(admin_client):  # type: ignore[no-untyped-def]
    response = admin_client.get("/admin/")
    assert response.status_code == 200 and response["Content-Language"] == "nb"
    text = _text(response.content.decode())
    for norwegian in ("Ettervern – administrasjon", "Katalog", "Organisasjoner", "Enheter",
                      "Medarbeidere", "Samarbeidsavtaler", "Modellnavn", "Bytt fargetema",
                      "Logg ut"):
        assert norwegian in text
    for english in ("Django", "Cooperation agreements", "Staff members", "Toggle theme",
                    "Model name", "Add link", "Site administration"):
        assert english not in text


@pytest.mark.django_db
def test_the_staff_and_agreement_forms_are_norwegian(admin_client, unit_administrator):  # type: ignore[no-untyped-def]
    colleague = factories.staff(units=[factories.unit()])
    add = _text(admin_client.get("/admin/directory/staff/add/").content.decode())
    change = _text(admin_client.get(
        f"/admin/directory/staff/{colleague.pk}/change/").content.decode())
    for text in (add, change):
        for norwegian in ("Navn:", "HPR-nummer:", "Yrkesrolle:", "Enheter:"):
            assert norwegian in text
        for english in ("Name:", "Hpr number", "Profession:", "Units:", "User:", "Save"):
            assert english not in text
    assert "Brukernavn:" in add and "Brukerkonto:" in change
    agreement = _text(admin_client.get(
        "/admin/directory/cooperationagreement/add/").content.decode())
    for norwegian in ("Legg til ny samarbeidsavtale", "Helseforetak:", "Kommune:",
                      "Gyldig fra:", "Gyldig til:", "Lagre"):
        assert norwegian in agreement
    for english in ("cooperation agreement", "Trust:", "Municipality:", "Valid from"):
        assert english not in agreement


@pytest.mark.django_db
def test_the_lists_are_norwegian(admin_client):  # type: ignore[no-untyped-def]
    factories.unit(name="TSB-poliklinikk Bergen")
    factories.organisation(Organisation.Kind.KOMMUNE, "Bergen kommune")
    units = _text(admin_client.get("/admin/directory/unit/").content.decode())
    assert "Velg enhet du ønsker å endre" in units and "Organisasjon" in units
    organisations = _text(admin_client.get("/admin/directory/organisation/").content.decode())
    for norwegian in ("Organisasjonsnummer", "Helseregion", "Type", "Kommune"):
        assert norwegian in organisations
    assert "Org number" not in organisations and "Kind" not in organisations


@pytest.mark.django_db
def test_the_admin_javascript_speaks_norwegian(admin_client):  # type: ignore[no-untyped-def]
    """The selector, calendar and clock widgets: Django's nb catalogue lacks some of these
    ("Choose all %s" made "Choose all units"); ours fills them in."""
    script = admin_client.get("/admin/jsi18n/").content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S)[1])
    assert catalogue["Choose all %s"] == "Velg alle %s"
    assert catalogue["abbrev. day Monday\x04Mon"] == "Man"
    missing = [key for key in _keys(ADMIN_LOCALE / "en" / "LC_MESSAGES" / "djangojs.po")
               if not (isinstance(catalogue.get(key[0]), list) if isinstance(key, tuple)
                       else key in catalogue)]
    assert missing == []


def test_every_admin_string_of_django_has_a_norwegian_translation():  # type: ignore[no-untyped-def]
    """Django's own admin and user-admin strings: from Django's nb catalogue or, where that
    lacks one, from ours. Fails when a Django upgrade brings a new untranslated string."""
    catalogue = trans_real.translation("nb")._catalog
    missing = [key for po in (ADMIN_LOCALE / "en" / "LC_MESSAGES" / "django.po",
                              AUTH_LOCALE / "en" / "LC_MESSAGES" / "django.po")
               for key in _keys(po) if key not in catalogue]
    assert missing == []


@pytest.mark.django_db
def test_english_when_english_is_chosen(unit_administrator):  # type: ignore[no-untyped-def]
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    client.force_login(unit_administrator.user)
    text = _text(client.get("/admin/").content.decode())
    assert "Cooperation agreements" in text and "Staff members" in text
    assert "Samarbeidsavtaler" not in text
