from django.contrib import admin

from ulinzi.accounts.models import ApiToken, Membership, Organisation


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "prefix", "scope", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "digest", "scope", "created_at", "last_used_at")
    search_fields = ("name", "user__username")

    def has_add_permission(self, request: object) -> bool:
        return False  # tokens are issued by `ulinzi token create`, which shows the secret once


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("code", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    """Moving an account to another organisation changes what it reads at its next request."""

    list_display = ("user", "organisation")
    list_filter = ("organisation",)
    search_fields = ("user__username",)
    autocomplete_fields = ("organisation",)
