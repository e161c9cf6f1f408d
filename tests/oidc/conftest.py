"""The real OpenID Connect provider for the sign-in tests: one like HelseID, one like
ID-porten, and a twin of the HelseID one at another issuer (same keys) for the issuer test.

Providers run for the whole session; the client keys are generated per session.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from joserfc.jwk import RSAKey

from tests import factories
from tests.oidc.provider import (
    RunningProvider,
    client_metadata,
    free_port,
    new_rsa_key,
    write_signing_keys,
)

TESTSERVER = "http://testserver"
CLIENT_ID = "ettervern"
OTHER_CLIENT_ID = "ettervern-annen"
HPR_KNOWN = "1234567"
HPR_UNKNOWN = "9876543"
HELSEID_SECURITY_LEVEL = "helseid://claims/identity/security_level"
HELSEID_HPR = "helseid://claims/hpr/hpr_number"


@dataclass(frozen=True)
class People:
    patient_pid: str
    kin_pid: str
    unknown_pid: str


@pytest.fixture(scope="session")
def people() -> People:
    return People(factories.national_id(), factories.national_id(), factories.national_id())


@dataclass
class Keys:
    folder: Path
    client: RSAKey
    other_client: RSAKey
    provider_keys: Path


@pytest.fixture(scope="session")
def oidc_keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    folder = tmp_path_factory.mktemp("oidc-keys")
    provider_keys = folder / "provider-jwks.json"
    write_signing_keys(provider_keys)
    return Keys(folder, new_rsa_key(), new_rsa_key(), provider_keys)


def helseid_accounts() -> list[dict[str, Any]]:
    def account(username: str, hpr: str, level: str) -> dict[str, Any]:
        return {"username": username, "claims": {
            HELSEID_HPR: hpr, HELSEID_SECURITY_LEVEL: level,
            "helseid://claims/identity/pid": "01017012345", "name": f"Test {username}"}}

    return [account("lege", HPR_KNOWN, "4"), account("lege-lavt-niva", HPR_KNOWN, "3"),
            account("ukjent-lege", HPR_UNKNOWN, "4")]


def idporten_accounts(people: People) -> list[dict[str, Any]]:
    high, substantial = "idporten-loa-high", "idporten-loa-substantial"
    return [
        {"username": "pasient", "acr": high, "claims": {"pid": people.patient_pid}},
        {"username": "pasient-betydelig", "acr": substantial,
         "claims": {"pid": people.patient_pid}},
        {"username": "parorende", "acr": high, "claims": {"pid": people.kin_pid}},
        {"username": "ukjent", "acr": high, "claims": {"pid": people.unknown_pid}},
    ]


def _clients(keys: Keys, names: list[str]) -> list[dict[str, Any]]:
    def uris(name: str) -> list[str]:
        return [f"{TESTSERVER}/auth/{name}/callback"]

    logout = [f"{TESTSERVER}/logg-inn/"]
    return [
        client_metadata(CLIENT_ID, keys.client,
                        redirect_uris=[u for name in names for u in uris(name)],
                        post_logout_redirect_uris=logout),
        client_metadata(OTHER_CLIENT_ID, keys.other_client,
                        redirect_uris=[u for name in names for u in uris(name)],
                        post_logout_redirect_uris=logout),
    ]


def _running(provider: RunningProvider) -> Iterator[RunningProvider]:
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture(scope="session")
def helseid_op(tmp_path_factory: pytest.TempPathFactory, oidc_keys: Keys
               ) -> Iterator[RunningProvider]:
    yield from _running(RunningProvider(
        "helseid", tmp_path_factory.mktemp("helseid"), free_port(),
        _clients(oidc_keys, ["helseid", "helseid-annen"]), helseid_accounts(),
        keys_path=oidc_keys.provider_keys))


@pytest.fixture(scope="session")
def helseid_twin(tmp_path_factory: pytest.TempPathFactory, oidc_keys: Keys
                 ) -> Iterator[RunningProvider]:
    """Another issuer with the same signing keys: only the issuer check can tell."""
    yield from _running(RunningProvider(
        "helseid", tmp_path_factory.mktemp("helseid-twin"), free_port(),
        _clients(oidc_keys, ["helseid"]), helseid_accounts(),
        keys_path=oidc_keys.provider_keys))


@pytest.fixture(scope="session")
def idporten_op(tmp_path_factory: pytest.TempPathFactory, oidc_keys: Keys, people: People
                ) -> Iterator[RunningProvider]:
    yield from _running(RunningProvider(
        "idporten", tmp_path_factory.mktemp("idporten"), free_port(),
        _clients(oidc_keys, ["idporten"]), idporten_accounts(people),
        keys_path=oidc_keys.provider_keys))


def provider_entry(name: str, op: RunningProvider, key: RSAKey, *, preset: str,
                   client_id: str = CLIENT_ID, **extra: Any) -> dict[str, Any]:
    return {"name": name, "preset": preset, "issuer": op.issuer, "client_id": client_id,
            "private_key": json.dumps(key.as_dict(private=True)), **extra}


@pytest.fixture
def oidc_settings(settings, helseid_op, idporten_op, oidc_keys):  # type: ignore[no-untyped-def]
    """Ettervern configured with the local HelseID and ID-porten (and a second client)."""
    settings.OIDC_PROVIDERS = [
        provider_entry("helseid", helseid_op, oidc_keys.client, preset="helseid"),
        provider_entry("idporten", idporten_op, oidc_keys.client, preset="idporten"),
        provider_entry("helseid-annen", helseid_op, oidc_keys.other_client, preset="helseid",
                       client_id=OTHER_CLIENT_ID, label="HelseID (annen klient)"),
    ]
    cache.clear()
    yield settings
    cache.clear()
