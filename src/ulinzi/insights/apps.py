from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "ulinzi.insights"
    label = "insights"
    verbose_name = "Insights"
