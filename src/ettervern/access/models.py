"""The one append-only audit log.

Ids are stored as plain integers, not foreign keys: an audit row must outlive what it names
and must never be touched by a cascade. On PostgreSQL a trigger refuses UPDATE and DELETE.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from ettervern.core import clock

# What the patient's "who has seen my data" shows of each access (access.audit.seen_by).
SEEN_BY_COLUMNS = ["actor_name", "actor_organisation", "action", "basis", "outcome", "channel"]


class AuditEvent(models.Model):
    class Outcome(models.TextChoices):
        ALLOWED = "allowed", _("Allowed")
        DENIED = "denied", _("Denied")

    class Channel(models.TextChoices):
        WEB = "web", _("Web page")
        API = "api", _("API")
        CLI = "cli", _("Command line")
        SYSTEM = "system", _("System")

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(default=clock.now)
    actor_id = models.BigIntegerField(null=True)
    actor_name = models.CharField(max_length=200)
    actor_organisation = models.CharField(max_length=200, blank=True)
    patient_id = models.BigIntegerField(null=True)
    pathway_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    # Why access was allowed (which role on the team, which consent) or why it was refused.
    basis = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [
            # "Who has seen my data": per patient, newest first, answered from the index alone
            # on PostgreSQL (the columns the patient's log shows are included; SQLite ignores
            # INCLUDE). docs/decisions/0016-audit-log-at-scale.md
            models.Index(fields=["patient_id", "-at", "-id"], name="audit_patient_at",
                         include=SEEN_BY_COLUMNS),
            models.Index(fields=["actor_id", "-at", "-id"], name="audit_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise RuntimeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("The audit log is append-only.")
