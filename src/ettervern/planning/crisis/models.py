"""The crisis plan (kriseplan): one per pathway, written with the patient, read by the patient
at any time (also offline, on the patient's request) and by the care team.

Free text has limits here, in the services, in the API schemas and forms, and in the database
(check constraints), like the pathway's notes (docs/decisions/0011-api-limits-and-errors.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from ettervern.core.models import BaseModel
from ettervern.pathways.models import Pathway

SECTION_MAX_LENGTH = 2000   # warning signs, what the patient does, what others do
BED_MAX_LENGTH = 1000       # the link to the user-controlled bed (free text for now)
CONTACT_NAME_MAX_LENGTH = 100
CONTACT_WHEN_MAX_LENGTH = 300
# Stored normalised: "+47" and eight digits, or a short emergency number ("113").
PHONE_MAX_LENGTH = 16
MAX_CONTACTS = 10


def _text_within(field: str, limit: int, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


class CrisisPlan(BaseModel):
    pathway = models.OneToOneField(Pathway, on_delete=models.PROTECT, related_name="crisis_plan")
    warning_signs = models.TextField(_("warning signs"), max_length=SECTION_MAX_LENGTH,
                                     blank=True)
    own_actions = models.TextField(_("what the patient does"), max_length=SECTION_MAX_LENGTH,
                                   blank=True)
    others_actions = models.TextField(_("what others do"), max_length=SECTION_MAX_LENGTH,
                                      blank=True)
    bed = models.TextField(_("user-controlled bed"), max_length=BED_MAX_LENGTH, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            _text_within("warning_signs", SECTION_MAX_LENGTH, "crisisplan_warning_signs_max"),
            _text_within("own_actions", SECTION_MAX_LENGTH, "crisisplan_own_actions_max"),
            _text_within("others_actions", SECTION_MAX_LENGTH, "crisisplan_others_actions_max"),
            _text_within("bed", BED_MAX_LENGTH, "crisisplan_bed_max"),
        ]

    def __str__(self) -> str:
        return f"Crisis plan {self.public_id}"


class CrisisContact(models.Model):
    """Whom to call, and when. Kept in the order the plan lists them."""

    plan = models.ForeignKey(CrisisPlan, on_delete=models.CASCADE, related_name="contacts")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=CONTACT_NAME_MAX_LENGTH)
    phone = models.CharField(max_length=PHONE_MAX_LENGTH)
    when = models.CharField(max_length=CONTACT_WHEN_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="crisiscontact_position"),
            models.CheckConstraint(condition=~Q(name=""), name="crisiscontact_has_name"),
            # "+47" and 8 digits, or a 3- or 6-digit Norwegian emergency or helpline number.
            models.CheckConstraint(condition=Q(phone__regex=r"^(\+47[2-9][0-9]{7}|[0-9]{3}|[0-9]{6})$"),
                                   name="crisiscontact_phone_normalised"),
            _text_within("name", CONTACT_NAME_MAX_LENGTH, "crisiscontact_name_max"),
            _text_within("when", CONTACT_WHEN_MAX_LENGTH, "crisiscontact_when_max"),
        ]

    def __str__(self) -> str:
        return self.name
