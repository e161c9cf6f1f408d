"""`ettervern token create USERNAME` prints a token that then works; revoking stops it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ettervern.api.models import ApiToken, hash_token


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def get_with(raw: str, url: str = "/api/pathways"):  # type: ignore[no-untyped-def]
    return Client().get(url, headers={"Authorization": f"Bearer {raw}"})


def test_create_prints_only_a_token_that_authenticates(coordinator, pathway):
    out, _ = run("create", "koord", "--label", "integrasjon")
    raw = out.strip()
    assert out.count("\n") <= 1 and " " not in raw
    assert raw.startswith("ev_")
    token = ApiToken.objects.get()
    assert token.key_hash == hash_token(raw) != raw  # only the hash is stored
    assert token.label == "integrasjon"
    response = get_with(raw)
    assert response.status_code == 200
    assert response.json()["items"][0]["id"] == str(pathway.public_id)


def test_unknown_user_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("create", "nobody")
    assert not ApiToken.objects.exists()


def test_revoke_one_token(coordinator, pathway):
    raw = run("create", "koord")[0].strip()
    other = run("create", "koord")[0].strip()
    run("revoke", raw)
    assert get_with(raw).status_code == 401
    assert get_with(other).status_code == 200


def test_revoke_all_of_a_user(coordinator, pathway):
    tokens = [run("create", "koord")[0].strip() for _ in range(2)]
    _, err = run("revoke", "--user", "koord")
    assert "2" in err
    assert all(get_with(raw).status_code == 401 for raw in tokens)


def test_revoke_needs_exactly_one_target(coordinator):
    with pytest.raises(CommandError):
        run("revoke")
    with pytest.raises(CommandError, match="No active token"):
        run("revoke", "ev_unknown")
