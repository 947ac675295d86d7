from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "ulinzi.dashboard"
    label = "dashboard"
    verbose_name = "Common operating picture"
