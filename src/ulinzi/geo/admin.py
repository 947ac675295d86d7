from django.contrib import admin

from ulinzi.accounts.admin_site import PolicyAdmin
from ulinzi.accounts.policy import RecordType
from ulinzi.geo.models import AdminArea, ControlArea, Place, RoadSegment, RoadStatus


@admin.register(AdminArea)
class AdminAreaAdmin(admin.ModelAdmin[AdminArea]):
    list_display = ("pcode", "level", "name_fr", "name_en", "parent_pcode", "area_km2")
    list_filter = ("level",)
    search_fields = ("pcode", "name_fr", "name_en", "name_ht")
    exclude = ("geometry", "display_geometry")


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin[Place]):
    list_display = ("name", "kind", "pcode", "admin_chain", "precision")
    list_filter = ("kind",)
    search_fields = ("name", "names__name", "pcode")


@admin.register(ControlArea)
class ControlAreaAdmin(PolicyAdmin[ControlArea]):
    record_type = RecordType.CONTROL_AREA
    list_display = ("actor", "valid_from", "valid_to", "confidence", "illustrative", "sensitivity")
    list_filter = ("illustrative", "confidence", "actor")
    exclude = ("geometry", "display_geometry", "natural_key", "batch")
    filter_horizontal = ("sources",)
    raw_id_fields = ("evidence",)


class RoadStatusInline(admin.TabularInline[RoadStatus, RoadSegment]):
    model = RoadStatus
    extra = 1
    fields = ("status", "observed_at", "expires_at", "note", "sensitivity")


@admin.register(RoadSegment)
class RoadSegmentAdmin(admin.ModelAdmin[RoadSegment]):
    list_display = ("name", "ref", "coarse", "length_km")
    list_filter = ("coarse",)
    search_fields = ("name", "ref")
    exclude = ("geometry", "natural_key", "batch")
    inlines = [RoadStatusInline]
