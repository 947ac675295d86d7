"""``ulinzi report`` at the command line: the file it writes, its audit entry, and what it refuses."""

import pytest

from tests.reports.conftest import P3_NOTE
from ulinzi.audit.models import Action, AuditEntry
from ulinzi.cli import main

pytestmark = pytest.mark.django_db


def test_it_writes_the_pdf_under_its_default_name_and_audits_it(recorded, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--period", "2024-03"]) == 0
    written = tmp_path / "situation-report-2024-03.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    assert "up to P3 strictly confidential" in capsys.readouterr().err
    entry = AuditEntry.objects.get(action=Action.EXPORT, object_type="reports.situation_report")
    assert entry.label == 3 and '"period":"2024-03"' in entry.detail and '"clearance":"P4"' in entry.detail


def test_a_report_for_partners_is_cut_at_p1(recorded, tmp_path):
    target = tmp_path / "for-partners.html"
    assert (
        main(
            [
                "report",
                "--period",
                "2024-03",
                "--area",
                "XX0101",
                "--format",
                "html",
                "--clearance",
                "P1",
                "-o",
                str(target),
            ]
        )
        == 0
    )
    text = target.read_text()
    assert "Contains only what a reader cleared to P1 (internal) may see" in text
    assert P3_NOTE not in text and "P1 INTERNAL" in text
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--period", "2024-13"], "period: '2024-13' has no month 13"),
        (["--period", "March"], "is not a month; write YYYY-MM"),
        (["--period", "2024-03", "--area", "HT9999"], "area: no department or commune has the P-code 'HT9999'"),
    ],
)
def test_bad_input_gets_one_line_status_2_and_no_file(recorded, tmp_path, *, monkeypatch, capsys, arguments, message):
    monkeypatch.chdir(tmp_path)
    assert main(["report", *arguments, "-o", "out.pdf"]) == 2
    said = capsys.readouterr().err
    assert message in said and said.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
    assert not AuditEntry.objects.filter(object_type="reports.situation_report").exists()
