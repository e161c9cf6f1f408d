"""The patient, their next of kin and the consent they give. Read only through the access policy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ettervern.core.identifiers import DNR, FNR, HNR
from ettervern.core.models import BaseModel
from ettervern.directory.models import Organisation

# A given or a family name, in characters (the services refuse longer ones; see pathway_open).
NAME_MAX_LENGTH = 100


class Patient(BaseModel):
    class IdKind(models.TextChoices):
        FNR_ = FNR, _("Fødselsnummer")
        DNR_ = DNR, _("D-nummer")
        HNR_ = HNR, _("H-nummer")

    national_id = models.CharField(max_length=11, unique=True)
    id_kind = models.CharField(max_length=3, choices=IdKind.choices)
    given_name = models.CharField(max_length=NAME_MAX_LENGTH)
    family_name = models.CharField(max_length=NAME_MAX_LENGTH)
    birth_date = models.DateField()
    municipality = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(max_length=20, blank=True)
    # Set when the patient signs in (ID-porten later, a local login in demo).
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="patient")

    class Meta:
        verbose_name = _("patient")

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def __str__(self) -> str:
        return self.full_name


class NextOfKin(BaseModel):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="next_of_kin")
    name = models.CharField(max_length=200)
    relation = models.CharField(max_length=100)
    phone = models.CharField(max_length=20, blank=True)
    # Known when the next of kin is to sign in with ID-porten (matched on the pid claim).
    national_id = models.CharField(max_length=11, blank=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="next_of_kin_roles")

    class Meta:
        verbose_name = _("next of kin")

    def __str__(self) -> str:
        return self.name


class Consent(BaseModel):
    """The patient lets one next of kin see one kind of information.

    Withdrawal takes effect at once.
    """

    class Scope(models.TextChoices):
        # The pathway overview: phase, stays, care team, timeline.
        # Later issues add plan, crisis plan…
        PATHWAY = "pathway", _("Pathway overview")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    next_of_kin = models.ForeignKey(NextOfKin, on_delete=models.PROTECT, related_name="consents")
    scope = models.CharField(max_length=32, choices=Scope.choices)
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["next_of_kin", "scope"],
                                    condition=Q(withdrawn_at__isnull=True),
                                    name="consent_one_active_per_scope"),
        ]
