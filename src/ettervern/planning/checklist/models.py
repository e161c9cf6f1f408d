"""The pre-admission checklist: what must be clarified before a residential stay.

The list of things to clarify is data (ChecklistItemType), kept by administrators with an order
and an active flag, so a region can add its own. A pathway entering pre-admission gets one
ChecklistItem per active type (services.checklist_create, called by the phase change).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ettervern.core.models import BaseModel
from ettervern.directory.models import Staff
from ettervern.pathways.models import Pathway

# A checklist note is a line or two for colleagues ("Husleie betalt ut mars, nabo passer
# katten"), not the plan itself.
NOTE_MAX_LENGTH = 1000


class ChecklistItemType(BaseModel):
    """One thing to clarify before admission. Names are written by people (a region adds its
    own), so they are data in Norwegian with an optional English name, not message ids."""

    key = models.SlugField(_("key"), max_length=50, unique=True,
                           help_text=_("A short, stable identifier (letters, digits, hyphens)."))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    patient_text = models.CharField(
        _("in plain words for the patient"), max_length=300, blank=True,
        help_text=_("How the patient's own page says it, e.g. \"Who looks after your pets\"."))
    description = models.TextField(_("guidance"), max_length=1000, blank=True,
                                   help_text=_("What to clarify, for the staff."))
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(
        _("active"), default=True,
        help_text=_("Only active items are put on new checklists; existing ones keep theirs."))

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("checklist item type")
        verbose_name_plural = _("checklist item types")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language, when there is one."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    @property
    def plain(self) -> str:
        return self.patient_text or self.name


class ChecklistItem(BaseModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        CLARIFIED = "clarified", _("Clarified")
        NOT_RELEVANT = "not_relevant", _("Not relevant")

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT,
                                related_name="checklist_items")
    item_type = models.ForeignKey(ChecklistItemType, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    # Someone on the care team: the coordinator or an active member (checked by the service).
    owner = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    # By when it should be clarified, or when it was (the owner decides what the date means).
    due_on = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pathway", "item_type"],
                                    name="checklist_one_item_per_type"),
            models.CheckConstraint(condition=Q(status__in=["not_started", "clarified",
                                                           "not_relevant"]),
                                   name="checklist_item_status_known"),
            models.CheckConstraint(condition=LessThanOrEqual(Length("note"), NOTE_MAX_LENGTH),
                                   name="checklist_item_note_max_length"),
        ]
        # The worklist's progress column counts a page of pathways' items by status.
        indexes = [models.Index(fields=["pathway", "status"], name="checklist_pathway_status")]

    def __str__(self) -> str:
        return f"{self.item_type} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.NOT_STARTED


DONE = (ChecklistItem.Status.CLARIFIED, ChecklistItem.Status.NOT_RELEVANT)
