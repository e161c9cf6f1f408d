"""The shared base model: internal id, stable public id, timestamps, and a version number
for optimistic locking."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from ettervern.core import clock
from ettervern.core.errors import StaleVersion


class BaseModel(models.Model):
    # Internal bigint key for joins; public_id is what URLs, the API and FHIR expose.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


def update_versioned(instance: BaseModel, *, expected_version: int, **changes: Any) -> None:
    """Write `changes` only if the row still has `expected_version`; bump it. Else StaleVersion.

    The compare-and-set happens in one UPDATE, so two concurrent writers cannot both win.
    """
    model = type(instance)
    changes["updated_at"] = clock.now()
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if updated != 1:
        raise StaleVersion(
            _("Someone else changed this in the meantime. Reload the page and try again.")
        )
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.version = expected_version + 1
