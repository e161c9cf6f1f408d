from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ettervern.api"
    label = "api"
