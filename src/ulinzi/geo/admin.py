from django.contrib import admin

from ulinzi.geo.models import AdminArea


@admin.register(AdminArea)
class AdminAreaAdmin(admin.ModelAdmin[AdminArea]):
    list_display = ("pcode", "level", "name_fr", "name_en", "parent_pcode", "area_km2")
    list_filter = ("level",)
    search_fields = ("pcode", "name_fr", "name_en", "name_ht")
    exclude = ("geometry", "display_geometry")
