"""Geography queries for the map and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from ulinzi.geo.models import AdminArea


def area_levels() -> list[int]:
    return list(AdminArea.objects.order_by("level").values_list("level", flat=True).distinct())


def areas_at(level: int) -> QuerySet[AdminArea]:
    """The areas of one level with what a map needs; the full geometry stays in the database."""
    return AdminArea.objects.filter(level=level).only(
        "pcode", "level", "parent_pcode", "name_fr", "name_en", "name_ht", "display_geometry", "area_km2"
    )
