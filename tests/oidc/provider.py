"""Run the local OpenID Connect provider (devtools/oidc-provider, node's oidc-provider) from
tests: install it when needed, start it on a free 127.0.0.1 port, wait for discovery, stop.

Also drives its login form with `requests`, as a browser would, so a test can sign in.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from joserfc.jwk import RSAKey

PROJECT_DIR = Path(__file__).resolve().parents[2]
PROVIDER_DIR = PROJECT_DIR / "devtools" / "oidc-provider"
NODE = shutil.which("node") or "node"
NPM = shutil.which("npm") or "npm"


def ensure_installed() -> None:
    """`npm ci` from the committed lockfile when node_modules is missing."""
    if (PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json").exists():
        return
    subprocess.run([NPM, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def new_rsa_key() -> RSAKey:
    return RSAKey.generate_key(2048, auto_kid=True)


def write_signing_keys(path: Path, key: RSAKey | None = None) -> RSAKey:
    """The provider's signing key (private JWKS) for --keys; returns the key."""
    key = key or new_rsa_key()
    data = {**key.as_dict(private=True), "use": "sig", "alg": "RS256"}
    path.write_text(json.dumps({"keys": [data]}))
    return key


def client_metadata(client_id: str, key: RSAKey, *, redirect_uris: list[str],
                    post_logout_redirect_uris: list[str] | None = None) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "redirect_uris": redirect_uris,
        "post_logout_redirect_uris": post_logout_redirect_uris or [],
        "jwks": {"keys": [key.as_dict(private=False)]},
        "token_endpoint_auth_method": "private_key_jwt",
    }


@dataclass
class RunningProvider:
    profile: str
    folder: Path
    port: int
    clients: list[dict[str, Any]]
    accounts: list[dict[str, Any]]
    keys_path: Path | None = None
    id_token_ttl: int = 600
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.folder / f"{self.profile}-{self.port}.log"

    def write_accounts(self, accounts: list[dict[str, Any]]) -> None:
        """The provider re-reads this file at every login."""
        self.accounts = accounts
        (self.folder / "accounts.json").write_text(json.dumps(accounts))

    def start(self, timeout: float = 30) -> RunningProvider:
        ensure_installed()
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "clients.json").write_text(json.dumps(self.clients))
        self.write_accounts(self.accounts)
        command = [NODE, str(PROVIDER_DIR / "server.js"), "--profile", self.profile,
                   "--port", str(self.port), "--issuer", self.issuer,
                   "--clients", str(self.folder / "clients.json"),
                   "--accounts", str(self.folder / "accounts.json"),
                   "--id-token-ttl", str(self.id_token_ttl)]
        if self.keys_path is not None:
            command += ["--keys", str(self.keys_path)]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, cwd=PROVIDER_DIR, stdout=log,
                                            stderr=subprocess.STDOUT,
                                            env={**os.environ, "NODE_ENV": "test"})
        deadline = time.monotonic() + timeout
        url = self.issuer + "/.well-known/openid-configuration"
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"oidc-provider exited:\n{self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                    if response.status == 200:
                        return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"oidc-provider did not answer:\n{self.log_path.read_text()}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    def restart(self, *, keys_path: Path | None = None) -> RunningProvider:
        """Stop and start again on the same port (e.g. with a new signing key)."""
        self.stop()
        if keys_path is not None:
            self.keys_path = keys_path
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # wait until the port is free again
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", self.port))
                    break
                except OSError:
                    time.sleep(0.1)
        return self.start()


def sign_in_at_provider(authorize_url: str, username: str, *, stop_at: str,
                        session: requests.Session | None = None) -> str:
    """Follow the authorization request through the provider's login form as a browser would.

    Returns the first redirect that leaves the provider and starts with `stop_at` (our
    callback URL, with code and state)."""
    session = session or requests.Session()
    url = authorize_url
    submitted = False
    for _hop in range(20):
        response = session.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if url.startswith(stop_at):
                return url
            continue
        if response.status_code == 200 and 'name="username"' in response.text and not submitted:
            action = response.text.split('action="', 1)[1].split('"', 1)[0]
            post = session.post(urljoin(url, action), data={"username": username},
                                allow_redirects=False, timeout=10)
            if not post.is_redirect:
                raise AssertionError(f"provider login failed: {post.status_code} {post.text}")
            submitted = True
            url = urljoin(url, post.headers["Location"])
            if url.startswith(stop_at):
                return url
            continue
        raise AssertionError(f"unexpected provider answer at {url}: {response.status_code} "
                             f"{response.text[:500]}")
    raise AssertionError("too many redirects at the provider")


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
