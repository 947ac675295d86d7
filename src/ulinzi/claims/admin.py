"""Admin for claims: corrections by administrators, under the policy like every other list."""

from django.contrib import admin

from ulinzi.accounts.admin_site import PolicyAdmin
from ulinzi.accounts.policy import RecordType
from ulinzi.claims.models import Claim


@admin.register(Claim)
class ClaimAdmin(PolicyAdmin[Claim]):
    record_type = RecordType.CLAIM
    list_display = ("metric", "qualifier", "value", "unit", "area_name", "period_start", "period_end", "sensitivity")
    list_filter = ("metric", "sensitivity")
    search_fields = ("area_name", "actor_name", "speaker", "source__reference")
    raw_id_fields = ("source", "area", "actor")
    readonly_fields = ("created_by", "created_at", "document", "span_start", "span_end")
    list_select_related = ("source",)
