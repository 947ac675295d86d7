from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "ulinzi.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        from ulinzi.accounts import checks  # noqa: F401  registers the system checks


class UlinziAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Ulinzi's site, which only administrators may enter."""

    default = False  # named in INSTALLED_APPS; the accounts app keeps AccountsConfig
    default_site = "ulinzi.accounts.admin_site.UlinziAdminSite"
