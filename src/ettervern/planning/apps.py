from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "ettervern.planning"
    label = "planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        from ettervern.pathways import phase_work
        from ettervern.pathways.phases import Phase
        from ettervern.planning.checklist.services import checklist_create

        # Entering pre-admission creates its checklist, in the phase change's transaction.
        phase_work.on_enter(Phase.PRE_ADMISSION, checklist_create)
