"""Meetings on a pathway: the cooperation meeting before discharge, the follow-up meeting
after it and network meetings with next of kin; their participants and the decisions taken.

A meeting keeps the iCalendar identity its invitations carry: `uid` never changes, and
`sequence` grows with every change calendars must take over (a new time or place, a
cancellation), so that an update replaces the event in a participant's calendar instead of
adding a second one. The discharge checkpoints read these rows by kind and status
(`kind="before_discharge", status="held"`; `kind="after_discharge"`, status planned or held).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from ettervern.access.policy import Basis
from ettervern.core.models import BaseModel
from ettervern.directory.models import Staff
from ettervern.pathways.models import Pathway, Stay
from ettervern.patients.models import NextOfKin, Patient

PLACE_MAX_LENGTH = 200
LINK_MAX_LENGTH = 500
AGENDA_MAX_LENGTH = 4000
MINUTES_MAX_LENGTH = 20000
DECISION_MAX_LENGTH = 1000


def _within(field: str, limit: int, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


def new_uid() -> str:
    return f"{uuid.uuid4()}@ettervern"


class Meeting(BaseModel):
    class Kind(models.TextChoices):
        BEFORE_DISCHARGE = "before_discharge", _("Cooperation meeting before discharge")
        AFTER_DISCHARGE = "after_discharge", _("Follow-up meeting after discharge")
        NETWORK = "network", _("Network meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=Kind.choices)
    # The stay a meeting before or after discharge belongs to.
    stay = models.ForeignKey(Stay, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=PLACE_MAX_LENGTH, blank=True)
    video_link = models.URLField(_("video link"), max_length=LINK_MAX_LENGTH, blank=True)
    agenda = models.TextField(_("agenda"), max_length=AGENDA_MAX_LENGTH, blank=True)
    minutes = models.TextField(_("minutes"), max_length=MINUTES_MAX_LENGTH, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    held_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # iCalendar: the event's identity across updates, and its revision.
    uid = models.CharField(max_length=100, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    arranged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="meeting_ends_after_start"),
            models.CheckConstraint(condition=~Q(place="") | ~Q(video_link=""),
                                   name="meeting_has_place_or_link"),
            models.CheckConstraint(condition=Q(video_link="")
                                   | Q(video_link__startswith="https://"),
                                   name="meeting_video_link_https"),
            models.CheckConstraint(condition=~Q(status="held") | Q(held_at__isnull=False),
                                   name="meeting_held_has_time"),
            models.CheckConstraint(condition=~Q(status="cancelled")
                                   | Q(cancelled_at__isnull=False),
                                   name="meeting_cancelled_has_time"),
            _within("place", PLACE_MAX_LENGTH, "meeting_place_max"),
            _within("agenda", AGENDA_MAX_LENGTH, "meeting_agenda_max"),
            _within("minutes", MINUTES_MAX_LENGTH, "meeting_minutes_max"),
        ]
        indexes = [models.Index(fields=["pathway", "kind", "status"], name="meeting_by_kind"),
                   models.Index(fields=["pathway", "starts_at"], name="meeting_by_pathway")]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    # A meeting is judged by its pathway's bases (the team, the patient, a next of kin with the
    # patient's consent to "meetings").
    @property
    def audit_patient_id(self) -> int:
        return self.pathway.patient_id

    @property
    def audit_pathway_id(self) -> int | None:
        return self.pathway_id

    def access_bases(self, user: AbstractBaseUser) -> Sequence[Basis]:
        return self.pathway.access_bases(user)

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED


class Participant(models.Model):
    """One person invited: a staff member on the care team, the patient, or a next of kin or
    trust person (only while the patient's consent to "meetings" is active)."""

    class Response(models.TextChoices):
        ACCEPTED = "accepted", _("Coming")
        TENTATIVE = "tentative", _("Maybe")
        DECLINED = "declined", _("Not coming")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    staff = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="meeting_participations")
    patient = models.ForeignKey(Patient, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="meeting_participations")
    next_of_kin = models.ForeignKey(NextOfKin, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="meeting_participations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    response = models.CharField(max_length=16, choices=Response.choices, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(staff__isnull=False, patient__isnull=True, next_of_kin__isnull=True)
                           | Q(staff__isnull=True, patient__isnull=False,
                               next_of_kin__isnull=True)
                           | Q(staff__isnull=True, patient__isnull=True,
                               next_of_kin__isnull=False)),
                name="participant_exactly_one_kind"),
            models.UniqueConstraint(fields=["meeting", "staff"], condition=Q(staff__isnull=False),
                                    name="participant_staff_once"),
            models.UniqueConstraint(fields=["meeting", "patient"],
                                    condition=Q(patient__isnull=False),
                                    name="participant_patient_once"),
            models.UniqueConstraint(fields=["meeting", "next_of_kin"],
                                    condition=Q(next_of_kin__isnull=False),
                                    name="participant_next_of_kin_once"),
        ]
        verbose_name = _("participant")

    def __str__(self) -> str:
        return self.name

    @property
    def kind(self) -> str:
        if self.staff_id is not None:
            return "staff"
        if self.patient_id is not None:
            return "patient"
        return "next_of_kin"

    @property
    def user(self) -> AbstractBaseUser | None:
        """The login of the person, where they have one (for the notification in the app)."""
        if self.staff is not None:
            return self.staff.user
        if self.patient is not None:
            return self.patient.user
        return self.next_of_kin.user if self.next_of_kin is not None else None


class Decision(BaseModel):
    """A decision taken at the meeting; it can become a task (tasks app)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"), max_length=DECISION_MAX_LENGTH)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    # The task it became (one task per decision).
    task = models.OneToOneField("tasks.Task", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="meeting_decision")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="decision_not_empty"),
            _within("text", DECISION_MAX_LENGTH, "decision_text_max"),
        ]
        verbose_name = _("decision")

    def __str__(self) -> str:
        return self.text[:60]
