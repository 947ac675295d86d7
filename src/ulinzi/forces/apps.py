from django.apps import AppConfig


class ForcesConfig(AppConfig):
    name = "ulinzi.forces"
    label = "forces"
    verbose_name = "Force registry"
