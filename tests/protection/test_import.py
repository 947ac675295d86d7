"""``ulinzi import sgbv``: counts only, checked against the communes, all or nothing."""

from __future__ import annotations

import argparse
import io
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from ulinzi.geo.models import AdminArea
from ulinzi.importing.errors import ImportRejected
from ulinzi.importing.registry import IMPORTERS
from ulinzi.protection.importers.sgbv import command
from ulinzi.protection.importers.sgbv.importer import import_sgbv
from ulinzi.protection.models import SgbvCount
from ulinzi.sources.models import ImportBatch

pytestmark = pytest.mark.django_db

HEADER = "month,pcode,violence_type,age_band,sex_band,perpetrator_type,count\n"
TODAY = date(2025, 6, 15)


def sgbv_file(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "counts.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def refusals(path: Path) -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        import_sgbv(path, today=TODAY)
    return [str(error) for error in rejected.value.errors]


def stored() -> dict[tuple[str, str, str, str, str, str], int]:
    return {
        (
            f"{row.month:%Y-%m}",
            row.commune_pcode,
            row.violence_type,
            row.age_band,
            row.sex_band,
            row.perpetrator_type,
        ): row.count
        for row in SgbvCount.objects.all()
    }


def add_area(pcode: str, level: int, parent: str) -> None:
    AdminArea.objects.create(
        pcode=pcode, level=level, parent_pcode=parent, geometry="{}", display_geometry="{}",
        min_lon=0, min_lat=0, max_lon=0, max_lat=0, area_km2=1,
    )  # fmt: skip


def test_the_fixture_is_stored_as_counts_with_a_batch_that_does_not_keep_the_file_name(areas, fixtures_dir):
    outcome = import_sgbv(fixtures_dir / "sgbv_three_areas.csv", today=TODAY)
    assert (outcome.rows_read, outcome.places_replaced, outcome.cells_written) == (12, 5, 11)
    cells = stored()
    assert cells[("2025-01", "XX0101", "rape", "18-59", "female", "armed_group")] == 12
    assert ("2025-02", "XX0103", "physical_assault", "18-59", "male", "unknown") not in cells  # a zero row
    batch = ImportBatch.objects.get(kind="sgbv")
    assert batch.kind == "sgbv"
    assert batch.file_name == f"sgbv-{batch.sha256[:12]}.csv"
    assert set(SgbvCount.objects.values_list("batch", flat=True)) == {batch.pk}


def test_importing_the_same_file_again_changes_nothing(areas, fixtures_dir):
    import_sgbv(fixtures_dir / "sgbv_three_areas.csv", today=TODAY)
    before = dict(SgbvCount.objects.values_list("pk", "count"))
    again = import_sgbv(fixtures_dir / "sgbv_three_areas.csv", today=TODAY)
    assert (again.places_replaced, again.places_unchanged, again.cells_written) == (0, 6, 0)
    assert dict(SgbvCount.objects.values_list("pk", "count")) == before


def test_a_new_file_for_a_month_and_commune_replaces_that_place_only(areas, fixtures_dir, tmp_path):
    import_sgbv(fixtures_dir / "sgbv_three_areas.csv", today=TODAY)
    correction = sgbv_file(tmp_path, "2025-01,XX0101,rape,18-59,female,armed_group,14")
    outcome = import_sgbv(correction, today=TODAY)
    assert (outcome.places_replaced, outcome.cells_removed, outcome.cells_written) == (1, 4, 1)
    january_alpha = {key: n for key, n in stored().items() if key[:2] == ("2025-01", "XX0101")}
    assert january_alpha == {("2025-01", "XX0101", "rape", "18-59", "female", "armed_group"): 14}
    assert stored()[("2025-01", "XX0102", "psychological_abuse", "18-59", "female", "family_member")] == 7


def test_a_zero_row_empties_its_place(areas, tmp_path):
    import_sgbv(sgbv_file(tmp_path, "2025-01,XX0101,rape,18-59,female,armed_group,6"), today=TODAY)
    import_sgbv(sgbv_file(tmp_path, "2025-01,XX0101,rape,18-59,female,armed_group,0", name="zero.csv"), today=TODAY)
    assert SgbvCount.objects.count() == 0


def test_one_bad_cell_gives_one_precise_error_and_writes_nothing(areas, tmp_path):
    path = sgbv_file(
        tmp_path,
        "2025-01,XX0101,rape,18-59,female,armed_group,6",
        "2025-01,XX0102,rape,18-59,female,armed_gang,6",
        name="bad.csv",
    )
    assert refusals(path) == [
        "bad.csv:3: perpetrator_type: 'armed_gang' is not a perpetrator type; use one of: armed_group, "
        "intimate_partner, family_member, other_known, state_actor, other, unknown"
    ]
    assert SgbvCount.objects.count() == 0
    assert not ImportBatch.objects.filter(kind="sgbv").exists()


@pytest.mark.parametrize(
    "column",
    ["name", "survivor", "Survivor Name", "phone", "phonenumber", "latitude", "longitude", "lat", "lon", "address",
     "narrative", "notes", "date", "age", "organisation", "case_id", "gps_point"],
)  # fmt: skip
def test_a_survivor_level_column_refuses_the_file(areas, tmp_path, column):
    path = sgbv_file(
        tmp_path, "2025-01,XX0101,rape,18-59,female,armed_group,6,x", header=HEADER.strip() + f",{column}\n"
    )
    [refusal] = refusals(path)
    assert refusal.startswith(f"counts.csv:1: {column.lower()}: looks like survivor-level data")
    assert "Ulinzi accepts only de-identified counts" in refusal
    assert SgbvCount.objects.count() == 0


def test_any_other_unknown_column_is_refused_too(areas, tmp_path):
    path = sgbv_file(tmp_path, "2025-01,XX0101,rape,18-59,female,armed_group,6,x", header=HEADER.strip() + ",colour\n")
    assert refusals(path) == [
        "counts.csv:1: colour: unknown column; an SGBV file holds only month, pcode, violence_type, age_band, "
        "sex_band, perpetrator_type, count (free text is never accepted)"
    ]


def test_a_missing_column_is_named(areas, tmp_path):
    path = sgbv_file(tmp_path, "2025-01,XX0101,rape,18-59,female,6", header=HEADER.replace("perpetrator_type,", ""))
    assert refusals(path) == ["counts.csv:1: perpetrator_type: required column is missing"]


def test_sections_are_added_up_into_their_commune(areas, tmp_path):
    add_area("XX0101-01", 3, "XX0101")
    add_area("XX0101-02", 3, "XX0101")
    path = sgbv_file(
        tmp_path,
        "2025-01,XX0101-01,rape,18-59,female,armed_group,3",
        "2025-01,xx0101-02,rape,18-59,female,armed_group,4",
    )
    outcome = import_sgbv(path, today=TODAY)
    assert outcome.sections_coarsened == 2
    assert outcome.notices == ["2 row(s) given by section communale were added to their commune"]
    assert stored() == {("2025-01", "XX0101", "rape", "18-59", "female", "armed_group"): 7}


def test_a_commune_given_whole_and_by_section_is_refused(areas, tmp_path):
    add_area("XX0101-01", 3, "XX0101")
    path = sgbv_file(
        tmp_path,
        "2025-01,XX0101,rape,18-59,female,armed_group,3",
        "2025-01,XX0101-01,sexual_assault,18-59,female,armed_group,4",
    )
    [refusal] = refusals(path)
    assert refusal.startswith("counts.csv:3: pcode: XX0101 is given both whole and by section for 2025-01 (see line 2)")


@pytest.mark.parametrize(
    ("pcode", "reason"),
    [
        ("XX0101-01-A", "'XX0101-01-A' is admin level 4, finer than a section communale; give its commune's P-code"),
        ("XX01", "'XX01' is admin level 1, coarser than a commune; counts are kept per commune (level 2)"),
        ("XX9999", "'XX9999' is not a loaded area"),
        ("18.54;-72.33", "'18.54;-72.33' looks like coordinates; give the commune's P-code, never a point"),
        ("Port-au-Prince market", "'Port-au-Prince market' is not a P-code"),
    ],
)
def test_a_place_finer_or_coarser_than_a_commune_or_a_point_is_refused(areas, tmp_path, pcode, reason):
    add_area("XX01", 1, "XX")
    add_area("XX0101-01-A", 4, "XX0101-01")
    path = sgbv_file(tmp_path, f'2025-01,"{pcode}",rape,18-59,female,armed_group,6')
    assert refusals(path) == [f"counts.csv:2: pcode: {reason}"]


@pytest.mark.parametrize(
    ("month", "reason"),
    [
        ("2025-01-17", "'2025-01-17' is an exact date; give the month only (YYYY-MM): exact dates are not kept"),
        ("2025-07", "'2025-07' is in the future"),
        ("January 2025", "'January 2025' is not a month (YYYY-MM)"),
    ],
)
def test_exact_dates_and_future_months_are_refused(areas, tmp_path, month, reason):
    assert refusals(sgbv_file(tmp_path, f"{month},XX0101,rape,18-59,female,armed_group,6")) == [
        f"counts.csv:2: month: {reason}"
    ]


def test_the_first_day_of_a_month_is_read_as_the_month(areas, tmp_path):
    import_sgbv(sgbv_file(tmp_path, "2025-01-01,XX0101,rape,18-59,female,armed_group,6"), today=TODAY)
    assert SgbvCount.objects.get().month == date(2025, 1, 1)


def test_a_repeated_cell_is_refused(areas, tmp_path):
    row = "2025-01,XX0101,rape,18-59,female,armed_group,6"
    assert refusals(sgbv_file(tmp_path, row, row)) == ["counts.csv:3: row: the same month, P-code and bands as line 2"]


def test_without_loaded_areas_nothing_can_be_checked_so_nothing_is_imported(db, tmp_path):
    [refusal] = refusals(sgbv_file(tmp_path, "2025-01,XX0101,rape,18-59,female,armed_group,6"))
    assert refusal.startswith("counts.csv:1: pcode: no administrative areas are loaded")


def test_the_command_is_registered_and_reports_what_it_did(areas, fixtures_dir):
    assert IMPORTERS["sgbv"].command_module == command.__name__
    output = io.StringIO()
    status = command.run(
        argparse.Namespace(file=fixtures_dir / "sgbv_three_areas.csv"), Console(file=output, width=200)
    )
    assert status == 0
    assert (
        "12 rows read; 5 month-commune pairs replaced (0 cells removed, 11 written), 1 unchanged" in output.getvalue()
    )


def test_the_command_prints_each_refusal(areas, tmp_path):
    output = io.StringIO()
    path = sgbv_file(tmp_path, "2025-01,XX0101,rape,18-59,female,armed_group,-2", name="bad.csv")
    assert command.run(argparse.Namespace(file=path), Console(file=output, width=200)) == 1
    assert "bad.csv:2: count: '-2' is not a whole number" in output.getvalue()
    assert "nothing was imported" in output.getvalue()
