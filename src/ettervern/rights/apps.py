from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    """The patient's rights over who reads their data: the access log (pasientjournalloven
    § 18), blocking named staff (sperring) and emergency access ("break the glass").

    It sits beside planning, above pathways: its services and pages use the pathway. The one
    access rule in pathways/team.py reads its two tables by name in hand-written SQL, so that
    pathways imports nothing from here (docs/decisions/0021-patient-rights-over-access.md)."""

    name = "ettervern.rights"
    label = "rights"
    verbose_name = _("Patient rights")

    def ready(self) -> None:
        from ettervern.pathways import notices
        from ettervern.portal.sections import Section, register
        from ettervern.rights import selectors

        notices.register(selectors.pathway_notices)
        notices.register_worklist(selectors.worklist_notices)
        # The patient is told of an emergency access at the top of their first page.
        register(Section(key="emergency", order=5, template="rights/_portal_emergency.html",
                         context=selectors.emergency_card))
