from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DischargeConfig(AppConfig):
    """Discharge: the checkpoints of integrated aftercare before a residential stay ends
    (derived from the data wherever it can tell, ticked by hand where it cannot), the gate
    that asks a clinician for a reason when checkpoints are open, and the team overview
    ("samtidighet"): what each service is doing now and next
    (docs/decisions/0027-discharge-checkpoints-and-gate.md).

    It sits above planning, beds, meetings and tasks, whose data the checkpoints read; the
    pathway reaches it only through pathways.gate and the notice registry."""

    name = "ettervern.discharge"
    label = "discharge"
    verbose_name = _("Discharge")

    def ready(self) -> None:
        from ettervern.discharge import selectors, services
        from ettervern.discharge.catalogue import CHECKPOINTS
        from ettervern.discharge.checkpoints import checkpoint_label
        from ettervern.pathways import events, gate, notices
        from ettervern.tasks.checkpoints import register as checkpoint_register

        gate.install(services.gate_check)
        # A task can serve a checkpoint (tasks/): the slugs it may name, labelled as the
        # checkpoint list (data) names them when shown.
        checkpoint_register({key: checkpoint_label(key) for key, *_rest in CHECKPOINTS})
        # The checkpoints and overrides are the team's: the patient and next of kin read the
        # discharge itself on the timeline, not what was open at it.
        events.HIDDEN_WITHOUT.append(("discharge.view", ("checkpoint.", "discharge.")))
        notices.register(selectors.pathway_notices)
        events.SENTENCES.update({
            "checkpoint.ticked": _("Checkpoint before discharge ticked: “%(item)s”"),
            "checkpoint.unticked": _("Checkpoint before discharge no longer ticked: “%(item)s”"),
            "discharge.override": _("Discharged from %(unit)s with open checkpoints "
                                    "(%(items)s)"),
        })
