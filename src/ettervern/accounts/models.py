"""Failed local sign-ins, counted in the database (app servers are stateless)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginFailure(models.Model):
    """One refused password or code. Rows older than the throttle window are pruned as new
    failures arrive; a successful sign-in removes that username's rows (and no others)."""

    username = models.CharField(_("username"), max_length=150)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        indexes = [
            models.Index(fields=["username", "at"], name="loginfailure_username_at"),
            models.Index(fields=["ip", "at"], name="loginfailure_ip_at"),
            models.Index(fields=["at"], name="loginfailure_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.ip or ''} {self.at:%Y-%m-%d %H:%M:%S}"
