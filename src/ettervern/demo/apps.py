from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ettervern.demo"
    label = "demo"
