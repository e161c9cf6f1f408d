"""`ettervern token create USERNAME [--label L]` prints a new API bearer token (and only that,
so `TOKEN=$(ettervern token create koordinator)` works). The token is shown once; only its
SHA-256 is stored.

`ettervern token revoke TOKEN` revokes one token; `ettervern token revoke --user USERNAME`
revokes all of a user's tokens.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ettervern.api.models import ApiToken, hash_token
from ettervern.core import clock


class Command(BaseCommand):
    help = "Create or revoke API bearer tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Print a new token for USERNAME.")
        create.add_argument("username")
        create.add_argument("--label", default="", help="What the token is for (max 100).")
        revoke = sub.add_parser("revoke", help="Revoke a token, or all of a user's tokens.")
        revoke.add_argument("token", nargs="?", help="The raw token to revoke.")
        revoke.add_argument("--user", dest="revoke_user", help="Revoke every token of USER.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(options["username"], options["label"])
        else:
            self._revoke(options.get("token"), options.get("revoke_user"))

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}. Tokens are issued to existing users.")
        if not user.is_active:
            raise CommandError(f"The user {username!r} is deactivated.")
        return user

    def _create(self, username: str, label: str) -> None:
        if len(label) > 100:
            raise CommandError("The label can be at most 100 characters.")
        _, raw = ApiToken.issue(self._user(username), label=label)
        self.stdout.write(raw)

    def _revoke(self, raw: str | None, username: str | None) -> None:
        if bool(raw) == bool(username):
            raise CommandError("Give either a token or --user USERNAME.")
        tokens = ApiToken.objects.filter(revoked_at__isnull=True)
        if raw:
            tokens = tokens.filter(key_hash=hash_token(raw))
        else:
            tokens = tokens.filter(user=self._user(username or ""))
        count = tokens.update(revoked_at=clock.now())
        if raw and count == 0:
            raise CommandError("No active token matches.")
        self.stderr.write(f"Revoked {count} token(s).")
