"""The checkpoints before discharge, the ticks where the data cannot tell, and the overrides.

The list of checkpoints is data (CheckpointType): a region may reorder, rename or retire one in
the admin. How a checkpoint is decided is code (discharge/checkpoints.py), named by `rule`:
derived from the data wherever the data can tell, ticked by hand (with a name and a date) only
where it cannot. See docs/decisions/0027-discharge-checkpoints-and-gate.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ettervern.core import clock
from ettervern.pathways.models import REASON_MAX_LENGTH, Stay

NOTE_MAX_LENGTH = 500


class CheckpointType(models.Model):
    class Rule(models.TextChoices):
        # Decided by the data only: a tick would be a claim the data contradicts.
        DERIVED = "derived", _("From the data")
        # The data cannot tell: a person ticks it.
        MANUAL = "manual", _("Ticked by hand")
        # The data tells when it can (an agreement exists); otherwise a person ticks it (the
        # decision was "not needed").
        DERIVED_OR_MANUAL = "derived_or_manual", _("From the data, or ticked by hand")

    # Names the code that decides it (checkpoints.DERIVATIONS); stable.
    key = models.SlugField(_("key"), max_length=50, unique=True)
    title = models.CharField(_("name"), max_length=200)
    title_en = models.CharField(_("name in English"), max_length=200, blank=True)
    rule = models.CharField(_("how it is decided"), max_length=20, choices=Rule.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("checkpoint before discharge")
        verbose_name_plural = _("checkpoints before discharge")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if get_language() == "en" and self.title_en:
            return self.title_en
        return self.title

    @property
    def tickable(self) -> bool:
        return self.rule != self.Rule.DERIVED


class CheckpointTick(models.Model):
    """A checkpoint ticked by hand for one stay: who, when, and a note. Unticking keeps the
    row (withdrawn_at) so that the history says who claimed what."""

    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="checkpoint_ticks")
    checkpoint = models.ForeignKey(CheckpointType, on_delete=models.PROTECT, related_name="+")
    ticked_at = models.DateTimeField(default=clock.now)
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    ticked_by_name = models.CharField(max_length=200)
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stay", "checkpoint"],
                                    condition=Q(withdrawn_at__isnull=True),
                                    name="checkpointtick_one_active"),
            models.CheckConstraint(condition=LessThanOrEqual(Length("note"), NOTE_MAX_LENGTH),
                                   name="checkpointtick_note_max_length"),
        ]
        indexes = [models.Index(fields=["stay"], condition=Q(withdrawn_at__isnull=True),
                                name="checkpointtick_active_by_stay")]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} ticked for stay {self.stay_id}"


class DischargeOverride(models.Model):
    """A discharge through the gate with checkpoints open: the clinician's reason, the open
    checkpoints (keys and names as they were), the person and the time. Never changed; shown on
    the pathway and counted by the KPIs."""

    stay = models.OneToOneField(Stay, on_delete=models.PROTECT, related_name="discharge_override")
    reason = models.TextField(max_length=REASON_MAX_LENGTH)
    open_checkpoints = models.JSONField()
    at = models.DateTimeField(default=clock.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="dischargeoverride_has_reason"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("reason"), REASON_MAX_LENGTH),
                name="dischargeoverride_reason_max_length"),
        ]
        indexes = [models.Index(fields=["at"], name="dischargeoverride_at")]

    def __str__(self) -> str:
        return f"Discharge of stay {self.stay_id} with open checkpoints"

    @property
    def open_titles(self) -> list[str]:
        return [item.get("title", item.get("key", "")) for item in self.open_checkpoints]
