"""The places the extractor knows, read from the database's gazetteer and boundaries.

Every administrative unit loaded (with its French, English and Creole names) and every place an
analyst added (neighbourhoods, landmarks, with their aliases) becomes a ``PlaceFact``, so
``ulinzi extract`` recognises what the geography pages know, with no server running.
"""

from __future__ import annotations

from collections import defaultdict

from ulinzi.geo.models import AdminArea, Place, PlaceKind, PlaceName
from ulinzi.intake.extraction.gazetteer import PlaceFact, admin_place


def places_from_database() -> list[PlaceFact]:
    names: dict[int, list[str]] = defaultdict(list)
    for place_id, name in PlaceName.objects.order_by("place_id", "-official", "name").values_list("place_id", "name"):
        names[place_id].append(name)
    points = {
        pcode: (lat, lon)
        for pcode, lat, lon in Place.objects.filter(kind=PlaceKind.ADMIN).values_list("pcode", "lat", "lon")
    }
    admin_names = {
        pcode: names[place_id]
        for pcode, place_id in Place.objects.filter(kind=PlaceKind.ADMIN).values_list("pcode", "pk")
    }
    areas = {
        row["pcode"]: row
        for row in AdminArea.objects.values(
            "pcode",
            "level",
            "parent_pcode",
            "name_fr",
            "name_en",
            "name_ht",
            "min_lat",
            "max_lat",
            "min_lon",
            "max_lon",
        )
    }
    facts = []
    for pcode, area in areas.items():
        chain: list[str] = [pcode]
        while chain[-1] in areas and areas[chain[-1]]["parent_pcode"] and len(chain) < 8:
            chain.append(str(areas[chain[-1]]["parent_pcode"]))
        own_names = [name for name in (area["name_fr"], area["name_en"], area["name_ht"]) if name]
        all_names = list(dict.fromkeys([*own_names, *admin_names.get(pcode, [])]))
        if not all_names:
            continue
        lat, lon = points.get(pcode, ((area["min_lat"] + area["max_lat"]) / 2, (area["min_lon"] + area["max_lon"]) / 2))
        facts.append(admin_place(pcode, area["level"], all_names, chain, lat=lat, lon=lon))
    for place in Place.objects.exclude(kind=PlaceKind.ADMIN):
        facts.append(
            PlaceFact(
                name=place.name,
                pcode=None,
                admin_chain=tuple(code for code in place.admin_chain.split(",") if code),
                level=None,
                lat=place.lat,
                lon=place.lon,
                geo_precision=place.precision,
                names=tuple(dict.fromkeys([place.name, *names.get(place.pk, [])])),
            )
        )
    return facts
