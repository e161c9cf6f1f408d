"""Organisations, units and staff: who exists and where they work. No patient data here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ettervern.core.models import BaseModel


class Region(models.TextChoices):
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

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=200)
    org_number = models.CharField(max_length=9, unique=True)
    her_id = models.CharField(max_length=20, blank=True)
    region = models.CharField(max_length=16, choices=Region.choices, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class Unit(BaseModel):
    class Kind(models.TextChoices):
        OUTPATIENT = "outpatient", _("Outpatient clinic (TSB)")
        RESIDENTIAL = "residential", _("Residential unit")
        MUNICIPAL = "municipal", _("Municipal service")
        NAV = "nav", _("NAV office")
        GP = "gp", _("GP office")
        ADMIN = "admin", _("Administration")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=200)
    municipality_name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]
        verbose_name = _("unit")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"


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
                                related_name="staff")
    name = models.CharField(max_length=200)
    hpr_number = models.CharField(max_length=9, blank=True, db_index=True)
    profession = models.CharField(max_length=16, choices=Profession.choices)
    units = models.ManyToManyField(Unit, related_name="staff", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("staff member")

    def __str__(self) -> str:
        return self.name


class CooperationAgreement(BaseModel):
    """Samarbeidsavtale between a hospital trust and a municipality."""

    trust = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trust", "municipality", "valid_from"],
                                    name="agreement_unique_start"),
        ]
