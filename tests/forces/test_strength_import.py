import csv
from datetime import date
from pathlib import Path

import pytest

from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.forces import services
from ulinzi.forces.importers.strength.importer import import_strength
from ulinzi.forces.models import Authorisation, Movement, MovementReport, Pledge
from ulinzi.importing.errors import ImportRejected
from ulinzi.sources.models import ImportBatch, Source

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Movement, MovementReport, Pledge, Authorisation, Source, ImportBatch)
    )


def test_the_template_imports_every_record_kind(fixtures_dir):
    outcome = import_strength(fixtures_dir / "strength_template.csv")
    assert (outcome.rows_read, outcome.created, outcome.unchanged, outcome.rejected) == (6, 6, 0, [])
    assert Movement.objects.count() == 3
    assert Pledge.objects.get().personnel == 500
    assert Authorisation.objects.get().ceiling == 800


def test_conflicting_reports_sit_side_by_side_with_one_preferred(fixtures_dir):
    import_strength(fixtures_dir / "strength_template.csv")
    movement = Movement.objects.get(contributor__iso2="KE", date=date(2024, 3, 1))
    reports = {report.personnel: report for report in movement.reports.all()}
    assert set(reports) == {100, 150}
    assert reports[100].preferred and not reports[150].preferred
    assert reports[150].reported_on == date(2024, 3, 2)


def test_a_report_marked_preferred_takes_over(fixtures_dir, tmp_path):
    import_strength(fixtures_dir / "strength_template.csv")
    override = tmp_path / "override.csv"
    override.write_text(
        "record,date,country,kind,personnel,preferred,sources\n"
        "movement,2024-03-01,KE,arrival,120,yes,https://example.org/final-count\n"
    )
    import_strength(override)
    movement = Movement.objects.get(contributor__iso2="KE", date=date(2024, 3, 1))
    assert movement.reports.get(preferred=True).personnel == 120
    assert movement.reports.count() == 3


def test_strength_is_derived_from_preferred_reports(fixtures_dir):
    import_strength(fixtures_dir / "strength_template.csv")
    snapshot = services.snapshot(Viewer.operator(Sensitivity.CONFIDENTIAL), date(2024, 6, 1))
    assert {c.iso2: c.deployed for c in snapshot.countries} == {"JM": 20, "KE": 70}
    assert snapshot.total == 90
    assert snapshot.ceiling == 800
    assert snapshot.pledged_total == 500


def test_reimporting_the_same_file_changes_nothing(fixtures_dir):
    import_strength(fixtures_dir / "strength_template.csv")
    before = counts()[:-1]
    outcome = import_strength(fixtures_dir / "strength_template.csv")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 6)
    assert counts()[:-1] == before


def test_a_bad_file_names_every_problem_and_writes_nothing(fixtures_dir):
    before = counts()
    with pytest.raises(ImportRejected) as rejected:
        import_strength(fixtures_dir / "strength_bad.csv")
    assert [str(error) for error in rejected.value.errors] == [
        "strength_bad.csv:2: date: '2024-13-01' is not a valid date (expected YYYY-MM-DD)",
        "strength_bad.csv:3: personnel: '-5' is negative; personnel counts are 0 or more",
        "strength_bad.csv:4: country: 'Atlantis' is not a country known to ISO 3166",
    ]
    assert counts() == before


def test_a_missing_column_is_reported_once_with_the_row_problems(fixtures_dir):
    before = counts()
    with pytest.raises(ImportRejected) as rejected:
        import_strength(fixtures_dir / "strength_missing_column.csv")
    assert [str(error) for error in rejected.value.errors] == [
        "strength_missing_column.csv:1: personnel: required column is missing",
        "strength_missing_column.csv:2: date: '2024-02-30' is not a valid date (expected YYYY-MM-DD)",
    ]
    assert counts() == before


def test_skip_invalid_writes_the_valid_rows_and_a_reject_file(fixtures_dir, tmp_path):
    rejects = tmp_path / "rejects.csv"
    outcome = import_strength(fixtures_dir / "strength_bad.csv", skip_invalid=True, reject_file=rejects)
    assert (outcome.created, len(outcome.rejected)) == (1, 3)
    assert MovementReport.objects.get().personnel == 12
    with rejects.open() as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["line"], row["field"]) for row in rows] == [("2", "date"), ("3", "personnel"), ("4", "country")]
    assert rows[2]["country"] == "Atlantis"
    assert ImportBatch.objects.get().rows_rejected == 3


def test_skip_invalid_cannot_skip_a_missing_column(fixtures_dir, tmp_path):
    with pytest.raises(ImportRejected):
        import_strength(fixtures_dir / "strength_missing_column.csv", skip_invalid=True, reject_file=tmp_path / "r")
    assert Movement.objects.count() == 0


