from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    """Messages, notifications and the job queue: a message thread per pathway for the team and
    one with the patient, notifications to the care team on the pathway's transitions (in the
    app, and by e-mail for those who want it), and the background jobs (django-tasks with its
    database backend) that send e-mail and remind of tasks. E-mail never carries health data
    (docs/decisions/0024-messages-notifications-and-jobs.md)."""

    name = "ettervern.messaging"
    label = "messaging"
    verbose_name = _("Messages and notifications")

    def ready(self) -> None:
        from ettervern.messaging import portal
        from ettervern.messaging.transitions import on_transition
        from ettervern.pathways.transitions import listen
        from ettervern.portal.sections import Section, register

        listen(on_transition)
        register(Section(key="messages", order=25, template="messaging/_portal_card.html",
                         context=portal.portal_card))
