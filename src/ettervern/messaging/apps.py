from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    """Messages, notifications and the job queue: a message thread per pathway for the team and
    one with the patient, notifications to the care team on the pathway's transitions (in the
    app, and by e-mail for those who want it), and the background jobs (django-tasks with its
    database backend) that send e-mail and remind of tasks. E-mail never carries health data."""

    name = "ettervern.messaging"
    label = "messaging"
    verbose_name = _("Messages and notifications")
