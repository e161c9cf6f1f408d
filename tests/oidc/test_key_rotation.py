"""The provider rotates its signing key: Ettervern follows without a restart (one JWKS
refetch when an ID token names a key id it has not seen)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from ettervern.patients.models import Patient
from tests import factories
from tests.oidc.conftest import (
    Keys,
    People,
    _clients,
    idporten_accounts,
    provider_entry,
)
from tests.oidc.provider import RunningProvider, free_port, write_signing_keys
from tests.oidc.test_sign_in import capture_tokens, sign_in, unverified_claims

pytestmark = pytest.mark.django_db


@pytest.fixture
def rotating_op(tmp_path, oidc_keys: Keys, people: People) -> Iterator[RunningProvider]:
    first = tmp_path / "keys-1.json"
    write_signing_keys(first)
    provider = RunningProvider("idporten", tmp_path / "op", free_port(),
                               _clients(oidc_keys, ["idporten"]), idporten_accounts(people),
                               keys_path=first)
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()


def test_key_rotation_is_followed(settings, rotating_op, oidc_keys, people, tmp_path,
                                  monkeypatch):
    settings.OIDC_PROVIDERS = [provider_entry("idporten", rotating_op, oidc_keys.client,
                                              preset="idporten")]
    cache.clear()
    factories.open_pathway(nid=people.patient_pid)
    tokens = capture_tokens(monkeypatch)
    assert sign_in(Client(), "idporten", "pasient").status_code == 302

    second = tmp_path / "keys-2.json"
    write_signing_keys(second)
    rotating_op.restart(keys_path=second)
    client = Client()
    response = sign_in(client, "idporten", "pasient")

    assert response.status_code == 302, response.content.decode()
    old_kid = _kid(tokens[0]["id_token"])
    assert _kid(tokens[1]["id_token"]) != old_kid
    patient = Patient.objects.get(national_id=people.patient_pid)
    assert int(client.session["_auth_user_id"]) == patient.user_id
    assert unverified_claims(tokens[1]["id_token"])["pid"] == people.patient_pid


def _kid(id_token: str) -> str:
    import base64
    import json

    header = id_token.split(".")[0]
    return str(json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"])
