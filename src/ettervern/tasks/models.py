"""Tasks (oppgaver): who does what by when, on which pathway, for which checkpoint or measure.

A task has one owner (a staff member's user, or the patient's), a due date, a status and the
service the owner works for on the pathway (read off the owner's role when the task is made, so
that the team overview can say what each service is doing). Transitions create standard tasks
from `StandardTask`, a table that is data (docs/decisions/0025-tasks.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ettervern.core.models import BaseModel
from ettervern.pathways.models import Pathway, Stay
from ettervern.pathways.transitions import Transition
from ettervern.planning.plan.models import Measure

TITLE_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 2000
# A standard task is due at most this many working days after its transition.
MAX_WORKING_DAYS = 60


def _within(field: str, limit: int, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


class Service(models.TextChoices):
    """The service a task's owner works for on the pathway: the team overview's columns."""

    OUTPATIENT = "outpatient", _("Outpatient clinic")
    RESIDENTIAL = "residential", _("Residential unit")
    MUNICIPALITY = "municipality", _("Municipality")
    NAV = "nav", _("NAV")
    GP = "gp", _("GP")
    PATIENT = "patient", pgettext_lazy("service", "Patient")


class Whom(models.TextChoices):
    """Whom a standard task goes to: a role on the pathway when the transition happens."""

    COORDINATOR = "coordinator", _("The coordinator")
    SPECIALIST_CONTACT = "specialist_contact", _("The contact person in specialist care")
    MUNICIPAL_CONTACT = "municipal_contact", _("The contact person in the municipality")
    NAV_CONTACT = "nav_contact", _("The NAV contact")
    GP = "gp", _("The GP")
    PATIENT = "patient", _("The patient")
    TREATING_LEADER = "treating_leader", _("The leader of the treating unit")


class StandardTask(models.Model):
    """A task a transition creates, for whoever holds a role then. Seeded by a migration and
    kept by superusers in the admin; a row is retired (inactive), not deleted, since tasks
    made from it name it."""

    transition = models.CharField(_("transition"), max_length=32, choices=Transition.choices)
    whom = models.CharField(_("for"), max_length=32, choices=Whom.choices)
    title_nb = models.CharField(_("title (Norwegian)"), max_length=TITLE_MAX_LENGTH)
    title_en = models.CharField(_("title (English)"), max_length=TITLE_MAX_LENGTH)
    working_days = models.PositiveSmallIntegerField(_("working days until due"))
    checkpoint = models.SlugField(_("discharge checkpoint"), max_length=64, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["transition", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(working_days__lte=MAX_WORKING_DAYS),
                                   name="standardtask_working_days_max"),
            models.CheckConstraint(condition=~Q(title_nb="") & ~Q(title_en=""),
                                   name="standardtask_has_titles"),
            models.UniqueConstraint(fields=["transition", "whom", "title_en"],
                                    name="standardtask_unique"),
        ]
        indexes = [models.Index(fields=["transition", "active"], name="standardtask_by_transition")]
        verbose_name = _("standard task")
        verbose_name_plural = _("standard tasks")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The title in the language of the moment (a task keeps the one it was made in)."""
        return self.title_en if (get_language() or "nb").startswith("en") else self.title_nb


class Task(BaseModel):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("task", "Open")
        DONE = "done", pgettext_lazy("task", "Done")
        CANCELLED = "cancelled", pgettext_lazy("task", "Cancelled")

    # Where a task came from: by hand, a transition (`standard:<transition>`), a meeting's
    # decision (meetings/).
    MANUAL = "manual"
    MEETING = "meeting"
    STANDARD_PREFIX = "standard:"

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="tasks")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="tasks", verbose_name=_("owner"))
    service = models.CharField(_("service"), max_length=16, choices=Service.choices)
    title = models.CharField(_("task"), max_length=TITLE_MAX_LENGTH)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    due_on = models.DateField(_("due"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    # When and by whom the task was done or cancelled.
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    # A discharge checkpoint's slug (the discharge app owns the list), or blank.
    checkpoint = models.SlugField(_("checkpoint"), max_length=64, blank=True)
    measure = models.ForeignKey(Measure, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="tasks", verbose_name=_("plan measure"))
    source = models.CharField(max_length=48, default=MANUAL)
    standard = models.ForeignKey(StandardTask, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="tasks")
    # The stay a standard task was made for (the transition's stay), if any.
    stay = models.ForeignKey(Stay, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="tasks")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="task_has_title"),
            _within("title", TITLE_MAX_LENGTH, "task_title_max"),
            _within("note", NOTE_MAX_LENGTH, "task_note_max"),
            models.CheckConstraint(
                condition=Q(status="open", done_at__isnull=True, done_by__isnull=True)
                | (~Q(status="open") & Q(done_at__isnull=False, done_by__isnull=False)),
                name="task_done_is_stamped"),
            models.CheckConstraint(
                condition=Q(source="manual", standard__isnull=True)
                | Q(source="meeting", standard__isnull=True)
                | Q(source__startswith="standard:", standard__isnull=False),
                name="task_source_known"),
            # A transition makes a standard task once per stay (or, without a stay, per owner)
            # while it is open: a repeated event does not pile them up.
            models.UniqueConstraint(
                fields=["stay", "standard"],
                condition=Q(status="open", stay__isnull=False, standard__isnull=False),
                name="task_one_open_standard_per_stay"),
            models.UniqueConstraint(
                fields=["pathway", "standard", "owner"],
                condition=Q(status="open", stay__isnull=True, standard__isnull=False),
                name="task_one_open_standard_per_owner"),
        ]
        indexes = [
            # "Mine oppgaver": my open tasks by due date.
            models.Index(fields=["owner", "status", "due_on"], name="task_mine"),
            # A pathway's open tasks (its page, the team overview).
            models.Index(fields=["pathway", "status", "due_on"], name="task_by_pathway"),
            # The daily reminder: open tasks due on a day.
            models.Index(fields=["due_on"], condition=Q(status="open"), name="task_open_due"),
        ]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def display_title(self) -> str:
        """A standard task's title follows the reader's language until someone rewrites it
        (lists select `standard` with the task)."""
        standard = self.standard if self.standard_id else None
        if standard is not None and self.title == standard.title_nb:
            return standard.title
        return self.title
