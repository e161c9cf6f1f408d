"""The OpenID Connect providers are configuration: no code per provider.

Read from `settings.OIDC_PROVIDERS` (a list of dicts) when set, else from the environment
variable `ETTERVERN_OIDC_PROVIDERS`: a JSON list, or the path of a file holding one. Each
entry names a `preset` ("helseid", "idporten" or "generic") whose defaults the entry may
override; see docs/sign-in.md for every key. `ETTERVERN_OIDC_CACHE_SECONDS` (default 3600)
is how long a discovery document and a JWKS are cached.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc.jwk import ECKey, OKPKey, RSAKey

STAFF = "staff"
CITIZEN = "citizen"

HELSEID_HPR_NUMBER = "helseid://claims/hpr/hpr_number"
HELSEID_SECURITY_LEVEL = "helseid://claims/identity/security_level"
IDPORTEN_SUBSTANTIAL = "idporten-loa-substantial"
IDPORTEN_HIGH = "idporten-loa-high"

PRESETS: dict[str, dict[str, Any]] = {
    "helseid": {
        "label": "HelseID",
        "kind": STAFF,
        "scopes": ["openid", "profile", "helseid://scopes/identity/pid",
                   "helseid://scopes/identity/hpr_number",
                   "helseid://scopes/identity/security_level"],
        "identity_claim": HELSEID_HPR_NUMBER,
        "security_level_claim": HELSEID_SECURITY_LEVEL,
        "min_security_level": 4,
        "acr_values": [],
        "use_par": True,
        "use_dpop": "auto",
    },
    "idporten": {
        "label": "ID-porten",
        "kind": CITIZEN,
        "scopes": ["openid", "profile"],
        "identity_claim": "pid",
        "acr_values": [IDPORTEN_HIGH],
        "use_par": "auto",
        "use_dpop": "auto",
    },
    "generic": {
        "scopes": ["openid", "profile"],
        "use_par": "auto",
        "use_dpop": "auto",
    },
}
# ID-porten's levels, lowest first: asking for one accepts it and every higher one.
IDPORTEN_LEVELS = [IDPORTEN_SUBSTANTIAL, IDPORTEN_HIGH]


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    kind: str
    issuer: str
    client_id: str
    private_key: Any = field(repr=False)  # a joserfc key
    signing_alg: str
    scopes: tuple[str, ...]
    identity_claim: str
    security_level_claim: str = ""
    min_security_level: int | None = None
    acr_values: tuple[str, ...] = ()
    accepted_acr: tuple[str, ...] = ()
    use_par: bool | str = "auto"  # True, False or "auto": when the provider requires it
    use_dpop: bool | str = "auto"  # True, False or "auto": when discovery announces DPoP

    @property
    def level_claim(self) -> str:
        return self.security_level_claim or "acr"


def _load_key(entry: dict[str, Any]) -> Any:
    raw = entry.get("private_key", "")
    if not raw and entry.get("private_key_file"):
        raw = Path(entry["private_key_file"]).read_text()
    if not raw:
        raise ImproperlyConfigured(f"OIDC provider {entry.get('name')!r}: no private_key "
                                   "or private_key_file")
    raw = raw.strip()
    if raw.startswith("{"):
        data = json.loads(raw)
        key_class: Any = {"RSA": RSAKey, "EC": ECKey, "OKP": OKPKey}[data["kty"]]
        key = key_class.import_key(data)
    else:
        key = None
        for key_class in (RSAKey, ECKey, OKPKey):
            try:
                key = key_class.import_key(raw)
                break
            except Exception:  # noqa: S112, BLE001 - try the next key type
                continue
        if key is None:
            raise ImproperlyConfigured(f"OIDC provider {entry.get('name')!r}: unreadable key")
    if entry.get("private_key_id"):
        data = key.as_dict(private=True)
        data["kid"] = entry["private_key_id"]
        key = type(key).import_key(data)
    elif not key.kid:
        data = key.as_dict(private=True)
        data["kid"] = key.thumbprint()
        key = type(key).import_key(data)
    return key


def _default_alg(key: Any) -> str:
    if isinstance(key, ECKey):
        return {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}[key.curve_name]
    if isinstance(key, OKPKey):
        return "EdDSA"
    return "RS256"


def _accepted_acr(preset: str, acr_values: list[str]) -> list[str]:
    if preset == "idporten" and acr_values:
        lowest = min(IDPORTEN_LEVELS.index(v) for v in acr_values if v in IDPORTEN_LEVELS)
        return IDPORTEN_LEVELS[lowest:]
    return list(acr_values)


def build_provider(entry: dict[str, Any]) -> Provider:
    preset = entry.get("preset") or (entry.get("name") if entry.get("name") in PRESETS
                                     else "generic")
    if preset not in PRESETS:
        raise ImproperlyConfigured(f"unknown OIDC preset {preset!r}")
    values = {**PRESETS[preset], **entry}
    for required in ("name", "issuer", "client_id", "kind", "identity_claim"):
        if not values.get(required):
            raise ImproperlyConfigured(f"OIDC provider {entry.get('name')!r}: {required} "
                                       "is required")
    if values["kind"] not in (STAFF, CITIZEN):
        raise ImproperlyConfigured(f"OIDC provider {values['name']!r}: kind must be "
                                   f"{STAFF!r} or {CITIZEN!r}")
    key = _load_key(values)
    scopes = values["scopes"]
    if isinstance(scopes, str):
        scopes = scopes.split()
    acr_values = list(values.get("acr_values") or [])
    accepted = values.get("accepted_acr") or _accepted_acr(preset, acr_values)
    level = values.get("min_security_level")
    return Provider(
        name=values["name"],
        label=values.get("label") or values["name"],
        kind=values["kind"],
        issuer=values["issuer"],
        client_id=values["client_id"],
        private_key=key,
        signing_alg=values.get("signing_alg") or _default_alg(key),
        scopes=tuple(scopes),
        identity_claim=values["identity_claim"],
        security_level_claim=values.get("security_level_claim", ""),
        min_security_level=int(level) if level is not None else None,
        acr_values=tuple(acr_values),
        accepted_acr=tuple(accepted),
        use_par=values.get("use_par", "auto"),
        use_dpop=values.get("use_dpop", "auto"),
    )


_cache: dict[str, dict[str, Provider]] = {}


def _raw_entries() -> tuple[str, list[dict[str, Any]]]:
    configured = getattr(settings, "OIDC_PROVIDERS", None)
    if configured is not None:
        return json.dumps(configured, sort_keys=True, default=str), list(configured)
    raw = os.environ.get("ETTERVERN_OIDC_PROVIDERS", "").strip()
    if not raw:
        return "", []
    text = raw if raw.startswith("[") else Path(raw).read_text()
    return text, json.loads(text)


def providers() -> dict[str, Provider]:
    """The configured providers by name, in the configured order."""
    marker, entries = _raw_entries()
    if marker not in _cache:
        built = [build_provider(entry) for entry in entries]
        _cache.clear()
        _cache[marker] = {p.name: p for p in built}
    return _cache[marker]


def get_provider(name: str) -> Provider | None:
    return providers().get(name)


def cache_seconds() -> int:
    return int(getattr(settings, "OIDC_CACHE_SECONDS", None)
               or os.environ.get("ETTERVERN_OIDC_CACHE_SECONDS", "3600"))
