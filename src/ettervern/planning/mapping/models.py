"""The mapping (kartlegging): life areas as data, rated per round by the clinician and,
separately, by the patient (the own assessment), repeated over time so change is visible.

The scale is 1–5, higher is better (docs/decisions/0019-crisis-plan-and-mapping.md):
1 serious problems … 5 going well. Each side of a round (the clinician's, the patient's) is
one versioned record, so the clinician and the patient never overwrite each other.
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
from ettervern.core.models import BaseModel
from ettervern.pathways.models import Pathway

SCORE_MIN, SCORE_MAX = 1, 5
COMMENT_MAX_LENGTH = 1000

# The labelled steps of the scale, worded so that a patient can use them about themselves.
SCALE = {
    1: _("Serious problems"),
    2: _("Considerable problems"),
    3: _("Some problems"),
    4: _("Minor problems"),
    5: _("Going well"),
}


class LifeArea(models.Model):
    """A central life area (seeded by a data migration; more can be added as data)."""

    code = models.SlugField(max_length=40, unique=True)
    position = models.PositiveSmallIntegerField()
    name_nb = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nb").startswith("en") else self.name_nb


class MappingRound(BaseModel):
    """One dated mapping of a pathway."""

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="mapping_rounds")
    on = models.DateField(default=clock.today)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "on"], name="mappinground_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"Mapping {self.on}"


class Assessment(BaseModel):
    """One side of a round: the clinician's rating or the patient's own assessment."""

    class Source(models.TextChoices):
        CLINICIAN = "clinician", _("Clinician")
        PATIENT = "patient", _("Patient")

    round = models.ForeignKey(MappingRound, on_delete=models.CASCADE, related_name="assessments")
    source = models.CharField(max_length=16, choices=Source.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")
    by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "source"], name="assessment_one_per_side"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.round_id}"


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    area = models.ForeignKey(LifeArea, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(max_length=COMMENT_MAX_LENGTH, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="score_one_per_area"),
            models.CheckConstraint(condition=Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                                   name="score_in_range"),
            models.CheckConstraint(condition=LessThanOrEqual(Length("comment"), COMMENT_MAX_LENGTH),
                                   name="score_comment_max"),
        ]

    def __str__(self) -> str:
        return f"{self.area_id}: {self.score}"
