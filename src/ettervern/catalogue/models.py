"""The offers catalogue: what each level (specialist care, municipality, NAV, next of kin)
offers, which plan measures pick from. Administrators keep it in the admin; it holds no patient
data and knows nothing of pathways (docs/decisions/0017-checklist-and-catalogue.md)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from ettervern.core.models import BaseModel
from ettervern.directory.models import Organisation

NAME_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000


class Level(models.TextChoices):
    """Who offers it: the report's three columns, and the offers made to next of kin."""

    SPECIALIST = "specialist", _("Specialist health service")
    MUNICIPALITY = "municipality", _("Municipality")
    NAV = "nav", _("NAV")
    NEXT_OF_KIN = "next_of_kin", _("Next of kin")


class Offer(BaseModel):
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    # Empty: a generic offer that every municipality (every NAV office, every trust) has, as
    # the report lists them. Set: only that organisation offers it.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="offers",
        verbose_name=_("provided by"),
        help_text=_("Leave empty for an offer that every municipality (or every NAV office or "
                    "trust) has."))
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH,
                                   blank=True)
    starts_before_discharge = models.BooleanField(
        _("can start before discharge"), default=False,
        help_text=_("The offer can begin while the patient is still in the residential stay."))
    active = models.BooleanField(_("active"), default=True,
                                 help_text=_("Inactive offers are no longer offered in plans."))

    class Meta:
        ordering = ["level", "name", "id"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        indexes = [models.Index(fields=["level", "name"], name="offer_level_name"),
                   models.Index(fields=["organisation", "level"], name="offer_org_level")]
        constraints = [
            models.UniqueConstraint(fields=["level", "name"], condition=Q(organisation=None),
                                    name="offer_generic_unique_name"),
            models.UniqueConstraint(fields=["organisation", "level", "name"],
                                    name="offer_unique_name_per_organisation"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), DESCRIPTION_MAX_LENGTH),
                name="offer_description_max_length"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def provider_name(self) -> str:
        """Who offers it, as a reader says it."""
        if self.organisation is not None:
            return self.organisation.name
        return str(GENERIC_PROVIDER[self.level])

    @property
    def plain_provider(self) -> str:
        """Who offers it, in the patient's plain words ("your municipality")."""
        if self.organisation is not None:
            return self.organisation.name
        return str(PLAIN_GENERIC_PROVIDER[self.level])


# What an offer without an organisation is called on the pages and in the API.
GENERIC_PROVIDER: dict[str, Any] = {
    Level.SPECIALIST: _("Every hospital trust"),
    Level.MUNICIPALITY: _("Every municipality"),
    Level.NAV: _("Every NAV office"),
    Level.NEXT_OF_KIN: _("Every hospital trust"),
}

# The same, as the patient's own plan says it.
PLAIN_GENERIC_PROVIDER: dict[str, Any] = {
    Level.SPECIALIST: _("the hospital"),
    Level.MUNICIPALITY: _("your municipality"),
    Level.NAV: _("your NAV office"),
    Level.NEXT_OF_KIN: _("the hospital"),
}
