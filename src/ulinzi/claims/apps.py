from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "ulinzi.claims"
    label = "claims"
    verbose_name = "Claims ledger"
