"""The individual plan (individuell plan): sections as data, measures, versions, the patient's
consent to the plan.

One plan per pathway. Every save bumps `Plan.version` and keeps a `PlanVersion` with a
snapshot of the whole plan, so anyone who may read the plan can see who changed what.
See docs/decisions/0018-individual-plan.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ettervern.catalogue.models import Offer
from ettervern.core import clock
from ettervern.core.models import BaseModel
from ettervern.directory.models import Staff
from ettervern.pathways.models import Pathway

# Free-text limits in characters (services, schemas, forms and check constraints share them).
PLAN_TEXT_MAX_LENGTH = 2000     # goals, resources, needs, contributions, a section's goals
MEASURE_TEXT_MAX_LENGTH = 1000  # what a measure is
SERVICE_MAX_LENGTH = 200        # the responsible service's name
COMMENT_MAX_LENGTH = 2000       # the patient's comment

# The plan's own free texts, in the order the pages show them.
PLAN_TEXT_FIELDS = ("goals", "resources", "needs", "patient_contribution",
                    "services_contribution", "next_of_kin_contribution", "participants")


def _within(field: str, limit: int, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


class SectionType(models.Model):
    """A section of the report's template ("INDIVIDUELL PLAN FOR INTEGRERT ETTERVERN"), held as
    data so that a region can add one without a release. Seeded by a data migration."""

    key = models.SlugField(max_length=40, unique=True)
    position = models.PositiveSmallIntegerField()
    title_en = models.CharField(max_length=120)
    title_nb = models.CharField(max_length=120)
    # The patient's page asks the section as a plain question ("Where will you live?").
    plain_en = models.CharField(max_length=120)
    plain_nb = models.CharField(max_length=120)
    # Access bases (access.policy roles) whose holders work on this section with
    # plan.contribute, space-separated, e.g. "team:nav_contact team:municipal_contact".
    owner_roles = models.CharField(max_length=200, blank=True)
    # The care-team role shown as the section's contact person ("KONTAKTPERSON: ____").
    contact_role = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_nb if (get_language() or "nb").startswith("nb") else self.title_en

    @property
    def plain(self) -> str:
        return self.plain_nb if (get_language() or "nb").startswith("nb") else self.plain_en

    @property
    def owners(self) -> frozenset[str]:
        return frozenset(self.owner_roles.split())


class Plan(BaseModel):
    pathway = models.OneToOneField(Pathway, on_delete=models.PROTECT, related_name="plan")
    # The plan's coordinator: the pathway's coordinator or another person on the care team.
    coordinator = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    # In the patient's own words.
    goals = models.TextField(max_length=PLAN_TEXT_MAX_LENGTH, blank=True)
    resources = models.TextField(max_length=PLAN_TEXT_MAX_LENGTH, blank=True)
    needs = models.TextField(max_length=PLAN_TEXT_MAX_LENGTH, blank=True)
    # What each party contributes, and who else takes part beyond the care team.
    patient_contribution = models.TextField(max_length=PLAN_TEXT_MAX_LENGTH, blank=True)
    services_contribution = models.TextField(max_length=PLAN_TEXT_MAX_LENGTH, blank=True)
    next_of_kin_contribution = models.TextField(max_length=PLAN_TEXT_MAX_LENGTH, blank=True)
    participants = models.TextField(max_length=PLAN_TEXT_MAX_LENGTH, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    next_revision_on = models.DateField(null=True, blank=True)
    # The version the patient last opened, and the version they agreed to. A later save makes
    # `version` larger, so the patient is asked again.
    seen_version = models.PositiveIntegerField(null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    agreed_version = models.PositiveIntegerField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)

    TEXT_FIELDS = PLAN_TEXT_FIELDS

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="plan_period_end_after_start"),
            models.CheckConstraint(
                condition=Q(agreed_version__isnull=True) | Q(agreed_version__lte=F("version")),
                name="plan_agreed_version_known"),
            *[_within(name, PLAN_TEXT_MAX_LENGTH, f"plan_{name}_max_length")
              for name in PLAN_TEXT_FIELDS],
        ]

    def __str__(self) -> str:
        return f"Plan {self.pathway_id} v{self.version}"

    @property
    def agreed_to_current(self) -> bool:
        return self.agreed_version is not None and self.agreed_version == self.version

    @property
    def seen_current(self) -> bool:
        return self.seen_version is not None and self.seen_version == self.version

    # The plan is an access subject through its pathway.
    @property
    def audit_patient_id(self) -> int:
        return self.pathway.patient_id

    @property
    def audit_pathway_id(self) -> int | None:
        return self.pathway_id


class PlanSection(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    section_type = models.ForeignKey(SectionType, on_delete=models.PROTECT, related_name="+")
    # The patient's goals for this part of life, in their own words.
    goals = models.TextField(max_length=PLAN_TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["section_type__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "section_type"], name="plan_section_once"),
            _within("goals", PLAN_TEXT_MAX_LENGTH, "plan_section_goals_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.section_type_id} of plan {self.plan_id}"


class Measure(BaseModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")
        STOPPED = "stopped", _("Stopped")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="measures")
    # Free text, an offer from the catalogue, or both (the text then says what of the offer).
    description = models.TextField(max_length=MEASURE_TEXT_MAX_LENGTH, blank=True)
    # One of the offers available to the pathway when chosen (services check it). PROTECT: an
    # offer a plan names is retired in the admin (inactive), not deleted, so that the plan and
    # its versions keep saying what was agreed (docs/decisions/0018-individual-plan.md).
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    # Must be on the care team when the measure is saved (services check it).
    responsible = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    responsible_service = models.CharField(max_length=SERVICE_MAX_LENGTH)
    start_on = models.DateField(null=True, blank=True)
    end_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        ordering = ["start_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(start_on__isnull=True)
                | Q(end_on__gte=F("start_on")),
                name="measure_end_after_start"),
            models.CheckConstraint(condition=~Q(description="") | Q(offer__isnull=False),
                                   name="measure_has_description_or_offer"),
            _within("description", MEASURE_TEXT_MAX_LENGTH, "measure_description_max_length"),
            _within("responsible_service", SERVICE_MAX_LENGTH, "measure_service_max_length"),
        ]
        indexes = [models.Index(fields=["plan", "section"], name="measure_plan_section")]

    def __str__(self) -> str:
        return self.label[:60]

    @property
    def label(self) -> str:
        """What the measure is, in a line: its text, else the name of its offer."""
        if self.description:
            return self.description
        return self.offer.name if self.offer_id is not None and self.offer else ""


class PlanVersion(models.Model):
    """What the plan looked like after one save, and who saved it. Never changed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    saved_at = models.DateTimeField(default=clock.now)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                 related_name="+")
    saved_by_name = models.CharField(max_length=200)
    saved_by_unit = models.CharField(max_length=200, blank=True)
    # What the save was (plans.changes.KINDS), rendered in the reader's language.
    kind = models.CharField(max_length=32)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"],
                                               name="plan_version_once")]

    def __str__(self) -> str:
        return f"Plan {self.plan_id} v{self.number}"


class PlanComment(models.Model):
    """The patient's comment on the plan, tied to the version they read."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    at = models.DateTimeField(default=clock.now)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    author_name = models.CharField(max_length=200)
    text = models.TextField(max_length=COMMENT_MAX_LENGTH)
    plan_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            _within("text", COMMENT_MAX_LENGTH, "plan_comment_max_length"),
            models.CheckConstraint(condition=~Q(text=""), name="plan_comment_not_empty"),
        ]
        indexes = [models.Index(fields=["plan", "-at"], name="plan_comment_at")]

    def __str__(self) -> str:
        return f"{self.author_name} ({self.at:%Y-%m-%d})"
