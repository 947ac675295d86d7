from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "ulinzi.geo"
    label = "geo"
    verbose_name = "Geography"
