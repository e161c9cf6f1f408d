"""The pathway (pasientforløp): phases, dated transitions, stays, the care team, the timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from ettervern.access.policy import Basis
from ettervern.core import clock
from ettervern.core.models import BaseModel
from ettervern.directory.models import Staff, Unit
from ettervern.pathways.phases import Phase
from ettervern.patients.models import NAME_MAX_LENGTH, Patient  # noqa: F401 (a limit re-exported)

# How much free text a person may write, in characters. The services refuse more (pages and
# API alike), the API schemas declare it, and the database holds it as a check constraint.
# A note is a few paragraphs, not a document: the pathway page shows every note to everyone
# who may read the pathway. See docs/decisions/0011-api-limits-and-errors.md.
NOTE_MAX_LENGTH = 2000       # a pathway's note, a phase change's note
REASON_MAX_LENGTH = 1000     # why something was done: a hand-over, a cancelled stay, a reopening
REFERRER_MAX_LENGTH = 200    # who referred the patient: a name and a place
# NAME_MAX_LENGTH (100, a given or a family name) is the patient's, imported above.


def _text_within(field: str, limit: int, name: str) -> models.CheckConstraint:
    """The database's copy of a text limit (a TextField's max_length binds no database)."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


class Pathway(BaseModel):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="pathways")
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.CONTACT)
    # The outpatient clinic keeps the coordinating responsibility for the whole pathway.
    coordinating_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    # Exactly one coordinator while open: a single non-null column (see constraint below),
    # so two coordinators cannot exist; hand-overs are kept in CoordinatorHandover.
    coordinator = models.ForeignKey(Staff, null=True, on_delete=models.PROTECT,
                                    related_name="coordinated_pathways")
    first_contact_on = models.DateField(null=True, blank=True)
    referral_received_on = models.DateField(null=True, blank=True)
    referrer = models.CharField(max_length=REFERRER_MAX_LENGTH, blank=True)
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    opened_at = models.DateTimeField(default=clock.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=False) | Q(coordinator__isnull=False),
                name="pathway_open_has_coordinator",
            ),
            models.CheckConstraint(
                condition=Q(phase=Phase.CLOSED, closed_at__isnull=False)
                | (~Q(phase=Phase.CLOSED) & Q(closed_at__isnull=True)),
                name="pathway_closed_iff_phase_closed",
            ),
            models.CheckConstraint(
                condition=Q(first_contact_on__isnull=False) | Q(referral_received_on__isnull=False),
                name="pathway_starts_with_contact_or_referral",
            ),
            # One coherent pathway per patient: a second open one is refused by the database too.
            models.UniqueConstraint(fields=["patient"], condition=Q(closed_at__isnull=True),
                                    name="pathway_one_open_per_patient"),
            _text_within("note", NOTE_MAX_LENGTH, "pathway_note_max_length"),
            _text_within("referrer", REFERRER_MAX_LENGTH, "pathway_referrer_max_length"),
        ]
        indexes = [
            models.Index(fields=["coordinator", "phase", "-opened_at"], name="pathway_coord_phase"),
            models.Index(fields=["coordinating_unit", "phase"], name="pathway_unit_phase"),
            # The worklist's two largest branches (open pathways I coordinate, or my unit
            # does): index-only, so that a unit's list never visits its closed pathways.
            models.Index(fields=["coordinator"], include=["id", "opened_at"],
                         condition=Q(closed_at__isnull=True), name="pathway_open_by_coordinator"),
            models.Index(fields=["coordinating_unit"], include=["id", "opened_at"],
                         condition=Q(closed_at__isnull=True), name="pathway_open_by_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} ({self.get_phase_display()})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def audit_patient_id(self) -> int:
        return self.patient_id

    @property
    def started_on(self) -> dt.date:
        """The first day of the pathway: the first contact, or the referral if that came first."""
        days = [d for d in (self.first_contact_on, self.referral_received_on) if d is not None]
        # The constraint pathway_starts_with_contact_or_referral guarantees one of them.
        assert days
        return min(days)

    @property
    def waiting_since(self) -> dt.date:
        """Waiting time counts from the referral; before any referral, from the first contact."""
        return self.referral_received_on or self.started_on

    @property
    def audit_pathway_id(self) -> int | None:
        return self.pk

    def access_bases(self, user: AbstractBaseUser) -> Sequence[Basis]:
        from ettervern.pathways.team import bases_for

        return bases_for(user, self)


class PhaseTransition(models.Model):
    """A dated, attributed move between phases. Rows are never changed; KPIs count them."""

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="transitions")
    from_phase = models.CharField(max_length=16, choices=Phase.choices, blank=True)
    to_phase = models.CharField(max_length=16, choices=Phase.choices)
    on = models.DateField(help_text="The date the move took effect")
    recorded_at = models.DateTimeField(default=clock.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        indexes = [models.Index(fields=["pathway", "recorded_at"]),
                   models.Index(fields=["to_phase", "on"])]
        constraints = [_text_within("note", NOTE_MAX_LENGTH, "transition_note_max_length")]

    def __str__(self) -> str:
        return f"{self.from_phase or '-'} -> {self.to_phase} ({self.on})"


class Stay(BaseModel):
    """A residential stay (døgnopphold) at a unit of any trust or private provider."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        DISCHARGED = "discharged", _("Discharged")
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential stay")
        # Booked by the patient under an agreement (beds/); it starts when the unit marks the
        # arrival and leaves the pathway's phase as it was.
        USER_CONTROLLED = "user_controlled", _("User-controlled stay")

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="stays")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.RESIDENTIAL)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="stays")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    planned_start = models.DateField()
    planned_end = models.DateField(null=True, blank=True)
    admitted_on = models.DateField(null=True, blank=True)
    discharged_on = models.DateField(null=True, blank=True)
    cancel_reason = models.TextField(max_length=REASON_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["planned_start", "id"]
        constraints = [
            # A patient is in at most one place at a time.
            models.UniqueConstraint(fields=["pathway"], condition=Q(status="ongoing"),
                                    name="stay_one_ongoing_per_pathway"),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="stay_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True)
                | Q(admitted_on__isnull=False, discharged_on__gte=models.F("admitted_on")),
                name="stay_discharge_after_admission",
            ),
            _text_within("cancel_reason", REASON_MAX_LENGTH, "stay_cancel_reason_max_length"),
        ]
        indexes = [models.Index(fields=["unit", "status"]),
                   models.Index(fields=["pathway", "status"])]

    # A stay is an access subject of its own: the residential unit may act on its own stay
    # only, not on stays at other units of the same pathway.
    @property
    def audit_patient_id(self) -> int:
        return self.pathway.patient_id

    @property
    def audit_pathway_id(self) -> int | None:
        return self.pathway_id

    def access_bases(self, user: AbstractBaseUser) -> Sequence[Basis]:
        from ettervern.pathways.team import stay_bases_for

        return stay_bases_for(user, self)

    @property
    def start(self) -> dt.date:
        return self.admitted_on or self.planned_start

    @property
    def end(self) -> dt.date | None:
        return self.discharged_on or self.planned_end


class CareTeamMember(BaseModel):
    """A role on the pathway's care team, other than the coordinator (see Pathway.coordinator)."""

    class Role(models.TextChoices):
        SPECIALIST_CONTACT = "specialist_contact", _("Contact person, specialist care")
        MUNICIPAL_CONTACT = "municipal_contact", _("Contact person, municipality")
        NAV_CONTACT = "nav_contact", _("NAV contact")
        GP = "gp", _("GP")

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="team")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="team_roles")
    role = models.CharField(max_length=32, choices=Role.choices)
    started_at = models.DateTimeField(default=clock.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pathway", "role", "staff"],
                                    condition=Q(ended_at__isnull=True),
                                    name="careteam_unique_active_role"),
        ]
        indexes = [models.Index(fields=["staff", "ended_at"])]


