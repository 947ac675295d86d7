"""The incident store's acceptance checks on an ACLED-format file of a few thousand Haiti rows.

The rows are generated here (ACLED's terms forbid committing its data): points drawn inside
real communes of the COD-AB boundaries, ``admin3`` naming the commune as ACLED does for Haiti,
and the extra columns analysts' exports carry.
"""

import csv
import io
import json
import random
from pathlib import Path

import pandas as pd
import pytest

from shapely.geometry import Point, shape

from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.geo.models import AdminArea
from ulinzi.importing.errors import ImportRejected
from ulinzi.incidents import taxonomy
from ulinzi.incidents.importers.acled.importer import import_acled
from ulinzi.incidents.importers.acled.rows import OPTIONAL, REQUIRED
from ulinzi.incidents.models import Event

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXTRA = ("analyst_comment", "review_status", "fatalities_checked_by")
COMMUNES = "haiti/boundaries/hti_adm2_communes.geojson"


def communes(shared_data: Path) -> list[tuple[str, str, object]]:
    features = json.loads((shared_data / COMMUNES).read_text())["features"]
    return [(f["properties"]["ADM1_FR"], f["properties"]["ADM2_FR"], shape(f["geometry"])) for f in features]


def write_acled(path: Path, shared_data: Path, rows: int, seed: int = 3) -> None:
    rng = random.Random(seed)  # noqa: S311  reproducible test data, not secrets
    places = communes(shared_data)
    kinds = [(kind, sub) for kind, subs in taxonomy.EVENT_TYPES.items() for sub in subs]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        columns = [*REQUIRED, *OPTIONAL, *EXTRA]
        rng.shuffle(columns)  # any column order
        writer.writerow(columns)
        for index in range(rows):
            department, commune, polygon = rng.choice(places)
            west, south, east, north = polygon.bounds  # type: ignore[attr-defined]
            while True:
                point = Point(rng.uniform(west, east), rng.uniform(south, north))
                if polygon.contains(point):  # type: ignore[attr-defined]
                    break
            kind, sub = rng.choice(kinds)
            values = {
                "event_id_cnty": f"HTI{index:06d}",
                "event_date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "event_type": kind,
                "sub_event_type": sub,
                "actor1": rng.choice(("Gang A (Haiti)", "Gang B (Haiti)", "Police Forces of Haiti (2017-)")),
                "actor2": rng.choice(("", "Civilians (Haiti)")),
                "inter1": rng.choice(("3", "Political militias", "1")),
                "latitude": f"{point.y:.5f}",
                "longitude": f"{point.x:.5f}",
                "geo_precision": str(rng.randint(1, 2)),
                "fatalities": str(rng.choice((0, 0, 0, 1, 2, 3, 7, 15))),
                "country": "Haiti",
                "iso": "332",
                "admin1": department,
                "admin3": commune,
                "location": commune,
                "source": rng.choice(("Outlet One", "Outlet Two; Outlet Three")),
                "notes": "Generated for the acceptance test.",
                "analyst_comment": rng.choice(("", "checked", "needs a second source")),
            }
            writer.writerow([values.get(column, "") for column in columns])


def test_a_few_thousand_rows_land_with_totals_and_communes_matching_pandas(shared_data, tmp_path):
    import_boundaries(shared_data / COMMUNES)
    path = tmp_path / "acled_haiti.csv"
    write_acled(path, shared_data, 3000)
    outcome = import_acled(path)
    frame = pd.read_csv(path, keep_default_na=False)
    assert outcome.created == len(frame) == Event.objects.count() == 3000
    assert outcome.notices == [f"extra columns ignored: {', '.join(c for c in frame.columns if c in EXTRA)}"]
    assert sum(Event.objects.values_list("fatalities", flat=True)) == frame["fatalities"].sum()
    names = dict(AdminArea.objects.filter(level=2).values_list("pcode", "name_fr"))
    stored = pd.Series([names[code] for code in Event.objects.values_list("adm2_pcode", flat=True)]).value_counts()
    expected = frame.groupby("admin3").size()
    assert stored.sort_index().to_dict() == expected.sort_index().to_dict()
    again = import_acled(path)
    assert (again.created, again.unchanged, Event.objects.count()) == (0, 3000, 3000)


def test_one_bad_row_in_ten_thousand_fails_alone_or_is_set_aside(shared_data, tmp_path):
    path = tmp_path / "acled_haiti.csv"
    write_acled(path, shared_data, 10_000, seed=5)
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = next(csv.reader([lines[5000]]))
    cells[header.index("latitude")] = "18,5"  # a decimal comma: one bad field
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    lines[5000] = buffer.getvalue()
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportRejected) as rejected:
        import_acled(path)
    assert [str(e) for e in rejected.value.errors] == ["acled_haiti.csv:5001: latitude: '18,5' is not a number"]
    assert Event.objects.count() == 0
    rejects = tmp_path / "rejects.csv"
    outcome = import_acled(path, skip_invalid=True, reject_file=rejects)
    assert (outcome.created, len(outcome.rejected)) == (9_999, 1)
    assert Event.objects.count() == 9_999
    assert len(rejects.read_text().splitlines()) == 2  # the header and the one rejected row
