from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DischargeConfig(AppConfig):
    """Discharge: the checkpoints of integrated aftercare before a residential stay ends
    (derived from the data wherever it can tell, ticked by hand where it cannot), the gate
    that asks a clinician for a reason when checkpoints are open, and the team overview
    ("samtidighet"): what each service is doing now and next."""

    name = "ettervern.discharge"
    label = "discharge"
    verbose_name = _("Discharge")
