from django.apps import AppConfig


class OidcConfig(AppConfig):
    name = "ettervern.oidc"
    label = "oidc"
