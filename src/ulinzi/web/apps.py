from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ulinzi.web"
    label = "web"
    verbose_name = "Web dashboard"
