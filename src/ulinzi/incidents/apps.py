from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "ulinzi.incidents"
    label = "incidents"
    verbose_name = "Incidents and actors"
