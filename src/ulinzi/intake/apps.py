from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "ulinzi.intake"
    label = "intake"
    verbose_name = "Intake: documents and candidates"
