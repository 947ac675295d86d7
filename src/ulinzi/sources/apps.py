from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "ulinzi.sources"
    label = "sources"
    verbose_name = "Sources and provenance"
