from django.apps import AppConfig


class PatrolsConfig(AppConfig):
    name = "ulinzi.patrols"
    label = "patrols"
    verbose_name = "Patrols"
    default_auto_field = "django.db.models.BigAutoField"
