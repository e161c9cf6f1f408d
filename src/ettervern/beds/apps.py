from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BedsConfig(AppConfig):
    """User-controlled beds (brukerstyrt seng): each residential unit's published programme,
    its capacity per day, the agreement a patient has with a unit, and the stays the patient
    books under it, at any trust (docs/decisions/0023-user-controlled-beds.md).

    It sits beside planning, above pathways: an arrival becomes a stay on the pathway through
    pathways.services, and the portal, the pathway page and the crisis plan show what is here
    through their registries."""

    name = "ettervern.beds"
    label = "beds"
    verbose_name = _("User-controlled beds")

    def ready(self) -> None:
        from django.utils.translation import pgettext_lazy

        from ettervern.beds import selectors
        from ettervern.beds.models import Booking
        from ettervern.beds.services import BEDS_NOTICE
        from ettervern.messaging.notify import register_kind
        from ettervern.pathways import events, notices
        from ettervern.portal.sections import Section, register

        events.REASON_LABELS["refusal"] = dict(Booking.RefusalReason.choices)
        register_kind(BEDS_NOTICE, pgettext_lazy(
            "notification", "User-controlled bed: a stay cancelled or turned down by the unit"))
        notices.register(selectors.pathway_notices)
        notices.register_worklist(selectors.worklist_notices)
        register(Section(key="beds", order=35, template="beds/_portal_card.html",
                         context=selectors.portal_card))
