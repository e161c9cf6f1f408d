"""Organisations, units and staff: who exists and where they work. No patient data here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ettervern.core.models import BaseModel


class Region(models.TextChoices):  # proper names: the same in every language
    SOR_OST = "sor-ost", "Helse Sør-Øst"
    VEST = "vest", "Helse Vest"
    MIDT = "midt", "Helse Midt-Norge"
    NORD = "nord", "Helse Nord"


class Organisation(BaseModel):
    class Kind(models.TextChoices):
        RHF = "rhf", _("Regional health authority")
        HF = "hf", _("Hospital trust")
        PRIVATE = "private", _("Private provider")
        KOMMUNE = "kommune", _("Municipality")
        NAV = "nav", _("NAV office")
        GP_PRACTICE = "gp", _("GP practice")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(_("organisation number"), max_length=9, unique=True)
    her_id = models.CharField(_("HER id"), max_length=20, blank=True)
    region = models.CharField(_("health region"), max_length=16, choices=Region.choices,
                              blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("parent organisation"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        # Namesakes are common (GP practices above all); the organisation number tells them apart.
        return f"{self.name} ({self.org_number})" if self.org_number else self.name


class Unit(BaseModel):
    class Kind(models.TextChoices):
        OUTPATIENT = "outpatient", _("Outpatient clinic (TSB)")
        RESIDENTIAL = "residential", _("Residential unit")
        MUNICIPAL = "municipal", _("Municipal service")
        NAV = "nav", _("NAV office")
        GP = "gp", _("GP office")
        ADMIN = "admin", _("Administration")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units",
                                     verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    municipality_name = models.CharField(_("municipality"), max_length=100, blank=True)
    # Who leads the unit: they follow up its emergency accesses (Normen); colleagues do not see
    # them, since the reasons speak of patients they have no role with.
    leaders: models.ManyToManyField[Staff, Any] = models.ManyToManyField(
        "Staff", blank=True, related_name="led_units", verbose_name=_("leaders"))

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        """The unit with what tells namesakes apart: its organisation (unless the unit is named
        like it, as GP practices are) and its municipality (unless a name already says it)."""
        organisation = self.organisation.name
        details = [] if organisation == self.name else [organisation]
        place = self.municipality_name
        if place and place not in self.name and place not in organisation:
            details.append(place)
        return f"{self.name} ({', '.join(details)})" if details else self.name


class Staff(BaseModel):
    """A person who works in a service.

    The login is `user`; what they may see comes from care teams.
    """

    class Profession(models.TextChoices):
        COORDINATOR = "coordinator", _("Outpatient coordinator")
        CLINICIAN = "clinician", _("Clinician")
        MUNICIPAL = "municipal", _("Municipal follow-up")
        NAV = "nav", _("NAV advisor")
        GP = "gp", _("General practitioner")
        ADMIN = "admin", _("Unit administrator")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="staff", verbose_name=_("user account"))
    name = models.CharField(_("name"), max_length=200)
    hpr_number = models.CharField(_("HPR number"), max_length=9, blank=True, db_index=True)
    profession = models.CharField(_("profession"), max_length=16, choices=Profession.choices)
    units = models.ManyToManyField(Unit, related_name="staff", blank=True,
                                   verbose_name=_("units"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return self.name


class CooperationAgreement(BaseModel):
    """Samarbeidsavtale between a hospital trust and a municipality."""

    trust = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                              limit_choices_to={"kind": Organisation.Kind.HF},
                              verbose_name=_("hospital trust"))
    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     limit_choices_to={"kind": Organisation.Kind.KOMMUNE},
                                     verbose_name=_("municipality"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trust", "municipality", "valid_from"],
                                    name="agreement_unique_start"),
        ]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")

    def __str__(self) -> str:
        return f"{self.trust.name} – {self.municipality.name}"
