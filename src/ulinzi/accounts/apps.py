from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ulinzi.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        from ulinzi.accounts import checks  # noqa: F401  registers the system checks
