"""Admin for patrols: corrections by administrators, under the policy like every other list.
Track points have no admin: positions change only through imports."""

from django.contrib import admin

from ulinzi.accounts.admin_site import PolicyAdmin
from ulinzi.accounts.policy import RecordType
from ulinzi.patrols.models import Patrol


@admin.register(Patrol)
class PatrolAdmin(PolicyAdmin[Patrol]):
    record_type = RecordType.PATROL
    list_display = ("reference", "kind", "status", "planned_area", "planned_start", "leader", "sensitivity")
    list_filter = ("kind", "status", "sensitivity")
    search_fields = ("reference", "leader", "devices")
    raw_id_fields = ("contingent",)
    readonly_fields = ("created_by", "created_at")
