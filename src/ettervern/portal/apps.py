from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "ettervern.portal"
    label = "portal"
    verbose_name = _("The patient's portal")

    def ready(self) -> None:
        from ettervern.portal import cards  # noqa: F401 - registers the portal's own sections
