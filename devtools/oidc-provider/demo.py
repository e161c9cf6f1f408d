"""Run the local HelseID and ID-porten providers for `make demo` (see docs/sign-in.md).

    .venv/bin/python devtools/oidc-provider/demo.py            # serve until Ctrl-C

Writes, under $ETTERVERN_VAR_DIR/oidc-demo (default var/oidc-demo): a client key pair (made
once), the providers' client files and `providers.json`, the configuration to give the demo
server as ETTERVERN_OIDC_PROVIDERS. Starts HelseID on 127.0.0.1:9100 and ID-porten on
127.0.0.1:9101 and keeps their accounts files in step with the demo database: every demo
login with an HPR number can sign in with HelseID under its demo username (koordinator,
behandler, fastlege), and the demo patient and next of kin with ID-porten (pasient,
parorende). Synthetic people only; the key is for the demo and nothing else.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROJECT_DIR = HERE.parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from joserfc.jwk import RSAKey  # noqa: E402

from tests.oidc.provider import RunningProvider, client_metadata  # noqa: E402

CLIENT_ID = "ettervern-demo"


def _client_key(folder: Path) -> RSAKey:
    path = folder / "client-key.json"
    if path.exists():
        return RSAKey.import_key(json.loads(path.read_text()))
    key = RSAKey.generate_key(2048, auto_kid=True)
    path.write_text(json.dumps(key.as_dict(private=True)))
    path.chmod(0o600)
    return key


def _accounts(database: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(HelseID accounts, ID-porten accounts) from the demo database."""
    if not database.exists():
        return [], []
    with sqlite3.connect(database) as db:
        staff = db.execute(
            "SELECT u.username, s.hpr_number, s.name FROM directory_staff s "
            "JOIN auth_user u ON s.user_id = u.id WHERE s.hpr_number <> '' "
            "AND u.password NOT LIKE '!%'").fetchall()
        citizens = db.execute(
            "SELECT u.username, p.national_id FROM patients_patient p "
            "JOIN auth_user u ON p.user_id = u.id "
            "UNION SELECT u.username, k.national_id FROM patients_nextofkin k "
            "JOIN auth_user u ON k.user_id = u.id WHERE k.national_id <> ''").fetchall()
    helseid = [{"username": username, "claims": {
        "helseid://claims/hpr/hpr_number": hpr, "helseid://claims/identity/security_level": "4",
        "name": name}} for username, hpr, name in staff]
    idporten = [{"username": username, "acr": "idporten-loa-high", "claims": {"pid": pid}}
                for username, pid in citizens]
    # One account with a level that is too low, to see the refusal.
    idporten += [{"username": f"{username}-betydelig", "acr": "idporten-loa-substantial",
                  "claims": {"pid": pid}} for username, pid in citizens]
    return helseid, idporten


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app-url", action="append",
                        help="the demo's address (default http://127.0.0.1:8000 and "
                             "http://localhost:8000)")
    parser.add_argument("--helseid-port", type=int, default=9100)
    parser.add_argument("--idporten-port", type=int, default=9101)
    args = parser.parse_args()
    app_urls = args.app_url or ["http://127.0.0.1:8000", "http://localhost:8000"]

    var_dir = Path(os.environ.get("ETTERVERN_VAR_DIR", PROJECT_DIR / "var"))
    folder = var_dir / "oidc-demo"
    folder.mkdir(parents=True, exist_ok=True)
    key = _client_key(folder)

    def provider(profile: str, port: int) -> RunningProvider:
        clients = [client_metadata(
            CLIENT_ID, key, redirect_uris=[f"{url}/auth/{profile}/callback" for url in app_urls],
            post_logout_redirect_uris=[f"{url}/logg-inn/" for url in app_urls])]
        return RunningProvider(profile, folder / profile, port, clients, [])

    helseid = provider("helseid", args.helseid_port)
    idporten = provider("idporten", args.idporten_port)
    config = [{"name": op.profile, "preset": op.profile, "issuer": op.issuer,
               "client_id": CLIENT_ID, "private_key_file": str(folder / "client-key.json")}
              for op in (helseid, idporten)]
    providers_file = folder / "providers.json"
    providers_file.write_text(json.dumps(config, indent=2))

    running = True

    def stop(*_args: Any) -> None:
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    helseid.start()
    idporten.start()
    print(f"HelseID (local) at {helseid.issuer}, ID-porten (local) at {idporten.issuer}")
    print("Start the demo with:")
    print(f"  ETTERVERN_OIDC_PROVIDERS={providers_file} "
          f"ETTERVERN_CSP_FORM_ACTION_EXTRA={helseid.issuer},{idporten.issuer} make demo",
          flush=True)
    try:
        while running:
            try:
                staff, citizens = _accounts(var_dir / "ettervern.sqlite3")
            except sqlite3.OperationalError:
                # The demo database is still being created or migrated: look again shortly.
                time.sleep(2)
                continue
            if staff != helseid.accounts:
                helseid.write_accounts(staff)
            if citizens != idporten.accounts:
                idporten.write_accounts(citizens)
            time.sleep(2)
    finally:
        helseid.stop()
        idporten.stop()


if __name__ == "__main__":
    main()
