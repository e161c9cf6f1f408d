"""Messages, notifications, and the bookkeeping of the background jobs.

- A pathway has at most two threads: the team's (everyone on the care team) and the one with
  the patient (the patient and the coordinating clinic). A message is short text; the reader's
  place in a thread is one row per user per thread (`ThreadRead`), so an unread count is a
  count of messages after it.
- A notification is one row per recipient, with a text fit for that recipient (staff may see
  the patient's name in the app; an e-mail never carries it). `NotificationPreference` says who
  also wants e-mail for which kind.
- `WorkerBeat` and `DailyRun` belong to messaging.jobs: a worker's heartbeat, and the daily
  jobs already enqueued for a date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from ettervern.core import clock
from ettervern.core.models import BaseModel

# How long a message may be, in characters: a message, not a letter. Services, schemas and the
# database (check constraint) hold the same limit.
MESSAGE_MAX_LENGTH = 2000
NOTIFICATION_TEXT_MAX_LENGTH = 300
LINK_MAX_LENGTH = 300


def _length_between(field: str, limit: int, name: str) -> models.CheckConstraint:
    """Non-empty and at most `limit` characters (a TextField's max_length binds no database)."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit) & GreaterThan(Length(field), 0),
        name=name)


class Thread(BaseModel):
    class Kind(models.TextChoices):
        TEAM = "team", _("The care team")
        PATIENT = "patient", _("With the patient")

    pathway = models.ForeignKey("pathways.Pathway", on_delete=models.PROTECT,
                                related_name="threads")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The newest message's time (None while empty): the inbox sorts and pages by it.
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pathway", "kind"], name="thread_one_per_kind"),
            models.CheckConstraint(condition=Q(kind__in=["team", "patient"]),
                                   name="thread_kind_known"),
        ]
        indexes = [models.Index(fields=["-last_message_at", "-id"], name="thread_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.pathway_id})"


class Message(models.Model):
    class Service(models.TextChoices):
        """Where the author works (Unit.Kind's values), or the patient."""

        OUTPATIENT = "outpatient", _("Outpatient clinic (TSB)")
        RESIDENTIAL = "residential", _("Residential unit")
        MUNICIPAL = "municipal", _("Municipal service")
        NAV = "nav", _("NAV office")
        GP = "gp", _("GP office")
        PATIENT = "patient", _("The patient")
        OTHER = "other", _("Other")

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    # The name and the service as they were when the message was written.
    author_name = models.CharField(max_length=200)
    service = models.CharField(max_length=16, choices=Service.choices)
    at = models.DateTimeField(default=clock.now)
    text = models.TextField(max_length=MESSAGE_MAX_LENGTH)

    class Meta:
        ordering = ["at", "id"]
        constraints = [_length_between("text", MESSAGE_MAX_LENGTH, "message_text_length")]
        indexes = [models.Index(fields=["thread", "at", "id"], name="message_thread_at")]

    def __str__(self) -> str:
        return f"{self.author_name} {self.at:%Y-%m-%d %H:%M}"


class ThreadRead(models.Model):
    """How far a user has read a thread: messages with a larger id are unread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    last_read_id = models.BigIntegerField(default=0)
    read_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"],
                                               name="threadread_one_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} to {self.last_read_id}"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications")
    kind = models.CharField(max_length=32)
    text = models.CharField(max_length=NOTIFICATION_TEXT_MAX_LENGTH)
    # A path inside the app ("/forlop/…/"), never an outside address.
    link = models.CharField(max_length=LINK_MAX_LENGTH, blank=True)
    pathway = models.ForeignKey("pathways.Pathway", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            _length_between("text", NOTIFICATION_TEXT_MAX_LENGTH, "notification_text_length"),
            models.CheckConstraint(condition=Q(link="") | Q(link__startswith="/"),
                                   name="notification_link_inside"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notification_user_recent"),
            # The badge: a count of my unread ones.
            models.Index(fields=["user"], condition=Q(read_at__isnull=True),
                         name="notification_user_unread"),
        ]

    def __str__(self) -> str:
        return self.text


class NotificationPreference(models.Model):
    """A person's choice to also get e-mail for a kind (no row: in the app only)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    kind = models.CharField(max_length=32)
    email = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"],
                                               name="notificationpref_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} e-mail={self.email}"


class WorkerBeat(models.Model):
    """A running worker's heartbeat (messaging.jobs): a RUNNING job whose worker has not beaten
    within the lease was abandoned and is taken back."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=100, blank=True)
    pid = models.IntegerField(null=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} {self.beat_at:%H:%M:%S}"


class DailyRun(models.Model):
    """A daily job enqueued for a date: unique, so it is enqueued once whoever looks."""

    key = models.CharField(max_length=64)
    day = models.DateField()
    enqueued_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "day"], name="dailyrun_once")]

    def __str__(self) -> str:
        return f"{self.key} {self.day}"
