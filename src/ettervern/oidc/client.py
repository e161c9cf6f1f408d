"""The thin protocol parts of the OpenID Connect client; the cryptography is Authlib's and
joserfc's (see docs/decisions/0008-oidc-sign-in.md).

Discovery and JWKS are fetched with requests and kept in Django's cache; an ID token signed
with a key id we have not seen makes one JWKS refetch, so a provider's key rotation is
followed without a restart.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.common.security import generate_token
from authlib.oauth2.rfc7523 import private_key_jwt_sign
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.core.cache import cache
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet
from joserfc.jwt import JWTClaimsRegistry

from ettervern.core import clock
from ettervern.oidc.conf import Provider, cache_seconds

TIMEOUT = 10
ASSERTION_SECONDS = 60
LEEWAY_SECONDS = 30
ID_TOKEN_ALGORITHMS = ["RS256", "PS256", "ES256", "RS384", "PS384", "ES384", "RS512",
                       "PS512", "ES512", "EdDSA"]


class OIDCError(Exception):
    """The provider could not be reached or answered with an error (not the user's fault)."""


class Refused(Exception):  # noqa: N818 - a refusal, not a bug
    """A sign-in is refused; `reason` is a short code for the audit log."""

    def __init__(self, reason: str, level: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.level = level


# --- discovery and keys -------------------------------------------------------------------

def _cache_key(kind: str, issuer: str) -> str:
    return f"oidc:{kind}:{hashlib.sha256(issuer.encode()).hexdigest()[:32]}"


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        data: dict[str, Any] = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise OIDCError(f"{url}: {exc}") from exc
    return data


def discovery(provider: Provider) -> dict[str, Any]:
    key = _cache_key("discovery", provider.issuer)
    document: dict[str, Any] | None = cache.get(key)
    if document is None:
        document = _get_json(provider.issuer.rstrip("/") + "/.well-known/openid-configuration")
        if document.get("issuer") != provider.issuer:
            raise OIDCError(f"discovery issuer {document.get('issuer')!r} is not "
                            f"{provider.issuer!r}")
        cache.set(key, document, cache_seconds())
    return document


def jwks(provider: Provider, *, refresh: bool = False) -> dict[str, Any]:
    key = _cache_key("jwks", provider.issuer)
    keys: dict[str, Any] | None = None if refresh else cache.get(key)
    if keys is None:
        keys = _get_json(discovery(provider)["jwks_uri"])
        cache.set(key, keys, cache_seconds())
    return keys


def uses_par(provider: Provider, metadata: dict[str, Any]) -> bool:
    if provider.use_par == "auto":
        return bool(metadata.get("require_pushed_authorization_requests"))
    return bool(provider.use_par) and "pushed_authorization_request_endpoint" in metadata


def uses_dpop(provider: Provider, metadata: dict[str, Any]) -> bool:
    if provider.use_dpop == "auto":
        return bool(metadata.get("dpop_signing_alg_values_supported"))
    return bool(provider.use_dpop)


# --- client authentication, PKCE, DPoP ----------------------------------------------------

def client_assertion(provider: Provider, audience: str) -> dict[str, str]:
    """private_key_jwt (RFC 7523): short-lived, unique jti, aud = the token endpoint."""
    assertion = private_key_jwt_sign(
        provider.private_key, provider.client_id, audience, alg=provider.signing_alg,
        header={"kid": provider.private_key.kid, "typ": "JWT"},
        expires_in=ASSERTION_SECONDS,
    )
    return {
        "client_id": provider.client_id,
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion,
    }


def new_pkce() -> tuple[str, str]:
    verifier = generate_token(64)
    return verifier, create_s256_code_challenge(verifier)


def new_dpop_key() -> ECKey:
    return ECKey.generate_key("P-256", auto_kid=True)


def dpop_proof(key: ECKey, method: str, url: str, *, nonce: str | None = None,
               access_token: str | None = None) -> str:
    """A DPoP proof (RFC 9449): typ dpop+jwt, the public key in the header, htm/htu/iat/jti,
    the server's nonce when it asked for one and `ath` for a call with an access token."""
    claims: dict[str, Any] = {"htm": method.upper(), "htu": url.split("?")[0].split("#")[0],
                              "iat": int(time.time()), "jti": generate_token(32)}
    if nonce:
        claims["nonce"] = nonce
    if access_token:
        digest = hashlib.sha256(access_token.encode("ascii")).digest()
        claims["ath"] = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": key.as_dict(private=False)}
    return jwt.encode(header, claims, key, algorithms=["ES256"])


def _post(url: str, make_data: Callable[[], dict[str, str]], *,
          dpop_key: ECKey | None = None) -> requests.Response:
    """POST, with a DPoP proof when `dpop_key` is given; retries once with the server's
    DPoP-Nonce when the server asks for one (error use_dpop_nonce). `make_data` is called
    per attempt: a client assertion's jti is single-use."""
    nonce: str | None = None
    for _attempt in range(2):
        headers = {}
        if dpop_key is not None:
            headers["DPoP"] = dpop_proof(dpop_key, "POST", url, nonce=nonce)
        try:
            response = requests.post(url, data=make_data(), headers=headers, timeout=TIMEOUT)
        except requests.RequestException as exc:
            raise OIDCError(f"{url}: {exc}") from exc
        if (dpop_key is not None and response.status_code in (400, 401)
                and response.headers.get("DPoP-Nonce") and nonce is None
                and _error_code(response) == "use_dpop_nonce"):
            nonce = response.headers["DPoP-Nonce"]
            continue
        return response
    return response


def _error_code(response: requests.Response) -> str:
    try:
        return str(response.json().get("error", ""))
    except ValueError:
        return ""


# --- the authorization request ------------------------------------------------------------

def authorization_url(provider: Provider, *, redirect_uri: str, state: str, nonce: str,
                      code_challenge: str) -> str:
    metadata = discovery(provider)
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(provider.scopes),
        "state": state,
        "nonce": nonce,
        "code_challenge": code_challenge,
        "code_challenge_method": "S256",
    }
    if provider.acr_values:
        params["acr_values"] = " ".join(provider.acr_values)
    endpoint = metadata["authorization_endpoint"]
    if uses_par(provider, metadata):
        par_endpoint = metadata["pushed_authorization_request_endpoint"]
        pushed = params
        response = _post(par_endpoint, lambda: {
            **pushed, **client_assertion(provider, metadata["token_endpoint"])})
        if response.status_code not in (200, 201):
            raise OIDCError(f"PAR refused: {response.status_code} {response.text[:300]}")
        params = {"client_id": provider.client_id,
                  "request_uri": response.json()["request_uri"]}
    return f"{endpoint}?{urlencode(params)}"


# --- the token request --------------------------------------------------------------------

def exchange_code(provider: Provider, *, code: str, redirect_uri: str,
                  code_verifier: str) -> dict[str, Any]:
    """The token request. Returns the token response; `dpop_key` is added when the access
    token is DPoP-bound (the key the resource calls must prove)."""
    metadata = discovery(provider)
    token_endpoint = metadata["token_endpoint"]
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "code_verifier": code_verifier}
    dpop_key = new_dpop_key() if uses_dpop(provider, metadata) else None
    response = _post(token_endpoint,
                     lambda: {**data, **client_assertion(provider, token_endpoint)},
                     dpop_key=dpop_key)
    if response.status_code != 200:
        raise OIDCError(f"token request refused: {response.status_code} {response.text[:300]}")
    tokens: dict[str, Any] = response.json()
    if dpop_key is not None:
        tokens["dpop_key"] = dpop_key
    return tokens


