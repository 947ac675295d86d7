from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "ulinzi.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        # Registers the system checks, and connects the second factor's and the sessions' receivers.
        from ulinzi.accounts import checks, mfa, session_limits  # noqa: F401


class UlinziAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Ulinzi's site, which only administrators may enter."""

    default = False  # named in INSTALLED_APPS; the accounts app keeps AccountsConfig
    default_site = "ulinzi.accounts.admin_site.UlinziAdminSite"
