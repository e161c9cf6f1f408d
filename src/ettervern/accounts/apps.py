from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ettervern.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_stamp_activity_at_sign_in, dispatch_uid="accounts.activity")


def _stamp_activity_at_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Every sign-in (local, OIDC, the test client's force_login) starts the idle clock."""
    from ettervern.accounts.middleware import stamp_activity

    if request is not None and hasattr(request, "session"):
        stamp_activity(request.session)