def test_an_unknown_file_shape_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,value\na,1\n")
    with pytest.raises(ImportRejected) as rejected:
        import_strength(path)
    assert str(rejected.value.errors[0]).startswith("other.csv:1: header: not a strength file")


def test_extra_columns_are_ignored_with_a_notice(tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text("record,date,country,kind,personnel,sources,remarks\nmovement,2024-01-01,KE,arrival,5,ref,x\n")
    outcome = import_strength(path)
    assert outcome.notices == ["extra columns ignored: remarks"]


def test_the_timeline_dialect_maps_its_event_types(fixtures_dir):
    outcome = import_strength(fixtures_dir / "strength_timeline.csv", default_sensitivity=Sensitivity.PUBLIC)
    assert outcome.dialect == "mss-timeline"
    assert Authorisation.objects.get().instrument == "resolution 1234"
    assert Pledge.objects.get().personnel is None
    departure = Movement.objects.get(date=date(2024, 3, 1))
    assert (departure.kind, departure.date_precision) == ("arrival", "approx")
    first = MovementReport.objects.get(movement__date=date(2024, 2, 10))
    assert first.reported_total == 50
    assert first.sources.count() == 2
    assert services.snapshot(Viewer.operator(Sensitivity.PUBLIC), date(2024, 3, 1)).total == 90


def test_rows_default_to_confidential(fixtures_dir, tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("record,date,country,kind,personnel,sources\nmovement,2024-01-01,KE,arrival,5,ref\n")
    import_strength(path)
    assert MovementReport.objects.get().sensitivity == Sensitivity.CONFIDENTIAL


def test_the_real_mss_timeline_imports_cleanly(shared_data: Path):
    outcome = import_strength(shared_data / "haiti/timeline/mss_timeline.csv", default_sensitivity=Sensitivity.PUBLIC)
    assert outcome.rejected == []
    assert outcome.created == 14
    snapshot = services.snapshot(Viewer.operator(Sensitivity.PUBLIC), date(2025, 1, 5))
    deployed = {c.name: c.deployed for c in snapshot.countries}
    assert deployed == {"Bahamas": 6, "Belize": 2, "El Salvador": 8, "Guatemala": 150, "Jamaica": 24, "Kenya": 400}
    assert snapshot.total == 590  # the file's own cumulative figure for 2025-01-04


def test_reimporting_with_a_stricter_label_relabels_in_place(fixtures_dir, tmp_path):
    import_strength(fixtures_dir / "strength_template.csv")
    stricter = tmp_path / "stricter.csv"
    stricter.write_text((fixtures_dir / "strength_template.csv").read_text().replace(",P0\n", ",P3\n"))
    outcome = import_strength(stricter)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 5, 1)
    assert MovementReport.objects.filter(sensitivity=Sensitivity.STRICTLY_CONFIDENTIAL).count() == 3
    assert Pledge.objects.get().sensitivity == Sensitivity.STRICTLY_CONFIDENTIAL
    assert services.snapshot(Viewer.operator(Sensitivity.INTERNAL), date(2024, 6, 1)).total == 0


def test_a_report_on_another_date_keeps_the_movement_exact(tmp_path):
    path = tmp_path / "month.csv"
    path.write_text(
        "record,date,date_precision,country,kind,movement_date,personnel,sources\n"
        "movement,2024-06-01,month,KE,arrival,2024-06-25,400,ref\n"
    )
    import_strength(path)
    movement = Movement.objects.get()
    assert (movement.date, movement.date_precision) == (date(2024, 6, 25), "day")
    assert movement.reports.get().reported_on == date(2024, 6, 1)


def test_the_four_problems_of_the_acceptance_check_in_one_file(fixtures_dir, tmp_path):
    import_strength(fixtures_dir / "strength_template.csv")
    before = counts()
    path = tmp_path / "four.csv"
    path.write_text(
        "record,date,country,kind,personnel\n"
        "movement,2024-02-30,KE,arrival,10\n"
        "movement,2024-03-01,KE,arrival,-5\n"
        "movement,2024-03-02,Atlantis,arrival,10\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_strength(path)
    assert [str(error) for error in rejected.value.errors] == [
        "four.csv:1: sources: required column is missing",
        "four.csv:2: date: '2024-02-30' is not a valid date (expected YYYY-MM-DD)",
        "four.csv:3: personnel: '-5' is negative; personnel counts are 0 or more",
        "four.csv:4: country: 'Atlantis' is not a country known to ISO 3166",
    ]
    assert counts() == before
