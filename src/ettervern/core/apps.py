from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ettervern.core"
    label = "core"
