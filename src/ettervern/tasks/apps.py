from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    """Tasks (oppgaver): an owner, a due date in Norwegian working days, a status, and the
    pathway and checkpoint or plan measure a task serves. Transitions create standard tasks
    from a table that is data; "Mine oppgaver" lists a person's own
    (docs/decisions/0025-tasks.md)."""

    name = "ettervern.tasks"
    label = "tasks"
    verbose_name = _("Tasks")

    def ready(self) -> None:
        from ettervern.messaging import jobs
        from ettervern.pathways import notices, transitions
        from ettervern.portal.sections import Section, register
        from ettervern.tasks import reminders, selectors, standard

        transitions.listen(standard.on_transition)
        # Every morning (Oslo date), the owners of tasks due tomorrow hear of them.
        jobs.daily("tasks.remind", reminders.remind)
        notices.register(selectors.pathway_notices)
        notices.register_worklist(selectors.worklist_notices)
        register(Section(key="tasks", order=45, template="tasks/_portal_card.html",
                         context=selectors.portal_card))
