from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    """Tasks (oppgaver): an owner, a due date in Norwegian working days, a status, and the
    pathway and checkpoint or plan measure a task serves. Transitions create standard tasks
    from a table that is data; "Mine oppgaver" lists a person's own."""

    name = "ettervern.tasks"
    label = "tasks"
    verbose_name = _("Tasks")