def userinfo(provider: Provider, tokens: dict[str, Any]) -> dict[str, Any]:
    """A resource call with the access token: DPoP-bound (proof with `ath`) when it is one."""
    url = discovery(provider)["userinfo_endpoint"]
    access_token = tokens["access_token"]
    dpop_key = tokens.get("dpop_key")
    nonce: str | None = None
    for _attempt in range(2):
        if dpop_key is not None and str(tokens.get("token_type", "")).lower() == "dpop":
            headers = {"Authorization": f"DPoP {access_token}",
                       "DPoP": dpop_proof(dpop_key, "GET", url, nonce=nonce,
                                          access_token=access_token)}
        else:
            headers = {"Authorization": f"Bearer {access_token}"}
        response = requests.get(url, headers=headers, timeout=TIMEOUT)
        if response.status_code == 401 and response.headers.get("DPoP-Nonce") and nonce is None:
            nonce = response.headers["DPoP-Nonce"]
            continue
        break
    if response.status_code != 200:
        raise OIDCError(f"userinfo refused: {response.status_code} {response.text[:300]}")
    data: dict[str, Any] = response.json()
    return data


# --- the ID token -------------------------------------------------------------------------

def _key_set(provider: Provider, kid: str | None) -> KeySet:
    data = jwks(provider)
    if kid and not any(k.get("kid") == kid for k in data.get("keys", [])):
        data = jwks(provider, refresh=True)  # an unknown key: the provider may have rotated
    return KeySet.import_key_set(data)  # type: ignore[arg-type]


def validate_id_token(provider: Provider, id_token: str, *, nonce: str) -> dict[str, Any]:
    """Signature, iss, aud, azp, exp, iat and nonce; raises Refused with the reason."""
    try:
        header = jws.extract_compact(id_token.encode("ascii")).headers()
    except (JoseError, ValueError, UnicodeError) as exc:
        raise Refused("id_token_malformed") from exc
    try:
        key_set = _key_set(provider, header.get("kid"))
        token = jwt.decode(id_token, key_set, algorithms=ID_TOKEN_ALGORITHMS)
    except JoseError as exc:
        raise Refused("id_token_signature") from exc
    except ValueError as exc:  # no key with that kid, even after a refetch
        raise Refused("id_token_signature") from exc
    claims = dict(token.claims)
    if claims.get("iss") != provider.issuer:
        raise Refused("id_token_issuer")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if provider.client_id not in audiences:
        raise Refused("id_token_audience")
    if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != provider.client_id:
        raise Refused("id_token_audience")
    now = int(clock.now().timestamp())
    registry = JWTClaimsRegistry(now=now, leeway=LEEWAY_SECONDS,
                                 exp={"essential": True}, iat={"essential": True})
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise Refused("id_token_expired") from exc
    if int(claims["iat"]) > now + LEEWAY_SECONDS:
        raise Refused("id_token_expired")
    if not nonce or claims.get("nonce") != nonce:
        raise Refused("nonce")
    return claims


def end_session_url(provider: Provider, *, id_token: str,
                    post_logout_redirect_uri: str) -> str | None:
    endpoint = discovery(provider).get("end_session_endpoint")
    if not endpoint:
        return None
    params = {"id_token_hint": id_token, "post_logout_redirect_uri": post_logout_redirect_uri,
              "client_id": provider.client_id}
    return f"{endpoint}?{urlencode(params)}"
