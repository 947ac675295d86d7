"""Re-importing, ordering and conflicting rows: the figures never depend on how files arrive."""

from datetime import date
from pathlib import Path

import pytest

from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.forces import services
from ulinzi.forces.importers.strength.importer import import_strength
from ulinzi.forces.importers.strength.writer import CHUNK_ROWS
from ulinzi.forces.models import Movement, MovementReport
from ulinzi.importing.errors import ImportRejected

pytestmark = pytest.mark.django_db

HEADER = "record,date,country,kind,movement_date,personnel,preferred,sources,sensitivity\n"


def csv_file(tmp_path: Path, name: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows))
    return path


def total_on(day: date, clearance: Sensitivity = Sensitivity.CONFIDENTIAL) -> int:
    return services.snapshot(Viewer.operator(clearance), day).total


def test_a_report_marked_not_preferred_is_never_counted_whatever_the_order(tmp_path, shared_data):
    curated = Path(__file__).resolve().parents[2] / "src/ulinzi/demo_data/forces_curated.csv"
    import_strength(curated, default_sensitivity=Sensitivity.PUBLIC)
    assert total_on(date(2024, 6, 30)) == 0
    import_strength(shared_data / "haiti/timeline/mss_timeline.csv", default_sensitivity=Sensitivity.PUBLIC)
    assert total_on(date(2025, 1, 5)) == 590


def test_flipping_preferred_on_reimport_moves_the_count(tmp_path):
    first = csv_file(
        tmp_path,
        "a.csv",
        "movement,2024-03-01,KE,arrival,,100,,ref-a,P0",
        "movement,2024-03-02,KE,arrival,2024-03-01,150,no,ref-b,P0",
    )
    import_strength(first)
    assert total_on(date(2024, 4, 1)) == 100
    flipped = csv_file(tmp_path, "b.csv", "movement,2024-03-02,KE,arrival,2024-03-01,150,yes,ref-b,P0")
    outcome = import_strength(flipped)
    assert (outcome.created, outcome.updated) == (0, 1)
    assert total_on(date(2024, 4, 1)) == 150
    assert MovementReport.objects.filter(preferred=True).count() == 1


def test_a_corrected_figure_from_the_same_source_replaces_the_typo(tmp_path):
    import_strength(csv_file(tmp_path, "typo.csv", "movement,2024-03-01,KE,arrival,,2000,,ref-a,P0"))
    outcome = import_strength(csv_file(tmp_path, "fixed.csv", "movement,2024-03-01,KE,arrival,,200,,ref-a,P0"))
    assert (outcome.created, outcome.updated) == (0, 1)
    assert list(MovementReport.objects.values_list("personnel", flat=True)) == [200]
    assert total_on(date(2024, 4, 1)) == 200


def test_a_reimport_never_lowers_a_label_unless_allowed(tmp_path):
    import_strength(csv_file(tmp_path, "strict.csv", "movement,2024-03-01,KE,arrival,,100,,ref-a,P3"))
    public = csv_file(tmp_path, "public.csv", "movement,2024-03-01,KE,arrival,,100,,ref-a,P0")
    outcome = import_strength(public)
    assert outcome.notices == ["1 record(s) kept their stricter label; use --allow-downgrade to lower it"]
    assert MovementReport.objects.get().sensitivity == Sensitivity.STRICTLY_CONFIDENTIAL
    import_strength(public, allow_downgrade=True)
    assert MovementReport.objects.get().sensitivity == Sensitivity.PUBLIC


def test_strength_may_not_go_below_zero(tmp_path):
    import_strength(csv_file(tmp_path, "in.csv", "movement,2024-03-01,KE,arrival,,100,,ref-a,P0"))
    too_many = csv_file(
        tmp_path,
        "out.csv",
        "movement,2024-02-01,JM,arrival,,5,,ref-j,P0",
        "movement,2024-05-01,KE,departure,,150,,ref-b,P0",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_strength(too_many)
    assert [str(error) for error in rejected.value.errors] == [
        "out.csv:3: personnel: leaves KE at -50 personnel on 2024-05-01; strength cannot be negative"
    ]
    assert Movement.objects.count() == 1


def test_the_same_source_row_twice_with_different_figures_is_an_error(tmp_path):
    path = csv_file(
        tmp_path,
        "twice.csv",
        "movement,2024-03-01,KE,arrival,,100,,ref-a,P0",
        "movement,2024-03-01,KE,arrival,,100,,ref-a,P0",
        "movement,2024-03-01,KE,arrival,,120,,ref-a,P0",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_strength(path)
    assert [str(error) for error in rejected.value.errors] == [
        "twice.csv:4: row: same source, date and movement as line 2 but different values"
    ]


def test_chunks_do_not_change_which_report_is_preferred(tmp_path):
    filler = [f"movement,2023-01-{day % 28 + 1:02d},JM,arrival,,1,,ref-{day},P0" for day in range(CHUNK_ROWS)]
    rows = [
        "movement,2024-03-01,KE,arrival,,100,,ref-first,P0",
        *filler,
        "movement,2024-03-02,KE,arrival,2024-03-01,90,yes,ref-later,P0",
    ]
    import_strength(csv_file(tmp_path, "long.csv", *rows))
    movement = Movement.objects.get(contributor__iso2="KE")
    assert sorted(movement.reports.values_list("personnel", "preferred")) == [(90, True), (100, False)]


def test_an_unwritable_reject_file_stops_before_anything_is_written(tmp_path, fixtures_dir):
    with pytest.raises(ImportRejected) as rejected:
        import_strength(fixtures_dir / "strength_bad.csv", skip_invalid=True, reject_file=tmp_path / "no/such/dir.csv")
    assert "cannot write the reject file" in str(rejected.value.errors[0])
    assert Movement.objects.count() == 0


def test_reject_files_neutralise_formula_cells(tmp_path):
    path = tmp_path / "formula.csv"
    path.write_text(HEADER + 'movement,2024-13-01,KE,arrival,,1,,"=HYPERLINK(""http://x"")",P0\n')
    rejects = tmp_path / "rejects.csv"
    import_strength(path, skip_invalid=True, reject_file=rejects)
    text = rejects.read_text()
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text
