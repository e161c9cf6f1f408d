from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _allow_test_flush(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Test databases are emptied with TRUNCATE between transactional tests; let that through.
    UPDATE and DELETE on the audit log stay refused (migration access 0003)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET ettervern.allow_audit_truncate = 'on'")


class AccessConfig(AppConfig):
    name = "ettervern.access"
    label = "access"
    verbose_name = _("Access and audit")

    def ready(self) -> None:
        from django.conf import settings
        from django.db.backends.signals import connection_created

        if getattr(settings, "TESTING", False):
            connection_created.connect(_allow_test_flush, dispatch_uid="access_allow_test_flush")
