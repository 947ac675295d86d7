"""``ulinzi insights before-after`` in process: the table, the change and the caveat, as the operator."""

from __future__ import annotations

import pytest

from tests.insights.conftest import PIVOT
from ulinzi.cli import main
from ulinzi.insights import before_after, cli

pytestmark = pytest.mark.django_db

ASK = ["insights", "before-after", "--area", "XX0101", "--date", PIVOT.isoformat(), "--weeks", "2"]


def test_it_prints_the_weeks_the_change_and_the_caveat(events, capsys):
    assert main(ASK) == 0
    out = capsys.readouterr().out
    assert out.startswith("Alpha (XX0101): 2 weeks each side of 2024-03-06; the week from 2024-03-04 counts as after\n")
    rows = [line.split() for line in out.splitlines() if line.startswith("2024-")]
    # The operator reads everything, the strictly confidential event's 11 deaths included.
    assert rows == [
        ["2024-02-19", "before", "2", "2.0", "13", "13.0"],
        ["2024-02-26", "before", "2", "2.0", "4", "4.0"],
        ["2024-03-04", "after", "1", "2.0", "0", "0.0"],
        ["2024-03-11", "after", "2", "2.0", "12", "0.0"],
    ]
    assert "events: 4 before, 3 after; 25 % fewer events per week after than before" in out
    assert "What this comparison cannot prove" in out
    assert "- This shows what changed around a date, not why." in out


def test_an_unknown_area_is_refused(areas, capsys):
    assert main(["insights", "before-after", "--area", "XX9999", "--date", "2024-06-25"]) == 1
    assert capsys.readouterr().out.startswith("area: no administrative area has the P-code 'XX9999'")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--weeks", "0"], "argument --weeks: '0' is not a whole number of weeks from 1 to 104"),
        (["--date", "25/06/2024"], "argument --date: '25/06/2024' is not a date (YYYY-MM-DD)"),
        (["--event-type", "Picnics"], "argument --event-type: invalid choice: 'Picnics'"),
    ],
)
def test_malformed_arguments_are_usage_errors(areas, capsys, change, message):
    with pytest.raises(SystemExit) as stopped:
        main([*ASK, *change])
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_the_commands_week_limit_is_the_computations():
    assert cli.MAX_WEEKS == before_after.MAX_WEEKS
