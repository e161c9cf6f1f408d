"""Blocks (sperring) and emergency accesses: rows that change who may read a patient's data.

pathways/team.py reads both tables by name (`rights_block`, `rights_emergencyaccess`) in the
one access query; the columns it reads are `patient_id`, `staff_id`, `lifted_at`,
`pathway_id`, `opened_at` and `expires_at`. A change of any of them must change that SQL.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from ettervern.core import clock
from ettervern.core.models import BaseModel
from ettervern.directory.models import Staff, Unit
from ettervern.pathways.models import Pathway
from ettervern.patients.models import Patient

# An emergency access lasts this long, reads only, and needs a reason of this length.
EMERGENCY_DURATION = dt.timedelta(hours=4)
EMERGENCY_REASON_MIN_LENGTH = 10
EMERGENCY_REASON_MAX_LENGTH = 1000


class Block(BaseModel):
    """The patient has blocked a named staff member (pbrl § 5-3, hpl § 25): every basis that
    person has on the patient's pathways is gone, except the coordinator's (which cannot be
    blocked; the patient asks for a new coordinator instead). Lifting keeps the row."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="blocks")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            # One active block per person: blocking twice is refused by the database too.
            models.UniqueConstraint(fields=["patient", "staff"],
                                    condition=Q(lifted_at__isnull=True),
                                    name="block_one_active_per_staff"),
        ]
        indexes = [
            # The access query's lookup from the staff member's side (small: active only).
            models.Index(fields=["staff"], include=["patient"],
                         condition=Q(lifted_at__isnull=True), name="block_active_by_staff"),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} blocks {self.staff_id}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class EmergencyAccess(BaseModel):
    """A health professional with no role on the pathway opened it to read, for a stated
    reason and a limited time. Shown in the patient's access log, to the coordinator at once,
    to the patient on their first page, and to the unit's leader for follow-up (Normen)."""

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="+")
    # The pathway's patient, kept here so the patient's first page reads this table alone.
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    # The unit the staff member acted for: its leader follows the access up.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=EMERGENCY_REASON_MAX_LENGTH)
    opened_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("opened_at")),
                                   name="emergency_expires_after_opening"),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("reason"), EMERGENCY_REASON_MIN_LENGTH)
                & LessThanOrEqual(Length("reason"), EMERGENCY_REASON_MAX_LENGTH),
                name="emergency_reason_length"),
        ]
        indexes = [
            models.Index(fields=["staff", "pathway", "expires_at"], name="emergency_by_staff"),
            models.Index(fields=["pathway", "-opened_at"], name="emergency_by_pathway"),
            models.Index(fields=["patient", "-opened_at"], name="emergency_by_patient"),
            models.Index(fields=["unit", "-opened_at", "-id"], name="emergency_by_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} on {self.pathway_id} until {self.expires_at:%Y-%m-%d %H:%M}"

    def is_active_at(self, at: dt.datetime) -> bool:
        return self.opened_at <= at < self.expires_at
