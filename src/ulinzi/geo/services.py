"""Geography queries for the map and the API."""

from __future__ import annotations

import json
from typing import Any

from ulinzi.geo.models import AdminArea


def area_levels() -> list[int]:
    return list(AdminArea.objects.order_by("level").values_list("level", flat=True).distinct())


def feature_collection(level: int) -> dict[str, Any]:
    """Simplified areas of one level as a GeoJSON FeatureCollection (a JSON edge, hence a dict)."""
    features = [
        {
            "type": "Feature",
            "id": area.pcode,
            "geometry": json.loads(area.display_geometry),
            "properties": {
                "pcode": area.pcode,
                "level": area.level,
                "parent_pcode": area.parent_pcode,
                "name": area.name,
                "name_fr": area.name_fr,
                "name_en": area.name_en,
                "name_ht": area.name_ht,
                "area_km2": round(area.area_km2, 2),
            },
        }
        for area in AdminArea.objects.filter(level=level).only(
            "pcode", "level", "parent_pcode", "name_fr", "name_en", "name_ht", "display_geometry", "area_km2"
        )
    ]
    return {"type": "FeatureCollection", "features": features}