# Who may hold which care-team role (a wrong profession is refused).
ROLE_PROFESSIONS: dict[str, frozenset[str]] = {
    CareTeamMember.Role.SPECIALIST_CONTACT: frozenset({Staff.Profession.COORDINATOR,
                                                       Staff.Profession.CLINICIAN}),
    CareTeamMember.Role.MUNICIPAL_CONTACT: frozenset({Staff.Profession.MUNICIPAL}),
    CareTeamMember.Role.NAV_CONTACT: frozenset({Staff.Profession.NAV}),
    CareTeamMember.Role.GP: frozenset({Staff.Profession.GP}),
}


class CoordinatorHandover(models.Model):
    """An explicit hand-over of the coordinating responsibility. Append-only history."""

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="handovers")
    from_staff = models.ForeignKey(Staff, null=True, on_delete=models.PROTECT, related_name="+")
    to_staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    from_unit = models.ForeignKey(Unit, null=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=REASON_MAX_LENGTH, blank=True)

    class Meta:
        constraints = [_text_within("reason", REASON_MAX_LENGTH, "handover_reason_max_length")]

    def __str__(self) -> str:
        return f"{self.from_staff} -> {self.to_staff} ({self.at:%Y-%m-%d})"


class PathwayEvent(models.Model):
    """The timeline: one row for everything that happened on the pathway, across services.

    `kind` names the event; `data` holds what the sentence needs. Text is rendered at display
    time (pathways.timeline) so it follows the reader's language.
    """

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=clock.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_name = models.CharField(max_length=200)
    actor_unit = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=48)
    data = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["pathway", "-at", "-id"], name="event_pathway_at")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.at:%Y-%m-%d %H:%M})"
