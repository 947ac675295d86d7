from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "ulinzi.protection"
    label = "protection"
    verbose_name = "Protection data"
