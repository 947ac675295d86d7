"""SGBV tables for every output: the stored counts go in, only suppressed tables come out.

The API, its CSV export and the page call ``table``; none of them reads ``SgbvCount`` itself. The
release is rebuilt from every stored count on each call: the complementary suppression looks at all
views of a month and commune together, and a few thousand cells take milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings

from ulinzi.audit.models import Action
from ulinzi.audit.services import Origin, record
from ulinzi.geo.models import AdminArea
from ulinzi.protection.models import SgbvCount
from ulinzi.protection.suppression import Count, Query, Release, Table

COMMUNE_LEVEL = 2
DEPARTMENT_LEVEL = 1


def release() -> Release:
    """Every stored count, with every loaded commune and its department, under the configured k."""
    counts = [
        Count(f"{month:%Y-%m}", commune, violence_type, age_band, sex_band, perpetrator_type, count)
        for month, commune, violence_type, age_band, sex_band, perpetrator_type, count in SgbvCount.objects.values_list(
            "month", "commune_pcode", "violence_type", "age_band", "sex_band", "perpetrator_type", "count"
        )
    ]
    communes = dict(AdminArea.objects.filter(level=COMMUNE_LEVEL).values_list("pcode", "parent_pcode"))
    return Release(counts, communes, min_cell=settings.SGBV_MIN_CELL)


def table(query: Query) -> Table:
    """The suppressed table ``query`` asks for; QueryRefused when no published table answers it."""
    return release().answer(query)


def area_names() -> Mapping[str, str]:
    """Names of communes and departments, for labelling rows (administrative areas are public)."""
    areas = AdminArea.objects.filter(level__in=(DEPARTMENT_LEVEL, COMMUNE_LEVEL))
    return {area.pcode: area.name for area in areas.only("pcode", "name_fr", "name_en", "name_ht")}


def record_output(origin: Origin, action: Action, answered: Table, output: str) -> None:
    """Audit a table shown or exported. The label is that of the counts it was computed from; the
    detail says which table and how it was suppressed, never a figure."""
    query = answered.query
    detail = {
        "output": output,
        "min_cell": answered.min_cell,
        "period": query.period.value,
        "area": query.area.value,
        "by": list(query.by),
        "within": query.within,
        "pcode": query.pcode,
        "bands": dict(query.bands),
        "rows": len(answered.rows),
    }
    record(origin, action, SgbvCount._meta.label_lower, [], SgbvCount.SENSITIVITY, detail=detail)
