"""The audit log in the admin: administrators read it; nobody adds, edits or deletes through it."""

from django.contrib import admin
from django.http import HttpRequest

from ulinzi.accounts.roles import Role
from ulinzi.accounts.services import role_of
from ulinzi.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ("sequence", "at", "actor", "role", "address", "action", "object_type", "object_ids", "label")
    list_filter = ("action", "label", "object_type")
    search_fields = ("actor", "object_ids")
    date_hierarchy = "at"
    actions = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        # Staff status alone is not enough: who read what is itself strictly confidential.
        return role_of(request.user) is Role.ADMIN

    def has_view_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return role_of(request.user) is Role.ADMIN

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # entries are written by the actions they record, never by hand

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
